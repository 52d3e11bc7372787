//! Search and matching through HTTP: the index follows writes, synonyms,
//! facets, highlights, anonymous access, matches with reasons and hard
//! filters, candidates, and a restart after a kill.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{id_number, urlencode, TestApp};
use labour_bridge::auth::Role;

crate::on_both_backends!(
    a_write_is_searchable_shortly_after_and_edits_and_deletes_follow,
    synonyms_facets_and_highlights,
    anonymous_search_sees_open_postings_and_no_personal_data,
    a_certified_chef_gets_chef_postings_first_and_the_why_says_so,
    hard_filters_exclude_postings_the_person_cannot_take_and_explain_it,
    candidates_rank_people_for_a_posting_and_leave_out_the_employed,
    bad_search_parameters_are_400_naming_the_field,
    a_committed_write_survives_a_kill_and_is_searchable_after_restart,
    a_missing_or_outdated_index_is_rebuilt_from_the_database,
    renaming_an_employer_reindexes_its_postings,
    words_of_many_parts_are_highlighted_without_losing_a_character,
    every_vocabulary_word_is_answered_with_highlights_that_keep_the_text,
);

/// Polls `GET path` as `token` until `ok` holds (at most 5 s).
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

fn search_path(q: &str, extra: &str) -> String {
    format!("/api/v1/postings/search?q={}{extra}", urlencode(q))
}

fn ids(b: &Value) -> Vec<i64> {
    b["hits"].as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect()
}

async fn posting(app: &TestApp, employer: i64, body: Value) -> i64 {
    let mut full = json!({"employer_id": employer, "headcount": 3, "region_code": "440704"});
    full.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    let (s, b) = app.post("/api/v1/postings", &app.clerk, full).await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

async fn a_write_is_searchable_shortly_after_and_edits_and_deletes_follow(app: TestApp) {
    let e = app.employer("江门市江海区海悦酒楼有限公司").await;
    let id = posting(&app, e, json!({"title": "海鲜酒楼砧板", "description": "负责海鲜宰杀"})).await;
    let clerk = Some(app.clerk.as_str());
    let b = eventually(&app, &search_path("砧板", ""), clerk, |b| ids(b) == [id]).await;
    assert_eq!(b["total"], 1);
    // An edit: the new word finds it, the old one no longer does.
    let (s, _) =
        app.patch(&format!("/api/v1/postings/{id}"), &app.clerk, json!({"version": 1, "title": "海鲜酒楼水台"})).await;
    assert_eq!(s, 200);
    eventually(&app, &search_path("水台", ""), clerk, |b| ids(b) == [id]).await;
    let (_, b) = app.call("GET", &search_path("砧板", ""), clerk, None).await;
    assert_eq!(b["total"], 0, "{b}");
    // Closed: gone with open_only, still there without it.
    let (s, _) =
        app.patch(&format!("/api/v1/postings/{id}"), &app.clerk, json!({"version": 2, "status": "closed"})).await;
    assert_eq!(s, 200);
    eventually(&app, &search_path("水台", "&open_only=true"), clerk, |b| b["total"] == 0).await;
    let (_, b) = app.call("GET", &search_path("水台", ""), clerk, None).await;
    assert_eq!(ids(&b), [id]);
    // Deleted: gone everywhere.
    let (s, _) = app.delete(&format!("/api/v1/postings/{id}"), &app.clerk).await;
    assert_eq!(s, 204);
    eventually(&app, &search_path("水台", ""), clerk, |b| b["total"] == 0).await;
}

async fn synonyms_facets_and_highlights(app: TestApp) {
    let e = app.employer("台山市广海镇海鲜酒家").await;
    let chef = posting(
        &app,
        e,
        json!({"title": "中式烹调师", "description": "负责粤式小炒出品", "region_code": "440781",
               "salary_min": 5000, "salary_max": 6500, "benefits": ["housing", "meals"]}),
    )
    .await;
    let wok =
        posting(&app, e, json!({"title": "炒锅", "region_code": "450103", "salary_min": 3500, "salary_max": 4500}))
            .await;
    let guard = posting(&app, e, json!({"title": "门卫", "description": "负责门岗值守", "salary_min": 3000})).await;
    let clerk = Some(app.clerk.as_str());
    // 厨师 appears in none of them: the vocabulary finds both chef postings.
    let b = eventually(&app, &search_path("厨师", ""), clerk, |b| b["total"] == 2).await;
    let mut found = ids(&b);
    found.sort();
    assert_eq!(found, [chef, wok]);
    assert!(!found.contains(&guard));
    // Facets count all hits.
    let f = &b["facets"];
    let count = |facet: &str, value: &str| -> u64 {
        f[facet]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == value)
            .map(|c| c["count"].as_u64().unwrap())
            .unwrap_or(0)
    };
    assert_eq!(count("province", "44"), 1, "{f}");
    assert_eq!(count("province", "45"), 1, "{f}");
    assert_eq!(count("occupation", "厨师"), 2, "{f}");
    assert_eq!(count("benefits", "housing"), 1, "{f}");
    assert_eq!(count("salary_band", "5000-6999"), 1, "{f}");
    // Highlights mark the words that matched.
    let hit = b["hits"].as_array().unwrap().iter().find(|h| h["id"] == chef).unwrap();
    assert_eq!(hit["highlights"]["title"], "<b>中式烹调师</b>");
    let b = eventually(&app, &search_path("小炒", ""), clerk, |b| b["total"] == 1).await;
    assert!(b["hits"][0]["highlights"]["description"].as_str().unwrap().contains("<b>小炒</b>"), "{b}");
    // 安保员 finds the 门卫 posting; region and salary filters narrow.
    let b = eventually(&app, &search_path("安保员", ""), clerk, |b| b["total"] == 1).await;
    assert_eq!(ids(&b), [guard]);
    let (_, b) = app.call("GET", &search_path("厨师", "&region=4407"), clerk, None).await;
    assert_eq!(ids(&b), [chef]);
    let (_, b) = app.call("GET", &search_path("厨师", "&salary_min=6000"), clerk, None).await;
    assert_eq!(ids(&b), [chef]);
    let (_, b) = app.call("GET", &search_path("厨师", "&benefits=housing,meals"), clerk, None).await;
    assert_eq!(ids(&b), [chef]);
    // As a phone types them: full-width digits, the office's words.
    for salary in ["６０００", "6,000", "６，０００"] {
        let typed = format!("&salary_min={}&benefits={}", urlencode(salary), urlencode("包住，包吃"));
        let (_, b) = app.call("GET", &search_path("厨师", &typed), clerk, None).await;
        assert_eq!(ids(&b), [chef], "{salary}");
    }
    // Typeahead offers occupations and titles.
    let (s, b) = app.call("GET", &format!("/api/v1/postings/complete?q={}", urlencode("中式")), None, None).await;
    assert_eq!(s, 200, "{b}");
    let texts: Vec<&str> = b["suggestions"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&"中式烹调师"), "{texts:?}");
}

async fn anonymous_search_sees_open_postings_and_no_personal_data(app: TestApp) {
    let (s, e) = app
        .post(
            "/api/v1/employers",
            &app.clerk,
            json!({"name": "江门市江海区安达电子有限公司", "region_code": "440704", "contact_name": "李经理", "contact_phone": "13800138000"}),
        )
        .await;
    assert_eq!(s, 201);
    let e = e["id"].as_i64().unwrap();
    let open = posting(&app, e, json!({"title": "电子厂普工", "benefits": ["housing"]})).await;
    let closed = posting(&app, e, json!({"title": "电子厂普工（夜班）", "status": "closed"})).await;
    let _old =
        posting(&app, e, json!({"title": "电子厂普工（旧）", "closes_on": "2019-12-31", "opens_on": "2019-01-01"}))
            .await;
    // A labourer whose skills mention 普工 must never show up in posting search.
    app.labourer(json!({"id_number": id_number("451424", "19900101", 11), "name": "农秀英", "skills": ["普工"], "phone": "13907710000"})).await;
    let clerk = Some(app.clerk.as_str());
    eventually(&app, &search_path("普工", ""), clerk, |b| b["total"] == 3).await;
    let (s, b) = app.call("GET", &search_path("普工", "&open_only=false"), None, None).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(ids(&b), [open], "anonymous callers see open postings only, whatever they ask");
    let text = b.to_string();
    for personal in ["农秀英", "13907710000", "13800138000", "李经理", "id_number", "phone"] {
        assert!(!text.contains(personal), "`{personal}` leaked: {text}");
    }
    assert!(!ids(&b).contains(&closed));
    // A bad token is refused, not treated as anonymous.
    let (s, _) = app.call("GET", &search_path("普工", ""), Some("lb_not_a_token"), None).await;
    assert_eq!(s, 401);
}

/// A 粤菜师傅 class and a completed enrolment with a 中式烹调师 certificate.
async fn certify(app: &TestApp, labourer: i64) {
    let (s, p) = app
        .post("/api/v1/training/programmes", &app.clerk, json!({"name": "粤菜师傅", "occupation": "中式烹调师",
            "provider": "台山市广东厨艺技工学校", "provider_region_code": "440781", "free": true, "certificate_name": "中式烹调师"}))
        .await;
    assert_eq!(s, 201, "{p}");
    let (s, session) = app
        .post(
            "/api/v1/training/sessions",
            &app.clerk,
            json!({"programme_id": p["id"], "starts_on": "2019-05-06",
            "ends_on": "2019-06-14", "capacity": 40, "location": "台城校区"}),
        )
        .await;
    assert_eq!(s, 201, "{session}");
    let sid = session["id"].as_i64().unwrap();
    let (s, en) = app
        .post(&format!("/api/v1/training/sessions/{sid}/enrolments"), &app.clerk, json!({"labourer_id": labourer}))
        .await;
    assert_eq!(s, 201, "{en}");
    let (s, b) = app
        .patch(&format!("/api/v1/training/sessions/{sid}/enrolments/{}", en["id"]), &app.clerk,
               json!({"version": 1, "status": "completed", "completed_on": "2019-06-14", "certificate_no": "1944078100000120",
                      "certificate_kind": "skill_level", "certificate_level": "五级/初级工", "certified_on": "2019-06-28"}))
        .await;
    assert_eq!(s, 200, "{b}");
}

async fn a_certified_chef_gets_chef_postings_first_and_the_why_says_so(app: TestApp) {
    let e = app.employer("江门市江海区粤厨轩餐饮有限公司").await;
    let factory = posting(
        &app,
        e,
        json!({"title": "电子厂普工", "salary_min": 4500, "salary_max": 6000, "benefits": ["housing"]}),
    )
    .await;
    let guard = posting(&app, e, json!({"title": "保安员", "salary_min": 4000})).await;
    let chef = posting(
        &app,
        e,
        json!({"title": "粤菜厨师", "description": "持中式烹调师证优先", "salary_min": 5000, "salary_max": 7000}),
    )
    .await;
    let me = app
        .labourer(
            json!({"id_number": id_number("451424", "19950505", 21), "name": "黄志强", "education": "junior_high",
                         "skills": ["切配"], "desired_region_codes": ["440700"]}),
        )
        .await;
    let me = me["id"].as_i64().unwrap();
    certify(&app, me).await;
    let trainee = app.add_user("zhiqiang", Role::Trainee, None, Some(me));
    let path = format!("/api/v1/labourers/{me}/matches");
    // The trainee may read their own matches, once the certificate is indexed.
    let b = eventually(&app, &path, Some(&trainee), |b| b["hits"][0]["id"] == chef).await;
    let why = b["hits"][0]["why"].as_array().unwrap();
    let codes: Vec<&str> = why.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"certificate"), "{why:?}");
    let cert = why.iter().find(|r| r["code"] == "certificate").unwrap();
    assert!(cert["text"].as_str().unwrap().contains("中式烹调师"), "{cert}");
    assert!(
        codes.contains(&"desired_region") && codes.contains(&"paired_district") && codes.contains(&"salary"),
        "{codes:?}"
    );
    let all = ids(&b);
    // The others follow, if they come at all, after the chef posting.
    assert!(all.iter().position(|&i| i == chef) < all.iter().position(|&i| i == factory).or(Some(usize::MAX)));
    assert!(!all[..1].contains(&guard));
    // Someone else's matches are not theirs to read.
    let other = app.labourer(json!({"id_number": id_number("451424", "19960606", 23), "name": "陆海"})).await;
    let (s, _) = app.get(&format!("/api/v1/labourers/{}/matches", other["id"]), &trainee).await;
    assert_eq!(s, 403);
    let (s, _) = app.get("/api/v1/labourers/999999/matches", &app.clerk).await;
    assert_eq!(s, 404);
}

async fn hard_filters_exclude_postings_the_person_cannot_take_and_explain_it(app: TestApp) {
    let e = app.employer("江门市江海区华美制衣厂").await;
    // A 45-year-old woman with junior-high schooling who wants 普工 work.
    let me = app
        .labourer(json!({"id_number": id_number("451424", "19800808", 42), "name": "黄丽", "education": "junior_high",
                         "desired_occupations": ["普工"]}))
        .await;
    let me = me["id"].as_i64().unwrap();
    let ok = posting(&app, e, json!({"title": "普工", "max_age": 50})).await;
    let young = posting(&app, e, json!({"title": "普工（18-35岁）", "min_age": 18, "max_age": 35})).await;
    let men = posting(&app, e, json!({"title": "搬运普工", "gender_requirement": "male"})).await;
    let school = posting(&app, e, json!({"title": "普工（高中以上）", "education_min": "senior_high"})).await;
    let closed = posting(&app, e, json!({"title": "普工（已招满）", "status": "closed"})).await;
    let full = posting(&app, e, json!({"title": "包装普工", "headcount": 1})).await;
    let filler = app.labourer(json!({"id_number": id_number("451424", "19990101", 13), "name": "陆强"})).await;
    let (s, b) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": filler["id"], "employer_id": e, "posting_id": full,
            "region_code": "440704", "started_on": "2019-03-01", "channel": "referral"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let path = format!("/api/v1/labourers/{me}/matches?explain_filtered=true");
    // Once all six are indexed: one taken, five left out.
    let b = eventually(&app, &path, Some(&app.clerk), |b| b["filtered"].as_array().is_some_and(|f| f.len() == 5)).await;
    assert_eq!(ids(&b), [ok], "{b}");
    let filtered = b["filtered"].as_array().unwrap();
    let reason = |id: i64| -> Vec<String> {
        filtered
            .iter()
            .find(|f| f["posting_id"] == id)
            .map(|f| f["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(reason(young), ["age"], "{filtered:?}");
    assert_eq!(reason(men), ["gender"]);
    assert_eq!(reason(school), ["education"]);
    assert_eq!(reason(closed), ["closed"]);
    assert_eq!(reason(full), ["no_headcount"]);
    let age = filtered.iter().find(|f| f["posting_id"] == young).unwrap();
    assert!(age["reasons"][0]["text"].as_str().unwrap().contains("18–35岁"), "{age}");
}

async fn candidates_rank_people_for_a_posting_and_leave_out_the_employed(app: TestApp) {
    let e = app.employer("江门市江海区粤厨轩餐饮有限公司").await;
    let chef = posting(&app, e, json!({"title": "粤菜厨师", "min_age": 18, "max_age": 55})).await;
    let certified = app.labourer(json!({"id_number": id_number("451424", "19950505", 31), "name": "黄志强"})).await;
    let certified = certified["id"].as_i64().unwrap();
    certify(&app, certified).await;
    let wants = app
        .labourer(json!({"id_number": id_number("451424", "19970707", 33), "name": "农立新", "desired_occupations": ["大厨"]}))
        .await["id"]
        .as_i64()
        .unwrap();
    let busy = app
        .labourer(
            json!({"id_number": id_number("451424", "19930303", 35), "name": "李明", "desired_occupations": ["厨师"]}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let old = app
        .labourer(json!({"id_number": id_number("451424", "19500101", 37), "name": "黄老伯", "desired_occupations": ["厨师"]}))
        .await["id"]
        .as_i64()
        .unwrap();
    let (s, b) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": busy, "employer_id": e, "region_code": "440704",
            "started_on": "2020-01-01", "channel": "referral"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let path = format!("/api/v1/postings/{chef}/candidates");
    // Once everyone is indexed the employed person is there on request…
    let all = format!("{path}?include_employed=true");
    let b = eventually(&app, &all, Some(&app.clerk), |b| ids(b).len() == 3).await;
    assert!(ids(&b).contains(&busy), "{b}");
    // …and left out by default.
    let (s, b) = app.get(&path, &app.clerk).await;
    assert_eq!(s, 200);
    assert_eq!(ids(&b), [certified, wants], "{b}");
    assert_eq!(b["hits"][0]["why"][0]["code"], "certificate");
    assert_eq!(b["hits"][1]["why"][0]["code"], "desired_occupation");
    assert!(b["hits"][0]["id_number"].as_str().unwrap().contains('*'));
    assert!(!ids(&b).contains(&old), "too old for the posting");
    let (s, _) = app.get(&path, &app.organiser).await;
    assert_eq!(s, 403);
}

async fn bad_search_parameters_are_400_naming_the_field(app: TestApp) {
    for (query, field) in [
        ("region=4", "region"),
        ("region=999999", "region"),
        ("salary_min=lots", "salary_min"),
        ("benefits=housing,pool", "benefits"),
        ("education=phd", "education"),
        ("open_only=maybe", "open_only"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
    ] {
        let (s, b) = app.call("GET", &format!("/api/v1/postings/search?{query}"), None, None).await;
        assert_eq!(s, 400, "{query}: {b}");
        assert_eq!(b["errors"][0]["field"], field, "{query}: {b}");
    }
    // Told in the page's words: the parameter's Chinese name, the choices'.
    let (_, b) = app.call("GET", "/api/v1/postings/search?salary_min=lots", None, None).await;
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("“最低月薪”"), "{b}");
    let (_, b) = app.call("GET", "/api/v1/postings/search?benefits=pool", None, None).await;
    let told = b["errors"][0]["message"].as_str().unwrap();
    assert!(told.contains("包住") && !told.contains("housing"), "{b}");
    let (s, b) = app.call("GET", "/api/v1/postings/complete", None, None).await;
    assert_eq!((s, b["errors"][0]["field"].as_str()), (400, Some("q")));
    let (s, b) = app.get("/api/v1/labourers/1/matches?explain_filtered=yes", &app.clerk).await;
    assert_eq!((s, b["errors"][0]["field"].as_str()), (400, Some("explain_filtered")));
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(app: &TestApp, data_dir: &std::path::Path, port: u16, index_interval_ms: u64) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_labour-bridge"))
        .args(["--data-dir", &data_dir.to_string_lossy(), "--database-url", &app.database_url, "serve"])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env("LB_LOG", "warn")
        .env("LB_SCHEDULER_SECS", "0")
        .env("LB_INDEX_INTERVAL_MS", index_interval_ms.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Server(child)
}

async fn wait_up(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the service did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn a_committed_write_survives_a_kill_and_is_searchable_after_restart(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let e = app.employer("江门市江海区明阳灯饰厂").await;
    // The first process never runs its indexer: the write is committed to
    // the database (and its outbox) but certainly not to the index.
    let first = serve(&app, dir.path(), port, 0);
    wait_up(&client, &base).await;
    let generation = std::fs::read_to_string(dir.path().join("index/CURRENT")).unwrap();
    let r = client
        .post(format!("{base}/api/v1/postings"))
        .bearer_auth(&app.clerk)
        .json(&json!({"employer_id": e, "title": "灯饰装配工", "headcount": 2, "region_code": "440704"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let mut first = first;
    first.0.kill().unwrap(); // SIGKILL: no shutdown hooks run.
    first.0.wait().unwrap();
    let _second = serve(&app, dir.path(), port, 200);
    wait_up(&client, &base).await;
    let b: Value = client
        .get(format!("{base}{}", search_path("灯饰", "")))
        .bearer_auth(&app.clerk)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&b), [id], "{b}");
    // It caught up from its saved cursor rather than rebuilding.
    assert_eq!(std::fs::read_to_string(dir.path().join("index/CURRENT")).unwrap(), generation);
}

async fn a_missing_or_outdated_index_is_rebuilt_from_the_database(app: TestApp) {
    use labour_bridge::search::query::PostingSearch;
    use labour_bridge::search::Search;
    let e = app.employer("江门市江海区明阳灯饰厂").await;
    let id = posting(&app, e, json!({"title": "灯饰装配工"})).await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("index");
    let ask = PostingSearch {
        q: "灯饰".into(),
        region: None,
        salary_min: None,
        benefits: vec![],
        education: None,
        open_only: false,
        limit: 10,
        offset: 0,
        today: chrono::Utc::now().date_naive(),
    };
    let found = |s: &Search| s.search_postings(&ask).unwrap().hits.iter().map(|h| h.posting.id).collect::<Vec<_>>();
    let current = || std::fs::read_to_string(root.join("CURRENT")).unwrap();
    // Missing: built from the database.
    let first = Search::open(&root, &app.db, "440704").unwrap();
    assert_eq!(found(&first), [id]);
    let built = current();
    drop(first);
    // Current: opened as it is.
    let again = Search::open(&root, &app.db, "440704").unwrap();
    assert_eq!(current(), built);
    drop(again);
    // Built under another schema version: rebuilt into a new generation.
    for store in ["postings", "labourers"] {
        let meta = root.join(built.trim()).join(store).join("meta.json");
        let text = std::fs::read_to_string(&meta).unwrap();
        let version = labour_bridge::search::schema::SCHEMA_VERSION;
        let older = text.replace(&format!("\\\"schema\\\":{version}"), "\\\"schema\\\":0");
        assert_ne!(older, text, "payload not found in {text}");
        std::fs::write(&meta, older).unwrap();
    }
    let rebuilt = Search::open(&root, &app.db, "440704").unwrap();
    assert_ne!(current(), built);
    assert_eq!(found(&rebuilt), [id]);
    assert!(!root.join(built.trim()).exists(), "the old generation is removed");
}

async fn renaming_an_employer_reindexes_its_postings(app: TestApp) {
    let e = app.employer("江门市江海区明阳灯饰厂").await;
    let id = posting(&app, e, json!({"title": "灯饰装配工"})).await;
    let clerk = Some(app.clerk.as_str());
    eventually(&app, &search_path("明阳", ""), clerk, |b| ids(b) == [id]).await;
    let (s, b) = app
        .patch(
            &format!("/api/v1/employers/{e}"),
            &app.clerk,
            json!({"version": 1, "name": "江门市江海区星辉照明有限公司"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let b = eventually(&app, &search_path("星辉", ""), clerk, |b| ids(b) == [id]).await;
    assert_eq!(b["hits"][0]["employer_name"], "江门市江海区星辉照明有限公司");
    let (_, b) = app.call("GET", &search_path("明阳", ""), clerk, None).await;
    assert_eq!(b["total"], 0, "{b}");
}

/// Highlight HTML back to text: tags dropped, entities decoded as the
/// service encodes them; raw markup other than `<b>` fails the test.
fn unmarked(html: &str) -> String {
    let bare = html.replace("<b>", "").replace("</b>", "");
    assert!(!bare.contains(['<', '>']), "unescaped markup in {html:?}");
    bare.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

async fn words_of_many_parts_are_highlighted_without_losing_a_character(app: TestApp) {
    let e = app.employer("江门市江海区安心家政服务有限公司").await;
    let filler: Vec<char> =
        "负责新生儿护理、产妇月子餐及日常照料。须持育婴员或母婴护理证书，有经验者工资面议。公司免费岗前培训，月休四天。"
            .chars()
            .collect();
    // 包吃住 on either side of where the first 120-byte fragment ends: the
    // place where its part 吃住 used to open a fragment after the word began.
    for k in 34..=42 {
        let description: String =
            filler[..k].iter().chain(['，', '包', '吃', '住', '，'].iter()).chain(&filler[k..]).collect();
        posting(&app, e, json!({"title": "育婴员（月嫂）", "description": description})).await;
    }
    let clerk = Some(app.clerk.as_str());
    let b = eventually(&app, &search_path("包吃住", "&limit=20"), clerk, |b| b["total"] == 9).await;
    for hit in b["hits"].as_array().unwrap() {
        let d = hit["highlights"]["description"].as_str().unwrap_or_default();
        assert!(d.contains("<b>包吃住</b>"), "{hit}");
        assert!(hit["description"].as_str().unwrap().contains(&unmarked(d)), "{hit}");
    }
    let (s, b) = app.call("GET", &search_path("月嫂", ""), clerk, None).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["hits"][0]["highlights"]["title"], "<b>育婴员</b>（<b>月嫂</b>）", "the closing bracket stays: {b}");
}

async fn every_vocabulary_word_is_answered_with_highlights_that_keep_the_text(app: TestApp) {
    use labour_bridge::demo::catalogue::{EMPLOYERS, POSTINGS};
    let e = app.employer("江门市江海区华粤电子科技有限公司").await;
    // The demo catalogue, where `serve --demo` answered 包吃住 with a 500.
    for p in POSTINGS {
        posting(
            &app,
            e,
            json!({"title": p.title, "occupation": p.occupation, "description": p.description,
                   "benefits": p.benefits, "region_code": EMPLOYERS[p.employer].region_code}),
        )
        .await;
    }
    let clerk = Some(app.clerk.as_str());
    eventually(&app, "/api/v1/postings/search?limit=1", clerk, |b| b["total"] == POSTINGS.len()).await;
    let vocab = labour_bridge::search::vocab::Vocabulary::builtin();
    let mut hits = 0;
    for word in vocab.occupations().iter().flat_map(|o| &o.words) {
        let (s, b) = app.call("GET", &search_path(word, "&limit=100"), clerk, None).await;
        assert_eq!(s, 200, "{word}: {b}");
        for hit in b["hits"].as_array().unwrap() {
            assert_eq!(unmarked(hit["highlights"]["title"].as_str().unwrap()), hit["title"], "{word}: {hit}");
            if let Some(d) = hit["highlights"]["description"].as_str() {
                assert!(hit["description"].as_str().unwrap().contains(&unmarked(d)), "{word}: {hit}");
            }
            hits += 1;
        }
    }
    assert!(hits > 100, "only {hits} hits");
}
