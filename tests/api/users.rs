//! Account administration (DESIGN §8): admins create, list, change,
//! disable and reset accounts; anyone changes their own password; a
//! disabled account's tokens stop working at once.

use serde_json::{json, Value};

use crate::helpers::TestApp;

crate::on_both_backends!(
    an_admin_creates_an_account_that_signs_in_and_is_listed,
    a_disabled_accounts_tokens_stop_working_at_once,
    a_password_reset_revokes_every_token_and_the_new_password_works,
    one_changes_ones_own_password_and_other_sessions_end,
    only_admins_administer_and_bad_input_names_the_field,
    names_differing_in_case_or_width_are_one_account_and_a_person_has_one,
);

async fn login(app: &TestApp, username: &str, password: &str) -> (u16, Value) {
    app.call("POST", "/api/v1/auth/login", None, Some(json!({"username": username, "password": password}))).await
}

async fn token(app: &TestApp, username: &str, password: &str) -> String {
    let (s, b) = login(app, username, password).await;
    assert_eq!(s, 200, "{b}");
    b["token"].as_str().unwrap().to_string()
}

async fn new_clerk(app: &TestApp, username: &str) -> Value {
    app.post_created(
        "/api/v1/users",
        &app.admin,
        json!({"username": username, "role": "clerk", "unit": "大新县人社局", "password": "daxin-2019-clerk", "email": "clerk2@example.org"}),
    )
    .await
}

async fn an_admin_creates_an_account_that_signs_in_and_is_listed(app: TestApp) {
    let u = new_clerk(&app, "daxin-clerk-2").await;
    assert_eq!(u["username"], "daxin-clerk-2");
    assert_eq!(u["role"], "clerk");
    assert_eq!(u["unit"], "大新县人社局");
    assert_eq!(u["has_password"], true);
    assert_eq!(u["disabled"], false);
    assert!(u.get("password").is_none() && u.get("password_hash").is_none(), "{u}");
    let t = token(&app, "daxin-clerk-2", "daxin-2019-clerk").await;
    let me = app.get_ok("/api/v1/auth/me", &t).await;
    assert_eq!(me["role"], "clerk");

    let clerks = app.get_ok("/api/v1/users?role=clerk", &app.admin).await;
    let names: Vec<&str> =
        clerks["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["clerk", "daxin-clerk-2"]);
    let one = app.get_ok(&format!("/api/v1/users/{}", u["id"]), &app.admin).await;
    assert_eq!(one["email"], "clerk2@example.org");

    let (s, dup) = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "daxin-clerk-2", "role": "clerk", "password": "another-password"}),
        )
        .await;
    assert_eq!(s, 409, "{dup}");
    assert_eq!(dup["existing_id"], u["id"]);
    assert_eq!(app.count_where("audit_log", "resource = 'user' AND action = 'create'"), 1);
    assert_eq!(app.count_where("audit_log", "after LIKE '%daxin-2019-clerk%'"), 0, "no password in the trail");
}

async fn a_disabled_accounts_tokens_stop_working_at_once(app: TestApp) {
    let u = new_clerk(&app, "leaving-clerk").await;
    let t = token(&app, "leaving-clerk", "daxin-2019-clerk").await;
    assert_eq!(app.get("/api/v1/auth/me", &t).await.0, 200);

    let off = app
        .patch_ok(&format!("/api/v1/users/{}", u["id"]), &app.admin, json!({"version": u["version"], "disabled": true}))
        .await;
    assert_eq!(off["disabled"], true);
    assert!(off["disabled_at"].is_string());
    assert_eq!(app.get("/api/v1/auth/me", &t).await.0, 401, "the token stops at once");
    assert_eq!(app.get("/api/v1/labourers", &t).await.0, 401);
    let (s, b) = login(&app, "leaving-clerk", "daxin-2019-clerk").await;
    assert_eq!(s, 401, "no sign-in while disabled: {b}");
    assert!(b["detail"].as_str().unwrap().contains("停用"), "{b}");

    let on = app
        .patch_ok(
            &format!("/api/v1/users/{}", u["id"]),
            &app.admin,
            json!({"version": off["version"], "disabled": false}),
        )
        .await;
    assert_eq!(on["disabled"], false);
    assert_eq!(app.get("/api/v1/auth/me", &t).await.0, 401, "an old token does not come back with the account");
    let fresh = token(&app, "leaving-clerk", "daxin-2019-clerk").await;
    assert_eq!(app.get("/api/v1/auth/me", &fresh).await.0, 200);
    assert_eq!(
        app.count_where("audit_log", &format!("resource = 'user' AND action = 'update' AND resource_id = {}", u["id"])),
        2
    );
    // DESIGN §8's words: PATCH {active: false} disables as well.
    let path = format!("/api/v1/users/{}", u["id"]);
    let (s, b) =
        app.patch(&path, &app.admin, json!({"version": on["version"], "active": false, "disabled": false})).await;
    assert_eq!((s, b["errors"][0]["field"].as_str()), (422, Some("active")), "contradicting: {b}");
    let off = app.patch_ok(&path, &app.admin, json!({"version": on["version"], "active": false})).await;
    assert_eq!((off["active"].as_bool(), off["disabled"].as_bool()), (Some(false), Some(true)));
    assert_eq!(app.get("/api/v1/auth/me", &fresh).await.0, 401, "the token stops at once");
    let on = app.patch_ok(&path, &app.admin, json!({"version": off["version"], "active": true})).await;
    assert_eq!(on["active"], true);
}

async fn a_password_reset_revokes_every_token_and_the_new_password_works(app: TestApp) {
    let u = new_clerk(&app, "forgetful").await;
    let t = token(&app, "forgetful", "daxin-2019-clerk").await;
    let reset = app
        .patch_ok(
            &format!("/api/v1/users/{}", u["id"]),
            &app.admin,
            json!({"version": u["version"], "password": "reset-by-admin-1"}),
        )
        .await;
    assert_eq!(reset["version"], u["version"].as_i64().unwrap() + 1);
    assert_eq!(app.get("/api/v1/auth/me", &t).await.0, 401);
    assert_eq!(login(&app, "forgetful", "daxin-2019-clerk").await.0, 401);
    token(&app, "forgetful", "reset-by-admin-1").await;
    // A stale version is refused and changes nothing.
    let (s, b) = app
        .patch(&format!("/api/v1/users/{}", u["id"]), &app.admin, json!({"version": u["version"], "unit": null}))
        .await;
    assert_eq!(s, 409, "{b}");
    assert_eq!(app.get_ok(&format!("/api/v1/users/{}", u["id"]), &app.admin).await["unit"], "大新县人社局");
}

async fn one_changes_ones_own_password_and_other_sessions_end(app: TestApp) {
    new_clerk(&app, "careful").await;
    let here = token(&app, "careful", "daxin-2019-clerk").await;
    let elsewhere = token(&app, "careful", "daxin-2019-clerk").await;
    let (s, b) = app
        .post(
            "/api/v1/auth/password",
            &here,
            json!({"current_password": "wrong-guess-123", "new_password": "a-new-passphrase"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "current_password");
    let (s, b) = app
        .post("/api/v1/auth/password", &here, json!({"current_password": "daxin-2019-clerk", "new_password": "short"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "new_password");
    assert_eq!(login(&app, "careful", "daxin-2019-clerk").await.0, 200, "nothing changed yet");

    let (s, b) = app
        .post(
            "/api/v1/auth/password",
            &here,
            json!({"current_password": "daxin-2019-clerk", "new_password": "a-new-passphrase"}),
        )
        .await;
    assert_eq!(s, 204, "{b}");
    assert_eq!(app.get("/api/v1/auth/me", &here).await.0, 200, "the token in use keeps working");
    assert_eq!(app.get("/api/v1/auth/me", &elsewhere).await.0, 401, "other sessions end");
    assert_eq!(login(&app, "careful", "daxin-2019-clerk").await.0, 401);
    token(&app, "careful", "a-new-passphrase").await;
    assert_eq!(app.count_where("audit_log", "action = 'change_password'"), 1);
}

async fn only_admins_administer_and_bad_input_names_the_field(app: TestApp) {
    let u = new_clerk(&app, "someone").await;
    let one = format!("/api/v1/users/{}", u["id"]);
    assert_eq!(app.get("/api/v1/users", &app.clerk).await.0, 403);
    assert_eq!(app.get(&one, &app.organiser).await.0, 403);
    assert_eq!(app.patch(&one, &app.clerk, json!({"version": 1, "disabled": true})).await.0, 403);
    let (s, _) = app
        .post("/api/v1/users", &app.clerk, json!({"username": "x", "role": "admin", "password": "0123456789ab"}))
        .await;
    assert_eq!(s, 403, "a clerk cannot make an admin");

    let fields = |b: &Value| -> Vec<String> {
        let mut f: Vec<String> =
            b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        f.sort();
        f
    };
    let (s, b) = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "x", "role": "boss", "password": "short", "email": "nope"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["email", "password", "role"]);
    let (s, b) = app
        .post("/api/v1/users", &app.admin, json!({"username": "t", "role": "trainee", "password": "0123456789ab"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["labourer_id"]);
    let (s, b) = app.patch(&one, &app.admin, json!({"version": u["version"], "role": "trainee"})).await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["role"]);
    let admin_id = app.get_ok("/api/v1/users?role=admin", &app.admin).await["items"][0].clone();
    let (s, b) = app
        .patch(
            &format!("/api/v1/users/{}", admin_id["id"]),
            &app.admin,
            json!({"version": admin_id["version"], "disabled": true}),
        )
        .await;
    assert_eq!(s, 422, "an admin cannot lock themselves out: {b}");
    assert_eq!(fields(&b), ["disabled"]);
    assert_eq!(app.get("/api/v1/users?role=boss", &app.admin).await.0, 400);
    assert_eq!(app.get("/api/v1/users/999999", &app.admin).await.0, 404);
    assert_eq!(app.count("users"), 4);
}

/// Zhang and zhang, or ｃｌｅｒｋ and clerk, are names people cannot tell
/// apart: one account, signed in with either spelling. A labourer record
/// takes one trainee account: a second is refused naming the first.
async fn names_differing_in_case_or_width_are_one_account_and_a_person_has_one(app: TestApp) {
    let u = new_clerk(&app, "Daxin-Clerk-3").await;
    for alike in ["daxin-clerk-3", "ＤＡＸＩＮ-clerk-3"] {
        let (s, b) = app
            .post(
                "/api/v1/users",
                &app.admin,
                json!({"username": alike, "role": "clerk", "password": "another-password"}),
            )
            .await;
        assert_eq!(s, 409, "{alike}: {b}");
        assert_eq!(b["errors"][0]["field"], "username", "{b}");
        assert!(b["detail"].as_str().unwrap().contains(&u["id"].to_string()), "names the account: {b}");
    }
    // Full-width letters are stored as the plain ones.
    let wide = new_clerk(&app, "ｊｉａｎｇｍｅｎ１").await;
    assert_eq!(wide["username"], "jiangmen1");
    token(&app, "daxin-clerk-3", "daxin-2019-clerk").await;
    token(&app, "ＪＩＡＮＧＭＥＮ１", "daxin-2019-clerk").await;

    let me =
        app.labourer(json!({"id_number": crate::helpers::id_number("451424", "20000202", 23), "name": "黄小凤"})).await;
    let trainee = |name: &str| json!({"username": name, "role": "trainee", "labourer_id": me["id"], "password": "trainee-2019-pass"});
    let first = app.post_created("/api/v1/users", &app.admin, trainee("xiaofeng")).await;
    let (s, b) = app.post("/api/v1/users", &app.admin, trainee("xiaofeng2")).await;
    assert_eq!(s, 409, "{b}");
    assert_eq!(b["errors"][0]["field"], "labourer_id", "{b}");
    assert!(b["detail"].as_str().unwrap().contains("xiaofeng"), "{b}");
    let (_, list) = app.get("/api/v1/users?role=trainee", &app.admin).await;
    let ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["labourer_id"] == me["id"])
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [first["id"].as_i64().unwrap()]);
}
