//! What the placement ledgers' rows show: the 就业单位 of each row (read
//! once per reading thread for a registered employer), and every chosen
//! person in person order whatever order their jobs were entered in.

use serde_json::json;

use crate::helpers::TestApp;
use crate::ledgers::{ids, person};

crate::on_both_backends!(
    the_placement_ledgers_name_each_row_s_employer,
    the_placement_ledgers_list_everyone_in_person_order_whatever_order_their_jobs_came_in,
);

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

/// Jobs entered newest person first (a bureau types a roster in any
/// order) still make a ledger of every person, in person order: the rows'
/// details may come back from the database in any order and are matched to
/// the rules' choice by id (merging them on the assumption that the
/// database returns them in person order lost rows).
async fn the_placement_ledgers_list_everyone_in_person_order_whatever_order_their_jobs_came_in(app: TestApp) {
    let mut people = Vec::new();
    for serial in (21..).step_by(2).take(6) {
        people.push(person(&app, serial, "registered_poor", &[]).await);
    }
    for (k, who) in people.iter().enumerate().rev() {
        // One job ended after D (ongoing at D all the same), one person with
        // a second job begun later (the later one is shown).
        let ended_on = (k == 2).then_some("2019-12-31");
        let mut jobs = vec![("2019-03-01", ended_on, false)];
        if k == 4 {
            jobs.push(("2019-05-01", None, true));
        }
        for (started_on, ended_on, part_time) in jobs {
            let (s, b) = app
                .post(
                    "/api/v1/placements",
                    &app.clerk,
                    json!({"labourer_id": who, "employer_name": format!("江门某厂{k}"), "region_code": "440704",
                        "started_on": started_on, "ended_on": ended_on, "channel": "referral",
                        "part_time": part_time}),
                )
                .await;
            assert_eq!(s, 201, "{b}");
        }
    }
    for kind in ["new-transfers-east", "stable-east"] {
        let l = app.get_ok(&format!("/api/v1/ledgers/{kind}?year=2019&as_of=2019-11-30"), &app.clerk).await;
        assert_eq!(l["count"], 6, "{kind}");
        assert_eq!(ids(&l), people, "{kind}");
        let employers: Vec<&str> =
            l["rows"].as_array().unwrap().iter().map(|r| r["employer"].as_str().unwrap()).collect();
        assert_eq!(employers, ["江门某厂0", "江门某厂1", "江门某厂2", "江门某厂3", "江门某厂4", "江门某厂5"], "{kind}");
    }
    let stable = app.get_ok("/api/v1/ledgers/stable-east?year=2019&as_of=2019-11-30", &app.clerk).await;
    assert_eq!(stable["rows"][4]["started_on"], "2019-05-01", "the later job is shown");
    // The next year only the open jobs are ongoing.
    let next = app.get_ok("/api/v1/ledgers/stable-east?year=2020&as_of=2020-01-31", &app.clerk).await;
    let open: Vec<i64> = people.iter().enumerate().filter(|(k, _)| *k != 2).map(|(_, p)| *p).collect();
    assert_eq!(ids(&next), open);
}
