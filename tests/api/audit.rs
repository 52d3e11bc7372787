use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    every_write_is_audited_with_before_and_after,
    the_audit_trail_cannot_be_changed,
    the_trail_masks_id_numbers_unless_asked_and_each_read_is_audited,
    failed_submissions_keep_identical_bytes_once,
);

async fn the_trail_masks_id_numbers_unless_asked_and_each_read_is_audited(app: TestApp) {
    let idn = id_number("451424", "19930303", 31);
    let l = app.labourer(json!({"id_number": idn, "name": "零小丽"})).await;
    let path = format!("/api/v1/audit?resource=labourer&resource_id={}", l["id"]);
    let (s, b) = app.get(&path, &app.admin).await;
    assert_eq!(s, 200);
    let shown = b["items"][0]["after"]["id_number"].as_str().unwrap().to_string();
    assert_eq!(shown, format!("451424**********{}", &idn[16..]));
    assert!(!b.to_string().contains(&idn), "{b}");
    let (s, b) = app.get(&format!("{path}&unmasked=true"), &app.admin).await;
    assert_eq!(s, 200);
    assert_eq!(b["items"][0]["after"]["id_number"], idn);
    let (s, b) = app.get(&format!("{path}&unmasked=perhaps"), &app.admin).await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["errors"][0]["field"], "unmasked");
    // Both reads are in the trail, the unmasked one as such.
    assert_eq!(app.count_where("audit_log", "action = 'view_audit' AND resource = 'audit_log'"), 1);
    assert_eq!(app.count_where("audit_log", "action = 'view_unmasked' AND resource = 'audit_log'"), 1);
}

async fn failed_submissions_keep_identical_bytes_once(app: TestApp) {
    // The test service's SMTP server does not answer: every send fails.
    let mut ids = Vec::new();
    for _ in 0..4 {
        let (s, b) = app.post("/api/v1/submissions", &app.clerk, json!({"year": 2019, "as_of": "2019-11-15"})).await;
        assert_eq!(s, 502, "{b}");
        ids.push(b["instance"].as_str().unwrap().to_string());
    }
    assert_eq!(app.count("submissions"), 4, "every attempt is on record");
    assert_eq!(app.count_where("submissions", "length(attachment) > 0"), 1, "its bytes once");
    let (s, _, first) = app.bytes(&format!("{}/attachment", ids[0]), &app.clerk).await;
    assert_eq!(s, 200);
    let (s, _, last) = app.bytes(&format!("{}/attachment", ids[3]), &app.clerk).await;
    assert_eq!(s, 200);
    assert!(!first.is_empty());
    assert_eq!(first, last, "each submission still gives its exact bytes");
}

async fn every_write_is_audited_with_before_and_after(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "19930303", 31), "name": "零小丽"})).await;
    let path = format!("/api/v1/labourers/{}", l["id"]);
    app.patch_ok(&path, &app.clerk, json!({"version": 1, "poverty_status": "registered_poor"})).await;
    let (s, b) = app.get(&format!("/api/v1/audit?resource=labourer&resource_id={}", l["id"]), &app.admin).await;
    assert_eq!(s, 200);
    let update = &b["items"][0];
    assert_eq!(update["action"], "update");
    assert_eq!(update["actor"], "clerk");
    assert_eq!(update["before"]["poverty_status"], "unverified");
    assert_eq!(update["after"]["poverty_status"], "registered_poor");
    assert_eq!(b["items"][1]["action"], "create");
    let (s, _) = app.get("/api/v1/audit", &app.clerk).await;
    assert_eq!(s, 403, "only admins read the trail");
    // A refused write leaves no entry.
    let before = app.count("audit_log");
    let (s, _) = app.patch(&path, &app.clerk, json!({"version": 1, "name": "x"})).await;
    assert_eq!(s, 409, "the version is stale");
    assert_eq!(app.count("audit_log"), before);
}

async fn the_audit_trail_cannot_be_changed(app: TestApp) {
    app.labourer(json!({"id_number": id_number("451424", "19930303", 31), "name": "零小丽"})).await;
    let mut conn = app.db.get().unwrap();
    assert!(diesel::sql_query("UPDATE audit_log SET actor = 'someone else'").execute(&mut *conn).is_err());
    assert!(diesel::sql_query("DELETE FROM audit_log").execute(&mut *conn).is_err());
    drop(conn);
    assert_eq!(app.count("audit_log"), 1);
}
