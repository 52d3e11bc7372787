//! What the placement ledgers' rows name: the 就业单位 of each row, read
//! once per reading thread for a registered employer.

use serde_json::json;

use crate::helpers::TestApp;
use crate::ledgers::{ids, person};

crate::on_both_backends!(the_placement_ledgers_name_each_row_s_employer);

/// 就业单位 on both placement ledgers: a registered employer's name as it
/// is now (each reading thread looks a name up once, however many rows
/// name it), else the name typed for an unregistered one.
async fn the_placement_ledgers_name_each_row_s_employer(app: TestApp) {
    let registered = app.employer("江门市蓬江区某电子厂").await;
    let renamed = app.employer("江门市江海区明阳灯饰厂").await;
    let employers = [
        json!({"employer_id": registered}),
        json!({"employer_name": "台山某制衣厂"}),
        json!({"employer_id": registered}),
        json!({"employer_id": renamed}),
    ];
    let mut people = Vec::new();
    for (serial, employer) in (1..).step_by(2).zip(employers) {
        let who = person(&app, serial, "registered_poor", &[]).await;
        let mut body =
            json!({"labourer_id": who, "region_code": "440704", "started_on": "2019-03-01", "channel": "referral"});
        body.as_object_mut().unwrap().extend(employer.as_object().unwrap().clone());
        let (s, b) = app.post("/api/v1/placements", &app.clerk, body).await;
        assert_eq!(s, 201, "{b}");
        people.push(who);
    }
    let (s, b) = app
        .patch(
            &format!("/api/v1/employers/{renamed}"),
            &app.clerk,
            json!({"version": 1, "name": "江门市江海区星辉照明有限公司"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    for kind in ["new-transfers-east", "stable-east"] {
        let l = app.get_ok(&format!("/api/v1/ledgers/{kind}?year=2019&as_of=2019-11-30"), &app.clerk).await;
        assert_eq!(ids(&l), people, "{kind}");
        let names: Vec<&str> = l["rows"].as_array().unwrap().iter().map(|r| r["employer"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            ["江门市蓬江区某电子厂", "台山某制衣厂", "江门市蓬江区某电子厂", "江门市江海区星辉照明有限公司"],
            "{kind}"
        );
    }
}
