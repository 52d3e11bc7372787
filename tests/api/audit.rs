use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(every_write_is_audited_with_before_and_after, the_audit_trail_cannot_be_changed,);

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
