//! `/saved-searches`: a signed-in user sees the searches they saved for job
//! alerts, in words, and deletes one; nobody sees or deletes another's.

use labour_bridge::auth::Role;
use serde_json::json;

use crate::bulk::send;
use crate::helpers::TestApp;

crate::on_both_backends!(a_trainee_sees_their_saved_searches_in_words_and_deletes_one,);

async fn a_trainee_sees_their_saved_searches_in_words_and_deletes_one(app: TestApp) {
    let me =
        app.labourer(json!({"id_number": crate::helpers::id_number("451424", "19990909", 41), "name": "农小梅"})).await;
    let trainee = app.add_user("xiaomei", Role::Trainee, None, me["id"].as_i64());
    let other = app.add_user("xiaoli", Role::Trainee, None, None);
    let form = [("q", "厨师"), ("region", "4407"), ("salary_min", "5000"), ("benefits", "housing")];
    let saved = send(&app, &trainee, "/saved-searches", Some(&form)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.location.contains("saved=no_mail"), "{}", saved.location);
    // Saved again: kept once, and still said that no alert can come.
    let again = send(&app, &trainee, "/saved-searches", Some(&form)).await;
    assert!(again.location.contains("saved=again_no_mail"), "{}", again.location);
    let (s, theirs) = app.post("/api/v1/saved-searches", &other, json!({"q": "保安"})).await;
    assert_eq!(s, 201, "{theirs}");

    let listed = send(&app, &trainee, "/saved-searches", None).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    for words in [
        "厨师",
        "工作地点：广东省江门市",
        "月薪可达 5000 元",
        "待遇：包住",
        "暂不能提醒：账号没有邮箱",
        "还没有登记电子邮箱",
    ] {
        assert!(listed.body.contains(words), "{words} missing: {}", listed.body);
    }
    assert!(!listed.body.contains("保安"), "another's search is not listed");
    assert!(listed.body.contains("/?q=%E5%8E%A8%E5%B8%88&#38;region=4407"), "a link to its results: {}", listed.body);
    let mine: i64 =
        listed.body.split("data-saved-search=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();

    // Another's search cannot be deleted from this page, nor read.
    let refused = send(&app, &trainee, &format!("/saved-searches/{}/delete", theirs["id"]), Some(&[])).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("别人"), "{}", refused.body);
    assert_eq!(app.count("saved_searches"), 2);

    let deleted = send(&app, &trainee, &format!("/saved-searches/{mine}/delete"), Some(&[])).await;
    assert_eq!((deleted.status, deleted.location.as_str()), (303, "/saved-searches?deleted=1"));
    let after = send(&app, &trainee, &deleted.location, None).await;
    assert!(after.body.contains("已删除这条订阅"), "{}", after.body);
    assert!(after.body.contains("还没有保存过搜索"), "{}", after.body);
    assert_eq!(app.count("saved_searches"), 1, "the other trainee's is kept");
    assert_eq!(app.count_where("audit_log", "resource = 'saved_search' AND action = 'delete'"), 1);

    // A visitor is sent to sign in.
    let visitor = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = visitor.get(app.url("/saved-searches")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?next="));
}
