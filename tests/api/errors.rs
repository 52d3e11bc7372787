use serde_json::json;

use crate::helpers::TestApp;

crate::on_both_backends!(
    malformed_json_is_400_problem_json,
    a_body_that_is_not_an_object_or_not_json_is_refused,
    an_oversized_body_is_413,
    unknown_routes_and_bad_ids_are_problems_not_crashes,
    the_openapi_document_covers_every_route,
    errors_actix_answers_itself_are_problem_json,
    messages_name_each_records_own_fields,
    a_value_of_the_wrong_form_is_told_by_what_the_field_takes,
);

/// Writes `request` on a fresh connection and reads the answer: status,
/// content type, body.
async fn raw(app: &TestApp, request: Vec<u8>) -> (u16, String, String) {
    let addr = app.address.trim_start_matches("http://").to_string();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let _ = s.write_all(&request);
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let ctype = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type:").map(|v| v.trim().to_string()))
            .unwrap_or_default();
        (status, ctype, body.to_string())
    })
    .await
    .unwrap()
}

async fn errors_actix_answers_itself_are_problem_json(app: TestApp) {
    // A URL of ~100k characters: longer than a URI may be, within the head buffer.
    let long =
        format!("GET /api/v1/labourers?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(100_000));
    let (s, ctype, body) = raw(&app, long.into_bytes()).await;
    assert!(s == 400 || s == 414 || s == 431, "{s} {body}");
    assert!(ctype.starts_with("application/problem+json"), "{s} {ctype} {body}");
    let b: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(b["status"], s);
    // A request line that is not HTTP.
    let (s, ctype, _) = raw(&app, b"HELLO\r\n\r\n".to_vec()).await;
    assert_eq!(s, 400);
    assert!(ctype.starts_with("application/problem+json"), "{ctype}");
    // A method no route takes.
    let (s, ctype, b) = app.call_raw("PUT", "/api/v1/labourers", Some(&app.clerk), None).await;
    assert!(s == 404 || s == 405, "{s} {b}");
    assert!(ctype.starts_with("application/problem+json"), "{ctype}");
    assert_eq!(b["status"], s);
    // A multipart body that is not one.
    let r = app
        .client
        .post(app.url("/api/v1/imports?kind=labourers"))
        .bearer_auth(&app.clerk)
        .header("content-type", "multipart/form-data; boundary=xyz")
        .body("--abc\r\nnot a part")
        .send()
        .await
        .unwrap();
    let (s, ctype) = (r.status().as_u16(), r.headers()["content-type"].to_str().unwrap().to_string());
    assert!((400..500).contains(&s), "{s}");
    assert!(ctype.starts_with("application/problem+json"), "{ctype}");
}

async fn send(app: &TestApp, ctype: &str, body: Vec<u8>) -> (u16, String, serde_json::Value) {
    send_in(app, ctype, body, "zh-CN").await
}

async fn send_in(app: &TestApp, ctype: &str, body: Vec<u8>, lang: &str) -> (u16, String, serde_json::Value) {
    let r = app
        .client
        .post(app.url("/api/v1/labourers"))
        .bearer_auth(&app.clerk)
        .header("content-type", ctype)
        .header("accept-language", lang)
        .body(body)
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    let c = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (s, c, r.json().await.unwrap_or(serde_json::Value::Null))
}

async fn malformed_json_is_400_problem_json(app: TestApp) {
    let (s, c, b) = send_in(&app, "application/json", b"{\"name\": ".to_vec(), "en-GB,en;q=0.9").await;
    assert_eq!(s, 400);
    assert!(c.starts_with("application/problem+json"));
    assert_eq!(b["title"], "Bad request", "English when the client prefers it");
    let (s, _, b) = send(&app, "application/json", b"{\"name\": ".to_vec()).await;
    assert_eq!(s, 400);
    assert_eq!(b["title"], "请求无法识别", "Chinese otherwise");
    assert_eq!(app.count("labourers"), 0);
}

async fn a_body_that_is_not_an_object_or_not_json_is_refused(app: TestApp) {
    let (s, _, _) = send(&app, "application/json", b"[1,2]".to_vec()).await;
    assert_eq!(s, 400);
    let (s, c, _) = send(&app, "text/plain", b"name=x".to_vec()).await;
    assert_eq!(s, 415);
    assert!(c.starts_with("application/problem+json"));
}

async fn an_oversized_body_is_413(app: TestApp) {
    let big = json!({"name": "x".repeat(100 * 1024), "id_number": "1"});
    let (s, c, b) = send(&app, "application/json", serde_json::to_vec(&big).unwrap()).await;
    assert_eq!(s, 413, "{b}");
    assert!(c.starts_with("application/problem+json"));
}

async fn unknown_routes_and_bad_ids_are_problems_not_crashes(app: TestApp) {
    let (s, c, _) = app.call_raw("GET", "/api/v1/nothing-here", Some(&app.clerk), None).await;
    assert_eq!(s, 404);
    assert!(c.starts_with("application/problem+json"));
    let (s, c, _) = app.call_raw("GET", "/api/v1/labourers/abc", Some(&app.clerk), None).await;
    assert_eq!(s, 400);
    assert!(c.starts_with("application/problem+json"));
    let (s, _) = app.get("/api/v1/labourers/99999999999999999999", &app.clerk).await;
    assert_eq!(s, 400);
    let (s, _) = app.get("/api/v1/placements?started_from=2019-02-30", &app.clerk).await;
    assert_eq!(s, 400);
}

async fn the_openapi_document_covers_every_route(app: TestApp) {
    let (s, doc) = app.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, 200);
    let paths = doc["paths"].as_object().unwrap();
    let expect = [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/me", "get"),
        ("/api/v1/auth/password", "post"),
        ("/api/v1/users", "post"),
        ("/api/v1/users", "get"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/audit", "get"),
        ("/api/v1/labourers", "post"),
        ("/api/v1/labourers", "get"),
        ("/api/v1/labourers/duplicates", "get"),
        ("/api/v1/labourers/duplicates/{a}/{b}/merge", "post"),
        ("/api/v1/labourers/duplicates/{a}/{b}/dismiss", "post"),
        ("/api/v1/labourers/{id}", "get"),
        ("/api/v1/labourers/{id}", "patch"),
        ("/api/v1/labourers/{id}", "delete"),
        ("/api/v1/employers", "post"),
        ("/api/v1/employers", "get"),
        ("/api/v1/employers/{id}", "get"),
        ("/api/v1/employers/{id}", "patch"),
        ("/api/v1/employers/{id}", "delete"),
        ("/api/v1/postings", "post"),
        ("/api/v1/postings/search", "get"),
        ("/api/v1/postings/complete", "get"),
        ("/api/v1/postings/{id}/candidates", "get"),
        ("/api/v1/labourers/{id}/matches", "get"),
        ("/api/v1/postings", "get"),
        ("/api/v1/postings/{id}", "get"),
        ("/api/v1/postings/{id}", "patch"),
        ("/api/v1/postings/{id}", "delete"),
        ("/api/v1/placements", "post"),
        ("/api/v1/placements", "get"),
        ("/api/v1/placements/{id}", "get"),
        ("/api/v1/placements/{id}", "patch"),
        ("/api/v1/placements/{id}", "delete"),
        ("/api/v1/fairs", "post"),
        ("/api/v1/fairs", "get"),
        ("/api/v1/fairs/{id}", "get"),
        ("/api/v1/fairs/{id}", "patch"),
        ("/api/v1/fairs/{id}", "delete"),
        ("/api/v1/fairs/{id}/employers", "post"),
        ("/api/v1/fairs/{id}/employers", "get"),
        ("/api/v1/fairs/{id}/employers/{employer_id}", "delete"),
        ("/api/v1/fairs/{id}/check-ins", "post"),
        ("/api/v1/fairs/{id}/attendees", "get"),
        ("/api/v1/fairs/{id}/intentions", "post"),
        ("/api/v1/fairs/{id}/intentions", "get"),
        ("/api/v1/fairs/{id}/intentions/{intention_id}", "patch"),
        ("/api/v1/training/programmes", "post"),
        ("/api/v1/training/programmes", "get"),
        ("/api/v1/training/programmes/{id}", "get"),
        ("/api/v1/training/programmes/{id}", "patch"),
        ("/api/v1/training/programmes/{id}", "delete"),
        ("/api/v1/training/sessions", "post"),
        ("/api/v1/training/sessions", "get"),
        ("/api/v1/training/sessions/{id}", "get"),
        ("/api/v1/training/sessions/{id}", "patch"),
        ("/api/v1/training/sessions/{id}", "delete"),
        ("/api/v1/training/sessions/{id}/enrolments", "post"),
        ("/api/v1/training/sessions/{id}/enrolments", "get"),
        ("/api/v1/training/sessions/{id}/enrolments/{enrolment_id}", "patch"),
        ("/api/v1/vocational-enrolments", "post"),
        ("/api/v1/vocational-enrolments", "get"),
        ("/api/v1/vocational-enrolments/{id}", "get"),
        ("/api/v1/vocational-enrolments/{id}", "patch"),
        ("/api/v1/vocational-enrolments/{id}", "delete"),
        ("/api/v1/targets", "post"),
        ("/api/v1/targets", "get"),
        ("/api/v1/targets/progress", "get"),
        ("/api/v1/targets/{id}", "get"),
        ("/api/v1/targets/{id}", "patch"),
        ("/api/v1/targets/{id}", "delete"),
        ("/api/v1/deadlines", "post"),
        ("/api/v1/deadlines", "get"),
        ("/api/v1/deadlines/{id}", "get"),
        ("/api/v1/deadlines/{id}", "patch"),
        ("/api/v1/deadlines/{id}", "delete"),
        ("/api/v1/ledgers/{kind}", "get"),
        ("/api/v1/ledgers/bundle", "get"),
        ("/api/v1/submissions", "post"),
        ("/api/v1/submissions", "get"),
        ("/api/v1/submissions/{id}", "get"),
        ("/api/v1/submissions/{id}/retry", "post"),
        ("/api/v1/submissions/{id}/attachment", "get"),
        ("/api/v1/saved-searches", "post"),
        ("/api/v1/saved-searches", "get"),
        ("/api/v1/saved-searches/unsubscribe", "get"),
        ("/api/v1/saved-searches/{id}", "delete"),
        ("/api/v1/imports", "post"),
        ("/api/v1/imports/{id}", "get"),
        ("/api/v1/imports/{id}/rejected.xlsx", "get"),
        ("/api/v1/imports/templates/{file}", "get"),
        ("/api/v1/reconciliations", "post"),
    ];
    for (path, method) in expect {
        let op = &paths.get(path).unwrap_or_else(|| panic!("{path} missing"))[method];
        assert!(op.is_object(), "{method} {path} missing");
        assert!(
            op["description"].as_str().unwrap_or("").contains("Role")
                || op["description"].as_str().unwrap_or("").contains("authentication"),
            "{method} {path} names its roles"
        );
    }
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(documented, expect.len(), "a route was added without updating this list or the document");
    // Valid OpenAPI: unique operationIds, a description on every response,
    // errors as problem+json, the usual refusals documented.
    let mut ids = std::collections::HashSet::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            assert!(ids.insert(op["operationId"].as_str().unwrap().to_string()), "{method} {path}: operationId shared");
            let responses = op["responses"].as_object().unwrap();
            for (status, r) in responses {
                assert!(r["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path} {status}");
                if status.as_str() >= "400" {
                    let content = r["content"].as_object().unwrap();
                    assert!(content.keys().all(|k| k == "application/problem+json"), "{method} {path} {status}");
                }
            }
            assert!(responses.contains_key("400"), "{method} {path}: 400 undocumented");
            if op["security"].is_array() {
                assert!(responses.contains_key("401") && responses.contains_key("403"), "{method} {path}");
            }
        }
    }
    no_null_default_where_null_is_not_allowed(&doc);
}

/// Fails on a `default: null` in a schema that does not admit null.
fn no_null_default_where_null_is_not_allowed(v: &serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if map.get("default") == Some(&serde_json::Value::Null) {
                assert!(labour_bridge::http::openapi_tidy::admits_null(map), "`default: null` on {v}");
            }
            map.values().for_each(no_null_default_where_null_is_not_allowed);
        }
        serde_json::Value::Array(items) => items.iter().for_each(no_null_default_where_null_is_not_allowed),
        _ => {}
    }
}

/// The Chinese message of the error about `field` in a 422.
fn message_about(problem: &serde_json::Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no error about {field}: {problem}"))
        .to_string()
}

/// A field called `name` or `region_code` is not the same thing on every
/// record: an employer's blank 单位名称 must not be asked for as a person's
/// 姓名, a posting's 工作地点 is not "所在地". The same words reach the API,
/// the pages and an import's rejected rows.
async fn messages_name_each_records_own_fields(app: TestApp) {
    let (s, p) = app.post("/api/v1/employers", &app.clerk, json!({"region_code": "440704"})).await;
    assert_eq!(s, 422, "{p}");
    let m = message_about(&p, "name");
    assert!(m.contains("“单位名称”") && !m.contains("姓名"), "{m}");

    let (s, p) = app.post("/api/v1/labourers", &app.clerk, json!({"id_number": "45142419900307123X"})).await;
    assert_eq!(s, 422, "{p}");
    assert!(message_about(&p, "name").contains("“姓名”"), "{p}");

    let e = app.employer("江门市江海区明阳灯饰厂").await;
    let (s, p) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": e, "title": "灯饰装配工", "headcount": 2, "region_code": "4407"}),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert!(p["detail"].as_str().unwrap().ends_with("：工作地点"), "{p}");

    let (s, p) = app.post("/api/v1/fairs", &app.admin, json!({"held_on": "2019-11-15", "region_code": "451424"})).await;
    assert_eq!(s, 422, "{p}");
    assert!(message_about(&p, "name").contains("“招聘会名称”"), "{p}");

    // An employer roster's row without a name: the rejected row says which column.
    let csv = "单位名称,所在地,所属行业\n,440704,制造\n江门市江海区新厂,440704,制造\n";
    let (s, summary) = app
        .upload("/api/v1/imports?kind=employers&mode=dry_run", &app.clerk, "单位.csv", csv.as_bytes().to_vec())
        .await;
    assert_eq!(s, 200, "{summary}");
    let rejected = summary["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{summary}");
    assert_eq!(rejected[0]["field"], "name");
    let m = rejected[0]["message"].as_str().unwrap();
    assert!(m.contains("单位名称") && !m.contains("姓名"), "{summary}");
}

/// A clerk's 3000.5 for a monthly income, or 2019/06/01 and 2019-02-30 for
/// a day: the message says in Chinese what the field takes, without the
/// parser's English.
async fn a_value_of_the_wrong_form_is_told_by_what_the_field_takes(app: TestApp) {
    let l =
        app.labourer(json!({"id_number": crate::helpers::id_number("451424", "19900101", 61), "name": "格式"})).await;
    for (field, value, zh) in [
        ("monthly_income", "3000.5", "“月收入”的格式不对：应为整数"),
        ("started_on", "2019/06/01", "应为日期，写作 年-月-日（如 2019-06-01）"),
        ("started_on", "2019-02-30", "不是有效的日期"),
    ] {
        let mut body = json!({"labourer_id": l["id"], "employer_name": "某厂", "region_code": "440703",
            "started_on": "2019-06-01", "channel": "referral"});
        body[field] = json!(value);
        let (s, p) = app.post("/api/v1/placements", &app.clerk, body).await;
        assert_eq!(s, 422, "{p}");
        let m = message_about(&p, field);
        assert!(m.contains(zh), "{field}={value}: {m}");
        assert!(!m.chars().any(|c| c.is_ascii_alphabetic()), "no parser English: {m}");
    }
}
