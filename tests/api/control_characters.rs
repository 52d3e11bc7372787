//! U+0000 and other control characters are refused at the edge, on both
//! backends alike, naming the parameter or field: every text query
//! parameter and every text body field the OpenAPI document lists is tried.

use serde_json::{json, Value};

use crate::helpers::TestApp;

crate::on_both_backends!(every_text_parameter_and_field_refuses_a_nul, a_nul_without_a_token_is_refused_too);

/// The schema `s` points to, following one `$ref`.
fn resolve<'a>(doc: &'a Value, s: &'a Value) -> &'a Value {
    match s["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &doc["components"]["schemas"][name],
        None => s,
    }
}

/// Whether a schema admits a string.
fn is_text(s: &Value) -> bool {
    match &s["type"] {
        Value::String(t) => t == "string",
        Value::Array(ts) => ts.iter().any(|t| t == "string"),
        _ => s["oneOf"].as_array().is_some_and(|v| v.iter().any(is_text)),
    }
}

/// Whether a schema is a list of strings.
fn is_text_list(doc: &Value, s: &Value) -> bool {
    let array = match &s["type"] {
        Value::String(t) => t == "array",
        Value::Array(ts) => ts.iter().any(|t| t == "array"),
        _ => false,
    };
    array && is_text(resolve(doc, &s["items"]))
}

async fn refused(app: &TestApp, method: &str, path: &str, body: Option<Value>, field: &str) {
    let (s, ctype, b) = app.call_raw(method, path, Some(&app.admin), body.clone()).await;
    assert!(s == 400 || s == 422, "{method} {path} {body:?}: {s} {b}");
    assert!(ctype.starts_with("application/problem+json"), "{method} {path}: {ctype}");
    let named = b["errors"].as_array().unwrap().iter().any(|e| e["field"].as_str().unwrap_or("").starts_with(field));
    assert!(named, "{method} {path} {body:?}: {field} not named in {b}");
}

async fn every_text_parameter_and_field_refuses_a_nul(app: TestApp) {
    {
        // Records with id 1 of every kind, so a path names something real.
        let mut conn = app.db.get().unwrap();
        labour_bridge::demo::seed(&mut conn, &["ledgers@example.org".to_string()]).unwrap();
    }
    let (s, doc) = app.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, 200);
    let (mut params, mut fields) = (0, 0);
    for (template, item) in doc["paths"].as_object().unwrap() {
        let path = template
            .split('/')
            .map(|seg| match seg {
                "{file}" => "labourers.xlsx",
                "{kind}" => "east",
                s if s.starts_with('{') => "1",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_uppercase();
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] != "query" || !is_text(resolve(&doc, &p["schema"])) {
                    continue;
                }
                let name = p["name"].as_str().unwrap();
                refused(&app, &method, &format!("{path}?{name}=a%00b"), None, name).await;
                refused(&app, &method, &format!("{path}?{name}=a%07b"), None, name).await;
                params += 1;
            }
            let Some(schema) = op["requestBody"]["content"]["application/json"]["schema"].as_object() else {
                continue;
            };
            let schema = resolve(&doc, &Value::Object(schema.clone())).clone();
            for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
                let prop = resolve(&doc, prop);
                let value = if is_text(prop) {
                    json!("a\u{0}b")
                } else if is_text_list(&doc, prop) {
                    json!(["a\u{0}b"])
                } else {
                    continue;
                };
                refused(&app, &method, &path, Some(json!({ name: value })), name).await;
                fields += 1;
            }
        }
    }
    // The walk really walked: the document lists dozens of each.
    assert!(params > 40 && fields > 40, "{params} parameters, {fields} fields");
}

async fn a_nul_without_a_token_is_refused_too(app: TestApp) {
    let (s, b) = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "demo\u{0}admin", "password": "x"})))
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "username");
    let (s, b) = app.call("GET", "/api/v1/saved-searches/unsubscribe?token=%00", None, None).await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["errors"][0]["field"], "token");
    let (s, b) = app.call("GET", "/api/v1/postings/search?q=%E5%8E%A8%00", None, None).await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["errors"][0]["field"], "q");
}
