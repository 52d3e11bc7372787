//! E-mail through a real SMTP server on loopback (aiosmtpd, see
//! `scripts/smtp_sink.py`): submissions, retries, reminders, job alerts.

use std::time::Duration;

use chrono::{Days, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::{Backend, TestApp};
use crate::smtp::SmtpSink;
use labour_bridge::auth::Role;
use labour_bridge::mail::scheduler::run_once;

async fn app_with(backend: Backend, sink_url: &str) -> Option<TestApp> {
    let url = sink_url.to_string();
    TestApp::spawn_with(backend, move |s| s.smtp_url = url).await
}

macro_rules! with_sink {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let sink = crate::smtp::SmtpSink::start();
                    if let Some(app) = super::app_with(crate::helpers::Backend::Sqlite, &sink.url()).await {
                        super::$name(app, sink).await;
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let sink = crate::smtp::SmtpSink::start();
                    if let Some(app) = super::app_with(crate::helpers::Backend::Postgres, &sink.url()).await {
                        super::$name(app, sink).await;
                    }
                }
            }
        )*
    };
}

with_sink!(
    a_submission_arrives_with_the_stored_attachment,
    a_failed_submission_is_kept_and_a_retry_sends_it,
    reminders_arrive_once_each_across_restarts_and_instances,
    a_saved_search_mails_new_matching_postings_once_and_can_be_unsubscribed,
    a_saved_search_without_an_address_mails_the_account,
    a_posting_not_yet_open_is_mailed_on_the_day_it_opens_once,
);

async fn a_submission_arrives_with_the_stored_attachment(app: TestApp, sink: SmtpSink) {
    let (s, sub) = app
        .post(
            "/api/v1/submissions",
            &app.clerk,
            json!({"year": 2019, "as_of": "2019-11-15", "recipients": ["office@example.cn"]}),
        )
        .await;
    assert_eq!(s, 201, "{sub}");
    assert_eq!(sub["status"], "sent");
    assert!(sub["smtp_response"].as_str().unwrap().starts_with("250"), "{sub}");
    let got = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(got[0].recipients, ["office@example.cn"]);
    assert!(got[0].subject().contains("2019年") && got[0].subject().contains("台账"), "{}", got[0].subject());
    assert!(got[0].text().contains("2019-11-15"));
    let attachments = got[0].attachments();
    assert_eq!(attachments.len(), 1);
    let (name, bytes) = &attachments[0];
    assert!(name.ends_with(".xlsx") && name.contains("台账"), "{name}");
    assert_eq!(hex::encode(Sha256::digest(bytes)), sub["attachment_sha256"].as_str().unwrap());
    let (s, _, stored) = app.bytes(&format!("/api/v1/submissions/{}/attachment", sub["id"]), &app.clerk).await;
    assert_eq!(s, 200);
    assert_eq!(&stored, bytes, "the attachment endpoint returns exactly what was sent");
    // Without recipients it goes to the plan's office mailbox.
    let (s, sub) = app.post("/api/v1/submissions", &app.clerk, json!({"year": 2019})).await;
    assert_eq!(s, 201);
    assert_eq!(sub["recipients"], json!(["dxfp010@163.com"]));
    let (s, b) = app.post("/api/v1/submissions", &app.clerk, json!({"year": 2019, "recipients": ["nobody"]})).await;
    assert_eq!(s, 422, "{b}");
    let (s, _) = app.post("/api/v1/submissions", &app.organiser, json!({"year": 2019})).await;
    assert_eq!(s, 403);
}

async fn a_failed_submission_is_kept_and_a_retry_sends_it(app: TestApp, sink: SmtpSink) {
    let port = sink.port;
    sink.stop();
    let (s, problem) = app.post("/api/v1/submissions", &app.clerk, json!({"year": 2019, "as_of": "2019-11-15"})).await;
    assert_eq!(s, 502, "{problem}");
    let instance = problem["instance"].as_str().unwrap().to_string();
    let kept = app.get_ok(&instance, &app.clerk).await;
    assert_eq!(kept["status"], "failed");
    assert!(kept["error"].as_str().unwrap().contains("127.0.0.1"), "{kept}");
    let sink = SmtpSink::start_on(port);
    // Left `sending` by a process stopped mid-send: being sent for all
    // anyone knows at first, then taken as stalled and sent again (it was
    // once stuck for good, with no 重发 anywhere).
    let id = instance.rsplit('/').next().unwrap();
    app.execute(&format!("UPDATE submissions SET status = 'sending' WHERE id = {id}"));
    let (s, b) = app.post(&format!("{instance}/retry"), &app.clerk, json!({})).await;
    assert_eq!(s, 409, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("正在发送"), "{b}");
    app.execute(&format!("UPDATE submissions SET updated_at = '2000-01-01 00:00:00' WHERE id = {id}"));
    let (s, sent) = app.post(&format!("{instance}/retry"), &app.clerk, json!({})).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["attempts"], 2);
    let got = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(hex::encode(Sha256::digest(&got[0].attachments()[0].1)), kept["attachment_sha256"].as_str().unwrap());
    let (s, _) = app.post(&format!("{instance}/retry"), &app.clerk, json!({})).await;
    assert_eq!(s, 409, "a sent submission is not sent again");
}

async fn reminders_arrive_once_each_across_restarts_and_instances(app: TestApp, sink: SmtpSink) {
    let today = Utc::now().date_naive();
    let due = today + Days::new(3);
    let (s, _) = app
        .post(
            "/api/v1/deadlines",
            &app.admin,
            json!({"name": "台账报送", "due_on": due, "what": "ledgers",
            "recipients": ["office@example.cn"], "remind_days_before": [7, 3, 1]}),
        )
        .await;
    assert_eq!(s, 201);
    app.post_created(
        "/api/v1/targets",
        &app.admin,
        json!({"year": due.format("%Y").to_string().parse::<i32>().unwrap(), "metric": "job_fairs", "min_value": 1}),
    )
    .await;
    // Two instances on the same database run at once: each reminder goes once.
    let (a, b) = tokio::join!(
        run_once(&app.db, &app.settings, "instance-a", today),
        run_once(&app.db, &app.settings, "instance-b", today)
    );
    let sent = a.unwrap().reminders + b.unwrap().reminders;
    assert_eq!(sent, 2, "the 7- and 3-day reminders are due; the 1-day one is not yet");
    // A restarted instance finds them claimed.
    let again = run_once(&app.db, &app.settings, "instance-a-restarted", today).await.unwrap();
    assert_eq!(again.reminders, 0);
    let got = sink.wait_for(2, Duration::from_secs(10));
    assert_eq!(got.len(), 2);
    assert!(
        got[0].subject().contains("台账报送") && got[0].subject().contains(&due.to_string()),
        "{}",
        got[0].subject()
    );
    assert!(got[0].text().contains("目标完成情况"), "names the progress: {}", got[0].text());
    // Two days on, the 1-day reminder is due, once.
    let later = run_once(&app.db, &app.settings, "instance-b", today + Days::new(2)).await.unwrap();
    assert_eq!(later.reminders, 1);
    assert_eq!(sink.wait_for(3, Duration::from_secs(10)).len(), 3);
    // Nothing else is due: the database holds three sent reminders, no more.
    assert_eq!(app.count_where("deadline_reminders", "status = 'sent'"), 3);
    assert_eq!(run_once(&app.db, &app.settings, "instance-a", today + Days::new(2)).await.unwrap().reminders, 0);
}

async fn a_saved_search_mails_new_matching_postings_once_and_can_be_unsubscribed(app: TestApp, sink: SmtpSink) {
    let me =
        app.labourer(json!({"id_number": crate::helpers::id_number("451424", "19990909", 88), "name": "马小红"})).await;
    let trainee = app.add_user("xiaohong", Role::Trainee, None, me["id"].as_i64());
    app.set_email("xiaohong", "xiaohong@example.cn");
    let e = app.employer("江门市江海区粤厨轩餐饮有限公司").await;
    let posting = |title: &str, region: &str| json!({"employer_id": e, "title": title, "headcount": 2, "region_code": region, "salary_min": 4500, "salary_max": 6500});
    // A posting from before the search is not news.
    app.post_created("/api/v1/postings", &app.clerk, posting("粤菜厨师（老岗位）", "440704")).await;
    let (s, saved) = app
        .post(
            "/api/v1/saved-searches",
            &trainee,
            json!({"q": "厨师", "filters": {"region": "4407", "salary_min": 5000}, "email": "xiaohong@example.cn"}),
        )
        .await;
    assert_eq!(s, 201, "{saved}");
    assert!(saved["email"].is_null(), "a trainee's alerts follow the account's address: {saved}");
    let chef = app.post_created("/api/v1/postings", &app.clerk, posting("粤菜厨师", "440704")).await;
    app.post_created("/api/v1/postings", &app.clerk, posting("电子厂普工", "440704")).await;
    app.post_created("/api/v1/postings", &app.clerk, posting("厨师（南宁）", "450103")).await;
    let today = Utc::now().date_naive();
    let ran = run_once(&app.db, &app.settings, "a", today).await.unwrap();
    assert_eq!(ran.alerts, 1);
    let got = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(got[0].recipients, ["xiaohong@example.cn"]);
    let text = got[0].text();
    assert!(
        text.contains("粤菜厨师") && !text.contains("普工") && !text.contains("南宁") && !text.contains("老岗位"),
        "{text}"
    );
    assert!(text.contains(&format!("/postings/{}", chef["id"])));
    // The posting's public page, which a reader opens without signing in
    // (the API's address answered 401).
    assert!(!text.contains("/api/v1/postings/"), "{text}");
    // Once each: nothing new, nothing sent.
    assert_eq!(run_once(&app.db, &app.settings, "b", today).await.unwrap().alerts, 0);
    // The unsubscribe link works without a login; a guessed one does not.
    let link = text.lines().find(|l| l.contains("unsubscribe?token=")).unwrap();
    let path = &link[link.find("/api/v1/").unwrap()..].trim().to_string();
    let (s, _) = app.call("GET", "/api/v1/saved-searches/unsubscribe?token=lb_guess", None, None).await;
    assert_eq!(s, 404);
    let (s, _) = app.call("GET", path, None, None).await;
    assert_eq!(s, 200);
    app.post_created("/api/v1/postings", &app.clerk, posting("中餐厨师", "440704")).await;
    assert_eq!(run_once(&app.db, &app.settings, "a", today).await.unwrap().alerts, 0);
    assert_eq!(app.count("alert_deliveries"), 1, "one alert delivered, none after the unsubscribe");
    let (s, b) = app.post("/api/v1/saved-searches", &trainee, json!({"q": "", "email": "x"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"].as_array().unwrap().len(), 2);
    // Alerts go to the account's own address: another one is refused (the
    // service would mail anyone a trainee named).
    let (s, b) =
        app.post("/api/v1/saved-searches", &trainee, json!({"q": "厨师", "email": "stranger@example.com"})).await;
    assert_eq!(
        (s, b["errors"][0]["field"].as_str(), b["errors"][0]["code"].as_str()),
        (422, Some("email"), Some("not_own")),
        "{b}"
    );
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("xiaohong@example.cn"), "{b}");
}

async fn a_saved_search_without_an_address_mails_the_account(app: TestApp, sink: SmtpSink) {
    let me =
        app.labourer(json!({"id_number": crate::helpers::id_number("451424", "20000101", 12), "name": "黄小兰"})).await;
    let trainee = app.add_user("xiaolan", Role::Trainee, None, me["id"].as_i64());
    let e = app.employer("江门市江海区安达电子有限公司").await;
    // The contract body is just `{q, filters}`.
    let (s, saved) =
        app.post("/api/v1/saved-searches", &trainee, json!({"q": "普工", "filters": {"region": "4407"}})).await;
    assert_eq!(s, 201, "{saved}");
    assert!(saved["email"].is_null(), "{saved}");
    let posting = json!({"employer_id": e, "title": "电子厂普工", "headcount": 5, "region_code": "440704"});
    app.post_created("/api/v1/postings", &app.clerk, posting.clone()).await;
    let today = Utc::now().date_naive();
    // No address known yet: nothing is sent and the posting stays pending.
    assert_eq!(run_once(&app.db, &app.settings, "a", today).await.unwrap().alerts, 0);
    app.set_email("xiaolan", "xiaolan@example.cn");
    // A synonym from the occupation vocabulary counts: 操作工 ≈ 普工.
    let synonym = json!({"employer_id": e, "title": "注塑车间操作工", "headcount": 2, "region_code": "440704"});
    app.post_created("/api/v1/postings", &app.clerk, synonym).await;
    assert_eq!(run_once(&app.db, &app.settings, "a", today).await.unwrap().alerts, 1);
    let got = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(got[0].recipients, ["xiaolan@example.cn"]);
    let text = got[0].text();
    assert!(text.contains("电子厂普工") && text.contains("注塑车间操作工"), "{text}");
}

/// A posting that is new but not yet taking applications is not mailed
/// then, and not lost either: the first run on or after its `opens_on`
/// mails it, once, on every instance together. So is one filed before the
/// search was saved that opens after it (the trainee could not have seen it:
/// search shows only postings taking applications).
async fn a_posting_not_yet_open_is_mailed_on_the_day_it_opens_once(app: TestApp, sink: SmtpSink) {
    let me =
        app.labourer(json!({"id_number": crate::helpers::id_number("451424", "19980808", 31), "name": "农小军"})).await;
    let trainee = app.add_user("xiaojun", Role::Trainee, None, me["id"].as_i64());
    app.set_email("xiaojun", "xiaojun@example.cn");
    let e = app.employer("江门市江海区粤香楼餐饮有限公司").await;
    let today = Utc::now().date_naive();
    let day = |n: u64| (today + Days::new(n)).to_string();
    let posting = |title: &str, opens: String| json!({"employer_id": e, "title": title, "headcount": 2, "region_code": "440704", "opens_on": opens});
    let filed_early = app.post_created("/api/v1/postings", &app.clerk, posting("粤菜厨师（早登记）", day(2))).await;
    let (s, saved) =
        app.post("/api/v1/saved-searches", &trainee, json!({"q": "厨师", "email": "xiaojun@example.cn"})).await;
    assert_eq!(s, 201, "{saved}");
    let tomorrow = app.post_created("/api/v1/postings", &app.clerk, posting("粤菜厨师（明天开招）", day(1))).await;
    let in_two = app.post_created("/api/v1/postings", &app.clerk, posting("中餐厨师（后天开招）", day(2))).await;
    let later = app.post_created("/api/v1/postings", &app.clerk, posting("西餐厨师（下月开招）", day(30))).await;
    // Today none of them takes applications: nothing is sent.
    assert_eq!(run_once(&app.db, &app.settings, "a", today).await.unwrap().alerts, 0);
    // Tomorrow the first opens: one mail, naming it alone.
    assert_eq!(run_once(&app.db, &app.settings, "a", today + Days::new(1)).await.unwrap().alerts, 1);
    let got = sink.wait_for(1, Duration::from_secs(10));
    let text = got[0].text();
    assert!(text.contains(&format!("/postings/{}", tomorrow["id"])), "{text}");
    assert!(!text.contains("后天") && !text.contains("早登记") && !text.contains("下月"), "{text}");
    // Again the same day, from either instance: nothing more.
    assert_eq!(run_once(&app.db, &app.settings, "b", today + Days::new(1)).await.unwrap().alerts, 0);
    // The scheduler was down on day two; on day three the run catches up with
    // both postings that opened on day two, in one mail, and not tomorrow's again.
    assert_eq!(run_once(&app.db, &app.settings, "b", today + Days::new(3)).await.unwrap().alerts, 1);
    let got = sink.wait_for(2, Duration::from_secs(10));
    let text = got[1].text();
    for p in [&filed_early, &in_two] {
        assert!(text.contains(&format!("/postings/{}", p["id"])), "{text}");
    }
    assert!(!text.contains("明天") && !text.contains("下月"), "{text}");
    assert_eq!(run_once(&app.db, &app.settings, "a", today + Days::new(3)).await.unwrap().alerts, 0);
    // A month on, the last one opens, and only it is mailed.
    assert_eq!(run_once(&app.db, &app.settings, "a", today + Days::new(30)).await.unwrap().alerts, 1);
    let got = sink.wait_for(3, Duration::from_secs(10));
    assert!(got[2].text().contains(&format!("/postings/{}", later["id"])), "{}", got[2].text());
    assert!(!got[2].text().contains("明天") && !got[2].text().contains("后天"));
    assert_eq!(app.count("alert_deliveries"), 3);
}
