//! The OpenAPI document as clients and validators read it: what the
//! handlers' annotations leave implicit, made explicit once, here.
//!
//! - every response has a `description`;
//! - every `operationId` is unique (handlers in different files share
//!   names such as `create`);
//! - errors are `application/problem+json` with the `Problem` schema;
//! - the 4xx answers every operation can give are documented: 400 (a query,
//!   path or body that cannot be read), 401 (a bad token), 403 (when a
//!   token is needed), 404 (a path naming a record), 409 (writes), 413 and 415
//!   (bodies), 422 (bodies and query parameters), and 503 (the database
//!   cannot be reached);
//! - every `{name}` of a path is a declared path parameter, and every
//!   `$ref` points at a schema the document has (id newtypes are integers);
//! - no `default: null` on a schema that does not admit null (utoipa
//!   writes it for every optional field).

use serde_json::{json, Map, Value};

/// The reason phrase of a status, as a response's description.
fn reason(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "204" => "No content",
        "400" => "The query, path or body cannot be read (problem+json names the parameter or field)",
        "401" => "No token, or a token that is unknown, expired or revoked",
        "403" => "The caller's role or unit may not do this",
        "404" => "No such record, or the caller may not know of it",
        "405" => "Method not allowed",
        "409" => "Conflicts with the stored record (duplicate, stale version, still referenced)",
        "413" => "The body is larger than allowed",
        "415" => "The body is not JSON (or not the upload the route reads)",
        "422" => "The input breaks a rule (problem+json lists every failing field)",
        "429" => "Too many attempts; see Retry-After",
        "500" => "Internal error",
        "502" => "A server this service depends on failed",
        "503" => "The database cannot be reached now",
        _ => "Answer",
    }
}

/// An error response with the problem+json body.
fn problem(status: &str) -> Value {
    json!({
        "description": reason(status),
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

/// Applies every rule of this module to a generated document.
pub fn tidy(doc: &mut Value) {
    unique_operation_ids(doc);
    let known: std::collections::HashSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    inline_missing_refs(doc, &known);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let has_path_params = path.contains('{');
            let Some(item) = item.as_object_mut() else { continue };
            for (method, op) in item.iter_mut() {
                if let Some(op) = op.as_object_mut() {
                    declare_path_parameters(op, path);
                    document_errors(method, op, has_path_params, path);
                }
            }
        }
    }
    drop_null_defaults(doc);
}

fn unique_operation_ids(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for item in paths.values() {
        for op in item.as_object().into_iter().flat_map(|m| m.values()) {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                *seen.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    let mut used = std::collections::HashSet::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else { continue };
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or("operation").to_string();
            let tag = op.get("tags").and_then(|t| t.get(0)).and_then(Value::as_str).unwrap_or("api").to_string();
            let mut unique = if seen.get(&id).copied().unwrap_or(0) > 1 { format!("{tag}_{id}") } else { id };
            if used.contains(&unique) {
                let slug: String =
                    path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>();
                unique = format!("{method}{slug}");
            }
            used.insert(unique.clone());
            op.insert("operationId".into(), Value::String(unique));
        }
    }
}

fn document_errors(method: &str, op: &mut Map<String, Value>, has_path_params: bool, path: &str) {
    let secured = op.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
    let has_body = op.contains_key("requestBody");
    let has_query = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p.get("in").and_then(Value::as_str) == Some("query")));
    let writes = matches!(method, "post" | "patch" | "put" | "delete");
    let responses = op.entry("responses").or_insert_with(|| json!({}));
    let Some(responses) = responses.as_object_mut() else { return };
    for (status, r) in responses.iter_mut() {
        let Some(r) = r.as_object_mut() else { continue };
        if !r.contains_key("description") || r.get("description").and_then(Value::as_str) == Some("") {
            r.insert("description".into(), Value::String(reason(status).into()));
        }
        if status.starts_with('4') || status.starts_with('5') {
            if let Some(content) = r.get_mut("content").and_then(Value::as_object_mut) {
                if let Some(json) = content.remove("application/json") {
                    content.insert("application/problem+json".into(), json);
                }
            }
        }
    }
    // 401 everywhere: routes open to anonymous callers still refuse a bad
    // token rather than treating it as none.
    let mut wanted = vec!["400", "401", "503"];
    if secured {
        wanted.push("403");
    }
    if has_path_params {
        wanted.push("404");
    }
    if writes {
        wanted.push("409");
    }
    if has_body {
        wanted.extend(["413", "415", "422"]);
    }
    if has_query {
        wanted.push("422");
    }
    if path == "/api/v1/auth/login" {
        wanted.push("429");
    }
    for status in wanted {
        responses.entry(status.to_string()).or_insert_with(|| problem(status));
    }
}

/// Declares each `{name}` of `path` the operation does not declare: an
/// integer id, or text for `{file}` and `{kind}`.
fn declare_path_parameters(op: &mut Map<String, Value>, path: &str) {
    let params = op.entry("parameters").or_insert_with(|| json!([]));
    let Some(params) = params.as_array_mut() else { return };
    for name in path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
        let declared = params.iter().any(|p| {
            p.get("in").and_then(Value::as_str) == Some("path") && p.get("name").and_then(Value::as_str) == Some(name)
        });
        if !declared {
            let schema = if matches!(name, "file" | "kind") {
                json!({"type": "string"})
            } else {
                json!({"type": "integer", "format": "int64"})
            };
            params.push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
        }
    }
}

/// Replaces a `$ref` to a schema the document lacks (utoipa leaves the id
/// newtypes out) with what it stands for.
fn inline_missing_refs(v: &mut Value, known: &std::collections::HashSet<String>) {
    match v {
        Value::Object(map) => {
            let missing = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .filter(|name| !known.contains(*name))
                .map(str::to_string);
            if let Some(name) = missing {
                map.remove("$ref");
                if name.ends_with("Id") {
                    map.insert("type".into(), json!("integer"));
                    map.insert("format".into(), json!("int64"));
                }
            }
            map.values_mut().for_each(|x| inline_missing_refs(x, known));
        }
        Value::Array(items) => items.iter_mut().for_each(|x| inline_missing_refs(x, known)),
        _ => {}
    }
}

/// Removes `"default": null` wherever the schema does not admit null.
fn drop_null_defaults(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) && !admits_null(map) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_null_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_defaults),
        _ => {}
    }
}

/// Whether a schema allows `null`.
pub fn admits_null(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
        _ => ["oneOf", "anyOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(|a| a.as_object().is_some_and(admits_null)))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_operation_ids_become_unique_and_errors_problem_json() {
        let mut doc = json!({"paths": {
            "/a/{id}": {"get": {"operationId": "get", "tags": ["a"], "security": [{"bearer": []}],
                                "responses": {"200": {"description": "ok"}, "404": {"content": {"application/json": {}}}}}},
            "/b": {"post": {"operationId": "get", "tags": ["b"], "requestBody": {},
                            "responses": {"201": {}}}}
        }, "components": {"schemas": {"X": {"properties": {"p": {"type": "string", "default": null},
                                                         "q": {"type": ["string", "null"], "default": null}}}}}});
        tidy(&mut doc);
        assert_eq!(doc["paths"]["/a/{id}"]["get"]["operationId"], "a_get");
        assert_eq!(doc["paths"]["/b"]["post"]["operationId"], "b_get");
        let a = &doc["paths"]["/a/{id}"]["get"]["responses"];
        assert!(a["404"]["content"]["application/problem+json"].is_object());
        assert!(a["404"]["description"].is_string());
        assert!(a["401"].is_object() && a["403"].is_object() && a["400"].is_object());
        let b = &doc["paths"]["/b"]["post"]["responses"];
        assert_eq!(b["201"]["description"], "Created");
        assert!(b["415"].is_object() && b["422"].is_object() && b["409"].is_object());
        assert!(b.get("403").is_none());
        let props = &doc["components"]["schemas"]["X"]["properties"];
        assert!(props["p"].get("default").is_none());
        assert!(props["q"].get("default").is_some(), "null is a value q may take");
    }
}
