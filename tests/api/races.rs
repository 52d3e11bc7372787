//! Many identical writes at once, over real concurrent requests: every
//! loser of the race gets the contract's answer (409 naming the existing
//! record), and no answer carries a constraint, table or SQL text.

use serde_json::{json, Value};

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    fifty_identical_labourers_give_one_record_and_49_conflicts_naming_it,
    fifty_identical_employers_too,
    twenty_desks_checking_in_one_person_give_one_check_in,
);

/// Sends `body` to `path` `n` times at once as the clerk.
async fn at_once(app: &TestApp, n: usize, path: &str, body: Value) -> Vec<(u16, Value)> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let (client, url, token, body) = (app.client.clone(), app.url(path), app.clerk.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let r = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// One 201; every other answer a 409 naming it, free of database words.
fn one_created_rest_name_it(answers: &[(u16, Value)]) {
    let created: Vec<&Value> = answers.iter().filter(|(s, _)| *s == 201).map(|(_, b)| b).collect();
    assert_eq!(created.len(), 1, "{answers:?}");
    let id = &created[0]["id"];
    for (s, b) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*s, 409, "{b}");
        assert_eq!(&b["existing_id"], id, "{b}");
        let text = b.to_string().to_lowercase();
        for word in ["constraint", "_key", "unique", "duplicate key", "insert", "select", "labourers", "employers"] {
            assert!(!text.contains(word), "`{word}` in {b}");
        }
    }
}

async fn fifty_identical_labourers_give_one_record_and_49_conflicts_naming_it(app: TestApp) {
    let body = json!({"id_number": id_number("451424", "19900307", 123), "name": "农秀英"});
    let answers = at_once(&app, 50, "/api/v1/labourers", body).await;
    one_created_rest_name_it(&answers);
    assert_eq!(app.count("labourers"), 1);
}

async fn fifty_identical_employers_too(app: TestApp) {
    let first17 = "91440704MA4UJ5X3A";
    let uscc = format!("{first17}{}", labour_bridge::domain::uscc::check_char(first17).unwrap());
    let body = json!({"name": "江门市粤厨餐饮管理有限公司", "uscc": uscc, "region_code": "440704"});
    let answers = at_once(&app, 50, "/api/v1/employers", body).await;
    one_created_rest_name_it(&answers);
    assert_eq!(app.count("employers"), 1);
}

async fn twenty_desks_checking_in_one_person_give_one_check_in(app: TestApp) {
    let today = labour_bridge::clock::today().to_string();
    let fair =
        json!({"name": "招聘会", "held_on": today, "region_code": "451424", "organisers": ["江海区就业服务中心"]});
    let f = app.post_created("/api/v1/fairs", &app.clerk, fair).await["id"].as_i64().unwrap();
    let idn = id_number("451424", "19900307", 123);
    app.labourer(json!({"id_number": idn, "name": "农秀英"})).await;
    let answers = at_once(&app, 20, &format!("/api/v1/fairs/{f}/check-ins"), json!({"id_number": idn})).await;
    let mut statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    statuses.sort();
    assert_eq!(statuses[0], 200, "{answers:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{answers:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 201), "{answers:?}");
    assert_eq!(app.count("job_fair_attendees"), 1);
}
