//! The fair pages at a province's scale: the organisers' list of a year's
//! fairs, a fair's QR board and its desk, when the registry holds years of
//! fairs, postings and check-ins (built straight in the database).

use serde_json::json;

use crate::bulk::send;
use crate::fairs::{fair, fair_on, walk_in, OWN_UNIT};
use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    the_fair_list_shows_a_year_s_fairs_latest_first_however_many_came_before,
    a_fair_s_board_prints_its_employers_open_postings_however_many_closed_came_before,
    a_busy_fair_s_desk_counts_everyone_and_lists_the_latest_check_ins_first,
    a_name_unlike_the_registered_one_is_told_to_a_clerk_at_the_desk,
    a_check_in_refused_whole_is_told_in_the_box_with_the_number_kept,
    the_board_and_the_intentions_offer_only_postings_taking_applications,
);

/// The fair list as a signed-in browser gets it.
async fn fairs_page(app: &TestApp, token: &str, query: &str) -> String {
    let (status, html) = app.page_as(token, &format!("/fairs{query}")).await;
    assert_eq!(status, 200);
    html
}

/// The organisers' list shows one year's fairs, the latest first, however
/// many fairs earlier years registered (it used to list the first 200
/// ever registered, and lost the year's own after a few seasons).
async fn the_fair_list_shows_a_year_s_fairs_latest_first_however_many_came_before(app: TestApp) {
    app.insert_n(
        300,
        "job_fairs",
        "name, held_on, region_code, organisers, online, created_at, updated_at, version",
        "'往年招聘会' || i, '2018-03-01', '451424', '[\"大新县人社局\"]', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1",
    );
    for (name, day) in [("春风行动招聘会", "2019-02-15"), ("粤桂扶贫协作招聘会", "2019-06-20")] {
        let (s, b) = app
            .post(
                "/api/v1/fairs",
                &app.clerk,
                json!({"name": name, "held_on": day, "region_code": "451424", "organisers": ["大新县人社局"]}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }
    app.insert_n(
        1,
        "job_fairs",
        "name, held_on, region_code, organisers, online, created_at, updated_at, version",
        "'早年招聘会', '2015-05-01', '451424', '[\"江海区就业服务中心\"]', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1",
    );
    let html = fairs_page(&app, &app.clerk, "?year=2019").await;
    let (june, february) = (html.find("粤桂扶贫协作招聘会").unwrap(), html.find("春风行动招聘会").unwrap());
    assert!(june < february, "the latest first: {html}");
    assert!(!html.contains("往年招聘会") && html.contains("href=\"/fairs?year=2018\""), "{html}");
    // The years with fairs are linked, not the empty ones between them.
    assert!(html.contains("<strong aria-current=\"page\">2019 年</strong>"), "{html}");
    assert!(html.contains("href=\"/fairs?year=2015\"") && !html.contains("year=2017"), "{html}");
    assert!(!html.contains("year=2020"), "no link to a year without fairs: {html}");
    // An organiser is shown the years of the fairs they run.
    let theirs = fairs_page(&app, &app.organiser, "?year=2019").await;
    assert!(theirs.contains("href=\"/fairs?year=2015\"") && !theirs.contains("year=2018"), "{theirs}");
    assert_eq!(fairs_page(&app, &app.clerk, "?year=2018").await.matches("往年招聘会").count(), 300);
    let this_year = chrono::Datelike::year(&labour_bridge::clock::today());
    assert!(fairs_page(&app, &app.clerk, "").await.contains(&format!("<h1>招聘会（{this_year} 年）</h1>")));
    for asked in ["?year=abc", "?year=1066"] {
        let (status, html) = app.page_as(&app.clerk, &format!("/fairs{asked}")).await;
        assert!(status == 400 && html.contains("年度应为 2000 到 2100 之间的年份"), "{asked}: told, not another year");
    }
}

/// A fair without postings of its own prints its employers' open postings
/// on its board, however many closed ones the employer registered before
/// (the board used to take each employer's first 100 postings ever).
async fn a_fair_s_board_prints_its_employers_open_postings_however_many_closed_came_before(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let employer = app.employer("江门市江海区海悦酒楼有限公司").await;
    let (s, _) = app.post(&format!("/api/v1/fairs/{f}/employers"), &app.clerk, json!({"employer_id": employer})).await;
    assert_eq!(s, 201);
    app.closed_postings(employer, 120);
    // This season's posting, published after the years of closed ones.
    let (s, b) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": employer, "title": "海鲜砧板工", "headcount": 2, "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let open = b["id"].clone();
    let (status, html) = app.page_as(&app.clerk, &format!("/fairs/{f}/board")).await;
    assert_eq!(status, 200);
    assert!(html.contains("海鲜砧板工") && html.contains(&format!("/postings/{open}")), "{html}");
    assert!(!html.contains("往年岗位"), "closed postings are not printed");
}

/// A province's fair checks in thousands: the desk says how many have
/// checked in and lists the latest first (it used to list the first 500
/// and say 500, while the people at the desk now went unlisted).
async fn a_busy_fair_s_desk_counts_everyone_and_lists_the_latest_check_ins_first(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    app.people(400, "'早到来宾' || i");
    app.execute(&format!(
        "INSERT INTO job_fair_attendees (job_fair_id, labourer_id, checked_in_at, checked_in_by) \
         SELECT {f}, id, CURRENT_TIMESTAMP, 'clerk' FROM labourers"
    ));
    let latest = walk_in(&app, f, 7).await;
    let (status, html) = app.page_as(&app.clerk, &format!("/fairs/{f}/desk")).await;
    assert_eq!(status, 200);
    assert!(html.contains("已签到（401 人）"), "everyone is counted: {html}");
    assert!(html.contains("下面列出最近签到的 300 人"), "{html}");
    let name = latest["name"].as_str().unwrap_or("来宾7");
    let (newest, early) = (html.find(name).unwrap(), html.find("早到来宾400").unwrap());
    assert!(newest < early, "the latest first");
    assert!(!html.contains("早到来宾1<") && !html.contains("早到来宾100<"), "the earliest beyond the list");
}

/// A clerk checking someone in under another name than the one registered
/// for the number is told so at the desk, as the API says it (the page once
/// said only 签到成功); an organiser's is refused, without being told who
/// holds the number.
async fn a_name_unlike_the_registered_one_is_told_to_a_clerk_at_the_desk(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let path = format!("/fairs/{f}/check-ins");
    let (first, second) = (id_number("451424", "19900101", 81), id_number("451424", "19900101", 83));
    app.labourer(json!({"id_number": first, "name": "黄秋菊"})).await;
    app.labourer(json!({"id_number": second, "name": "罗志明"})).await;
    let a = send(&app, &app.clerk, &path, Some(&[("id_number", &first), ("name", "黄秋萍")])).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("黄秋菊 签到成功。登记姓名为黄秋菊，现场填写为黄秋萍；请核对身份证号"), "{}", a.body);
    let form = [("id_number", second.as_str()), ("name", "罗志强"), ("phone", "13877105566")];
    let a = send(&app, &app.organiser, &path, Some(&form)).await;
    // Refused, beside the name, without saying whose the number is (a
    // made-up name once checked a stranger in and opened their record).
    assert!(a.body.contains("姓名与该身份证号登记的姓名不一致，没有签到"), "{}", a.body);
    assert!(!a.body.contains("罗志明") && !a.body.contains("签到成功"), "{}", a.body);
    assert_eq!(app.count("job_fair_attendees"), 1, "only the clerk's check-in");
}

/// A check-in refused whole — the fair not open today, too many a minute —
/// once changed nothing on the page: the box kept the last person's
/// 签到成功 (or, without scripts, the browser showed the API's JSON). The
/// box says why and keeps what was typed; a past fair's desk says before
/// anyone is typed in that it takes no check-ins.
async fn a_check_in_refused_whole_is_told_in_the_box_with_the_number_kept(app: TestApp) {
    let past = fair_on(&app, &[OWN_UNIT], "2019-03-08").await;
    let (s, html) = app.page_as(&app.organiser, &format!("/fairs/{past}/desk")).await;
    assert_eq!(s, 200);
    assert!(html.contains("现在不能签到：招聘会在 2019-03-08 举办"), "{html}");
    let idn = id_number("451424", "19900101", 97);
    let form = [("id_number", idn.as_str()), ("name", "韦到场"), ("phone", "13877105566")];
    let a = send(&app, &app.organiser, &format!("/fairs/{past}/check-ins"), Some(&form)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("未签到：招聘会在 2019-03-08 举办"), "{}", a.body);
    assert!(a.body.contains(&format!("value=\"{idn}\"")), "the number stays in the box: {}", a.body);

    let today = fair(&app, &[OWN_UNIT]).await;
    let path = format!("/fairs/{today}/check-ins");
    for _ in 0..app.settings.check_ins_per_minute {
        send(&app, &app.organiser, &path, Some(&[("id_number", "1")])).await;
    }
    let a = send(&app, &app.organiser, &path, Some(&form)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("签到太快") && a.body.contains("此人尚未签到"), "{}", a.body);
    assert!(a.body.contains(&format!("value=\"{idn}\"")) && !a.body.contains("签到成功"), "{}", a.body);
    assert_eq!(app.count("job_fair_attendees"), 0);
}

/// The board printed, and the intentions offered, every open posting of
/// the fair's employers — one past its closing day, one with its places
/// filled — whose codes then opened a page a visitor may not see. Only the
/// postings taking applications on the fair's day are offered, each with
/// its employer's name.
async fn the_board_and_the_intentions_offer_only_postings_taking_applications(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let employer = app.employer("江门市江海区海悦酒楼有限公司").await;
    let (s, b) = app.post(&format!("/api/v1/fairs/{f}/employers"), &app.clerk, json!({"employer_id": employer})).await;
    assert!(s == 201 || s == 200, "{b}");
    let post = |title: &str, extra: serde_json::Value| {
        let mut body = json!({"employer_id": employer, "title": title, "headcount": 1, "region_code": "440704"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let app = &app;
        async move { app.post_created("/api/v1/postings", &app.clerk, body).await["id"].as_i64().unwrap() }
    };
    post("海鲜酒楼砧板", json!({})).await;
    post("往年帮厨", json!({"opens_on": "2019-01-01", "closes_on": "2019-12-31"})).await;
    let filled = post("已招满服务员", json!({})).await;
    let worker = app.labourer(json!({"id_number": id_number("451424", "19900101", 99), "name": "已录用"})).await;
    app.post_created(
        "/api/v1/placements",
        &app.clerk,
        json!({"labourer_id": worker["id"], "employer_id": employer, "posting_id": filled, "region_code": "440704",
            "started_on": "2019-03-01", "channel": "job_fair"}),
    )
    .await;
    walk_in(&app, f, 11).await;
    for path in [format!("/fairs/{f}/board"), format!("/fairs/{f}/desk")] {
        let (s, html) = app.page_as(&app.clerk, &path).await;
        assert_eq!(s, 200);
        assert!(html.contains("海鲜酒楼砧板"), "{path}: {html}");
        assert!(!html.contains("往年帮厨") && !html.contains("已招满服务员"), "{path}: {html}");
        assert!(html.contains("江门市江海区海悦酒楼有限公司"), "{path}: the employer is named: {html}");
    }
}
