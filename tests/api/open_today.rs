//! One definition of "taking applications today" (status open, `opens_on ≤
//! today ≤ closes_on` where set, places left) in every view — search for
//! any caller, `open_only`, typeahead, matches, candidates and the posting
//! itself — each saying whether it takes applications and why not; and
//! matching that is never empty while an eligible posting is open.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{id_number, urlencode, TestApp};
use labour_bridge::auth::Role;

crate::on_both_backends!(
    every_view_shows_only_postings_taking_applications_and_says_why_not,
    a_person_with_narrow_wishes_gets_every_posting_they_can_take,
);

async fn eventually(app: &TestApp, path: &str, token: Option<&str>, ok: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let (s, b) = app.call("GET", path, token, None).await;
        assert_eq!(s, 200, "{b}");
        if ok(&b) {
            return b;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "not seen within 5 s: {path} → {b}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn ids(b: &Value) -> Vec<i64> {
    let mut out: Vec<i64> = b["hits"].as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect();
    out.sort();
    out
}

async fn posting(app: &TestApp, employer: i64, body: Value) -> i64 {
    let mut full = json!({"employer_id": employer, "headcount": 3, "region_code": "440704"});
    full.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    let (s, b) = app.post("/api/v1/postings", &app.clerk, full).await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

fn day(offset: i64) -> String {
    (labour_bridge::clock::today() + chrono::TimeDelta::days(offset)).to_string()
}

/// The example (a posting past its closing day and one whose four
/// places are filled, both shown to a signed-in trainee as open) and the
/// rest of the family: closed, not yet open, and a place freed again.
async fn every_view_shows_only_postings_taking_applications_and_says_why_not(app: TestApp) {
    let e = app.employer("江门市江海区粤厨轩餐饮有限公司").await;
    let food = json!(["housing", "meals"]);
    let open = posting(&app, e, json!({"title": "厨师（包吃住）", "benefits": food})).await;
    let expired = posting(
        &app,
        e,
        json!({"title": "厨师（年底截止）", "benefits": food, "opens_on": "2019-01-01", "closes_on": "2019-12-31"}),
    )
    .await;
    let full = posting(&app, e, json!({"title": "厨师（四个名额）", "benefits": food, "headcount": 4})).await;
    let closed = posting(&app, e, json!({"title": "厨师（停招）", "benefits": food, "status": "closed"})).await;
    let later = posting(&app, e, json!({"title": "厨师（下月开招）", "benefits": food, "opens_on": day(30)})).await;
    let last_day = posting(&app, e, json!({"title": "厨师（今天截止）", "benefits": food, "closes_on": day(0)})).await;
    let mut fillers = Vec::new();
    for i in 0..4 {
        let p = app
            .labourer(json!({"id_number": id_number("451424", "19900101", 40 + i), "name": format!("陆工{i}")}))
            .await;
        let (s, b) = app
            .post(
                "/api/v1/placements",
                &app.clerk,
                json!({"labourer_id": p["id"], "posting_id": full, "region_code": "440704",
                       "started_on": "2019-03-01", "channel": "referral"}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        fillers.push(b["id"].as_i64().unwrap());
    }
    let me = app
        .labourer(json!({"id_number": id_number("451424", "19900303", 17), "name": "黄志强",
                         "desired_occupations": ["厨师"]}))
        .await;
    let me = me["id"].as_i64().unwrap();
    let trainee = app.add_user("zhiqiang", Role::Trainee, None, Some(me));
    let q = format!("/api/v1/postings/search?q={}", urlencode("厨师 包吃住"));
    // Staff see all six once indexed (the full one after its placements),
    // each saying whether it takes applications and why not.
    let b = eventually(&app, &q, Some(&app.clerk), |b| {
        b["total"] == 6
            && b["hits"].as_array().unwrap().iter().any(|h| h["id"] == full && h["not_taking"]["code"] == "full")
    })
    .await;
    let why = |id: i64| -> Value {
        let h = b["hits"].as_array().unwrap().iter().find(|h| h["id"] == id).unwrap();
        json!([h["taking_applications"], h["not_taking"]["code"]])
    };
    assert_eq!(why(open), json!([true, null]));
    assert_eq!(why(last_day), json!([true, null]), "the closing day itself still counts");
    assert_eq!(why(expired), json!([false, "expired"]));
    assert_eq!(why(full), json!([false, "full"]));
    assert_eq!(why(closed), json!([false, "closed"]));
    assert_eq!(why(later), json!([false, "not_yet_open"]));
    let words = b["hits"].as_array().unwrap().iter().find(|h| h["id"] == full).unwrap()["not_taking"]["text"].clone();
    assert_eq!(words, "4个名额已招满");
    // Everyone else — the trainee, anonymous — and open_only see the same two.
    for token in [Some(trainee.as_str()), None] {
        let (s, b) = app.call("GET", &format!("{q}&open_only=false"), token, None).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(ids(&b), [open, last_day], "{b}");
        assert!(b["hits"].as_array().unwrap().iter().all(|h| h["taking_applications"] == true));
    }
    let (_, b) = app.call("GET", &format!("{q}&open_only=true"), Some(&app.clerk), None).await;
    assert_eq!(ids(&b), [open, last_day]);
    // Typeahead suggests only titles of postings taking applications.
    let (s, b) =
        app.call("GET", &format!("/api/v1/postings/complete?q={}&limit=20", urlencode("厨师（")), None, None).await;
    assert_eq!(s, 200, "{b}");
    let titles: Vec<&str> = b["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "title")
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["厨师（今天截止）", "厨师（包吃住）"], "{b}");
    // Matches: the same two, and the others explained.
    let path = format!("/api/v1/labourers/{me}/matches?explain_filtered=true");
    let b = eventually(&app, &path, Some(&trainee), |b| ids(b) == [open, last_day]).await;
    let filtered: Vec<(i64, String)> = b["filtered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["posting_id"].as_i64().unwrap(), f["reasons"][0]["code"].as_str().unwrap().to_string()))
        .collect();
    for (id, code) in [(expired, "closed"), (full, "no_headcount"), (closed, "closed"), (later, "not_yet_open")] {
        assert!(filtered.contains(&(id, code.to_string())), "{id} {code}: {filtered:?}");
    }
    // The posting itself, one and in a list, says so too.
    let p = app.get_ok(&format!("/api/v1/postings/{full}"), &trainee).await;
    assert_eq!(
        (p["taking_applications"].clone(), p["not_taking"]["code"].clone(), p["hired"].clone()),
        (json!(false), json!("full"), json!(4))
    );
    let list = app.get_ok(&format!("/api/v1/postings?employer_id={e}"), &app.clerk).await;
    let listed = |id: i64| {
        list["items"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap()["taking_applications"].clone()
    };
    assert_eq!((listed(open), listed(expired), listed(later)), (json!(true), json!(false), json!(false)));
    // Candidates for a posting that takes no applications say so.
    let c = app.get_ok(&format!("/api/v1/postings/{expired}/candidates"), &app.clerk).await;
    assert_eq!((c["taking_applications"].clone(), c["not_taking"]["code"].clone()), (json!(false), json!("expired")));
    // A placement deleted frees a place: the posting is open again everywhere.
    let (s, _) = app.delete(&format!("/api/v1/placements/{}", fillers[0]), &app.clerk).await;
    assert_eq!(s, 204);
    eventually(&app, &q, None, |b| ids(b) == [open, full, last_day]).await;
}

/// Kind 6 of the issue: a man born 1970-01-05 with primary schooling who
/// wants 家政 or 保姆 in 440106 got an empty list, though cleaning, farm and
/// warehouse work were open to him. Now his wishes (and their synonyms)
/// come first, related work next, then everything else he can take.
async fn a_person_with_narrow_wishes_gets_every_posting_they_can_take(app: TestApp) {
    let e = app.employer("广州市天河区好帮手家政服务有限公司").await;
    let young_maid = posting(&app, e, json!({"title": "住家保姆", "region_code": "440106", "max_age": 50})).await;
    let women =
        posting(&app, e, json!({"title": "家政服务员", "region_code": "440106", "gender_requirement": "female"})).await;
    let school =
        posting(&app, e, json!({"title": "高级家政管家", "region_code": "440106", "education_min": "senior_high"}))
            .await;
    let cleaner = posting(&app, e, json!({"title": "保洁员", "region_code": "440106", "max_age": 60})).await;
    let farm = posting(&app, e, json!({"title": "果园工", "region_code": "440781", "benefits": ["housing"]})).await;
    let store = posting(&app, e, json!({"title": "仓库搬运", "region_code": "440704", "max_age": 60})).await;
    let young_only = posting(&app, e, json!({"title": "电子厂普工", "max_age": 35})).await;
    let me = app
        .labourer(json!({"id_number": id_number("440106", "19700105", 51), "name": "何伯",
                         "education": "primary", "desired_occupations": ["家政", "保姆"],
                         "desired_region_codes": ["440106"]}))
        .await;
    let me = me["id"].as_i64().unwrap();
    let path = format!("/api/v1/labourers/{me}/matches");
    let b = eventually(&app, &path, Some(&app.clerk), |b| ids(b).len() == 3).await;
    let order: Vec<i64> = b["hits"].as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect();
    assert_eq!(order[0], cleaner, "related work (保洁 for 家政) before the rest: {b}");
    let mut rest = order[1..].to_vec();
    rest.sort();
    assert_eq!(rest, [farm, store]);
    for left_out in [young_maid, women, school, young_only] {
        assert!(!order.contains(&left_out), "{left_out} is not his to take: {b}");
    }
    let codes = |id: i64| -> Vec<String> {
        let h = b["hits"].as_array().unwrap().iter().find(|h| h["id"] == id).unwrap();
        h["why"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
    };
    assert!(codes(cleaner).contains(&"related_occupation".to_string()), "{:?}", codes(cleaner));
    assert!(codes(cleaner).contains(&"desired_region".to_string()));
    // Outside his wishes the why says what does fit: housing, age range.
    let farm_why = codes(farm);
    assert!(farm_why.contains(&"housing".to_string()) && farm_why.contains(&"age_range".to_string()), "{farm_why:?}");
    // One of his wishes opens up: it comes first.
    let maid = posting(&app, e, json!({"title": "钟点工", "region_code": "440106"})).await;
    let b = eventually(&app, &path, Some(&app.clerk), |b| ids(b).len() == 4).await;
    assert_eq!(b["hits"][0]["id"], maid, "{b}");
    assert_eq!(b["hits"][0]["why"][0]["code"], "desired_occupation");
}
