//! The dashboard keeps its figures between visits only while nothing has
//! been written: every write — through the API, or straight to the
//! database by another instance or the command line — shows on the next
//! visit.

use serde_json::json;

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    the_dashboard_reuses_its_figures_until_anything_is_written,
    target_progress_is_counted_again_only_after_a_write,
    the_transfer_charts_count_the_ledgers_rows_by_month_city_and_channel,
    the_year_list_reaches_this_year_and_shows_the_year_on_the_page,
    the_pages_downloads_take_the_day_and_county_asked_and_refuse_what_they_cannot_give,
    a_year_not_begun_has_no_figures_anywhere,
);

/// The dashboard of 2019 as the clerk's browser gets it.
async fn dashboard(app: &TestApp) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client
        .get(app.url("/dashboard?year=2019"))
        .header("accept", "text/html")
        .header("cookie", format!("lb_session={}", app.clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// The count the dashboard's ledger table shows for `title`.
async fn shown_count(app: &TestApp, title: &str) -> i64 {
    let html = dashboard(app).await;
    let cell = html.split(&format!("<tr><td>{title}</td><td>")).nth(1).expect("the ledger's line");
    cell.split('<').next().unwrap().trim().parse().unwrap()
}

/// How many dashboard visits were `outcome` (`computed` or `reused`), from `/metrics`.
async fn visits(app: &TestApp, outcome: &str) -> u64 {
    counted(app, "dashboard_figures_total", outcome).await
}

/// A counter of `/metrics` with the label `outcome`.
async fn counted(app: &TestApp, name: &str, outcome: &str) -> u64 {
    let r = app.client.get(app.url("/metrics")).bearer_auth(&app.admin).send().await.unwrap();
    let page = r.text().await.unwrap();
    let line = format!("labour_bridge_{name}{{outcome=\"{outcome}\"}} ");
    page.lines().find_map(|l| l.strip_prefix(line.as_str())).map(|n| n.parse().unwrap()).unwrap_or(0)
}

/// A counted person with one placement in 江门 (the east) begun in 2019.
async fn transferred(app: &TestApp, serial: u32) -> i64 {
    let l = app
        .labourer(json!({"id_number": id_number("451424", "19900101", serial), "name": format!("看板{serial}"),
            "poverty_status": "registered_poor"}))
        .await;
    let p = app
        .post_created(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": l["id"], "employer_name": "江门某厂", "region_code": "440703",
                "started_on": "2019-03-01", "channel": "referral"}),
        )
        .await;
    p["id"].as_i64().unwrap()
}

async fn the_dashboard_reuses_its_figures_until_anything_is_written(app: TestApp) {
    const NEW: &str = "新增转移到东部地区就业贫困人口";
    // PostgreSQL's stamp changes with any commit on the server, and the
    // other tests' databases share this one: there only the counts are
    // checked, not how often the figures were reused.
    let quiet = !app.database_url.starts_with("postgres");
    transferred(&app, 1).await;
    assert_eq!(shown_count(&app, NEW).await, 1);
    assert_eq!(shown_count(&app, NEW).await, 1);
    if quiet {
        let seen = (visits(&app, "computed").await, visits(&app, "reused").await);
        assert_eq!(seen, (1, 1), "nothing written in between");
    }

    // A write through the API shows at once.
    let second = transferred(&app, 2).await;
    assert_eq!(shown_count(&app, NEW).await, 2);
    if quiet {
        assert_eq!(visits(&app, "computed").await, 2);
    }

    // A write on a connection of its own, as another instance or the
    // command line makes it, shows too: the placement moves to 南宁.
    let other = labour_bridge::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = other.get().unwrap();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!("UPDATE placements SET region_code = '450103' WHERE id = {second}")),
        &mut *c,
    )
    .unwrap();
    assert_eq!(shown_count(&app, NEW).await, 1, "the placement moved out of the east");
    assert_eq!(shown_count(&app, NEW).await, 1);
    if quiet {
        assert_eq!((visits(&app, "computed").await, visits(&app, "reused").await), (3, 2));
    }
}

/// new-transfers-east's actual in 2019's target progress, as the API gives it.
async fn progress_actual(app: &TestApp) -> i64 {
    let b = app.get_ok("/api/v1/targets/progress?year=2019", &app.clerk).await;
    let items = b["items"].as_array().unwrap();
    items.iter().find(|i| i["metric"] == "new-transfers-east").unwrap()["actual"].as_i64().unwrap()
}

async fn target_progress_is_counted_again_only_after_a_write(app: TestApp) {
    let quiet = !app.database_url.starts_with("postgres");
    app.post_created(
        "/api/v1/targets",
        &app.admin,
        json!({"year": 2019, "metric": "new-transfers-east", "min_value": 2}),
    )
    .await;
    transferred(&app, 1).await;
    assert_eq!(progress_actual(&app).await, 1);
    assert_eq!(progress_actual(&app).await, 1);
    if quiet {
        let seen = (
            counted(&app, "target_progress_total", "computed").await,
            counted(&app, "target_progress_total", "reused").await,
        );
        assert_eq!(seen, (1, 1), "nothing written in between");
    }
    let second = transferred(&app, 2).await;
    assert_eq!(progress_actual(&app).await, 2, "a write through the API shows at once");
    let other = labour_bridge::db::Db::connect(&app.database_url, 1).unwrap();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!("UPDATE placements SET region_code = '450103' WHERE id = {second}")),
        &mut *other.get().unwrap(),
    )
    .unwrap();
    assert_eq!(progress_actual(&app).await, 1, "a write on another connection shows too");
    if quiet {
        assert_eq!(counted(&app, "target_progress_total", "computed").await, 3);
    }
}

/// A bar chart's bars as the page hands them to ECharts: (label, value).
fn bars(html: &str, chart: &str) -> Vec<(String, i64)> {
    let attribute = html.split(&format!("data-chart=\"{chart}\" data-option=\"")).nth(1).expect(chart);
    let escaped = attribute.split('"').next().unwrap();
    let option: serde_json::Value = serde_json::from_str(
        &escaped.replace("&#34;", "\"").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&"),
    )
    .expect("the chart's option is JSON");
    let labels = option["xAxis"]["data"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string());
    labels.zip(option["series"][0]["data"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap())).collect()
}

async fn the_transfer_charts_count_the_ledgers_rows_by_month_city_and_channel(app: TestApp) {
    // (started_on, work place, channel) of each counted person's one job;
    // then a job in the west and an uncounted person's, in no chart.
    let jobs = [
        ("2019-03-01", "440703", "referral"),
        ("2019-03-20", "440106", "job_fair"),
        ("2019-05-02", "440703", "job_fair"),
        ("2019-05-09", "330102", "referral"),
        ("2019-05-30", "440703", "referral"),
    ];
    for (serial, (started_on, region_code, channel)) in (31..).step_by(2).zip(jobs) {
        let l = app
            .labourer(json!({"id_number": id_number("451424", "19900101", serial), "name": format!("图表{serial}"),
                "poverty_status": "registered_poor"}))
            .await;
        app.post_created(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": l["id"], "employer_name": "某厂", "region_code": region_code,
                "started_on": started_on, "channel": channel}),
        )
        .await;
    }
    for (serial, status, region_code) in [(51, "registered_poor", "450103"), (53, "none", "440703")] {
        let l = app
            .labourer(json!({"id_number": id_number("451424", "19900101", serial), "name": format!("图表{serial}"),
                "poverty_status": status}))
            .await;
        app.post_created(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": l["id"], "employer_name": "某厂", "region_code": region_code,
                "started_on": "2019-04-01", "channel": "referral"}),
        )
        .await;
    }
    let html = dashboard(&app).await;
    let owned = |v: &[(&str, i64)]| v.iter().map(|(l, n)| (l.to_string(), *n)).collect::<Vec<_>>();
    assert_eq!(bars(&html, "transfers-by-month"), owned(&[("2019-03", 2), ("2019-05", 3)]));
    assert_eq!(bars(&html, "transfers-by-city"), owned(&[("广州市", 1), ("杭州市", 1), ("江门市", 3)]));
    assert_eq!(bars(&html, "transfers-by-channel"), owned(&[("劳务协作推荐", 3), ("招聘会", 2)]));
}

/// A year without targets (this one) is in the list, the year shown is the
/// one selected, its deadlines are its own, and a year that is none is
/// told rather than quietly replaced by the latest with targets.
async fn the_year_list_reaches_this_year_and_shows_the_year_on_the_page(app: TestApp) {
    let this_year = chrono::Datelike::year(&labour_bridge::clock::today());
    app.post_created("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": "stable-east", "min_value": 1}))
        .await;
    app.post_created(
        "/api/v1/deadlines",
        &app.admin,
        json!({"name": "2019年台账报送", "due_on": "2019-11-15", "what": "台账"}),
    )
    .await;
    let (s, html) = app.page_as(&app.clerk, "/dashboard").await;
    assert_eq!(s, 200);
    assert!(html.contains("<option value=\"2019\" selected>"), "opens on the year with targets: {html}");
    assert!(html.contains(&format!("<option value=\"{this_year}\">")), "this year is in the list: {html}");
    assert!(html.contains("2019年台账报送"));
    let (s, html) = app.page_as(&app.clerk, &format!("/dashboard?year={this_year}")).await;
    assert_eq!(s, 200);
    assert!(html.contains(&format!("<option value=\"{this_year}\" selected>")), "{html}");
    assert!(!html.contains("2019年台账报送") && html.contains("本年度没有报送期限"), "{html}");
    for bad in ["abc", "1800", "-1"] {
        let (s, html) = app.page_as(&app.clerk, &format!("/dashboard?year={bad}")).await;
        assert_eq!(s, 400, "{bad}");
        assert!(html.contains("年度应为 2000 到 2100 之间的年份"), "{html}");
    }
}

/// A ledger downloaded from the dashboard is counted up to the day asked
/// and for the county asked (both once quietly dropped: the year's default
/// day and every county); what a page's download cannot give — full ID
/// numbers, the bundle as csv or for one county — is told on a Chinese page.
async fn the_pages_downloads_take_the_day_and_county_asked_and_refuse_what_they_cannot_give(app: TestApp) {
    transferred(&app, 61).await;
    let rows = |csv: &str| csv.lines().filter(|l| l.contains("看板61")).count();
    let ledger = "/dashboard/ledgers/new-transfers-east?year=2019&format=csv";
    for (asked, expected) in [("", 1), ("&as_of=2019-02-28", 0), ("&as_of=2019-03-01", 1), ("&county=451425", 0)] {
        let (s, csv) = app.page_as(&app.clerk, &format!("{ledger}{asked}")).await;
        assert_eq!(s, 200, "{asked}: {csv}");
        assert_eq!(rows(&csv), expected, "{asked}: {csv}");
    }
    for (path, said) in [
        (format!("{ledger}&unmasked=true"), "一律隐去身份证号"),
        ("/dashboard/bundle?year=2019&format=csv".to_string(), "只有 xlsx 一种格式"),
        ("/dashboard/bundle?year=2019&county=451424".to_string(), "不分县"),
        (format!("{ledger}&as_of=2020-01-05"), "2019 年内的日期"),
        // Given twice: refused as the API refuses it, not the first one taken.
        (format!("{ledger}&as_of=2019-02-28&as_of=2019-12-31"), "只能给一个值"),
        ("/dashboard/bundle?year=2019&year=2018".to_string(), "只能给一个值"),
    ] {
        let (s, html) = app.page_as(&app.clerk, &path).await;
        assert_eq!(s, 400, "{path}");
        assert!(html.contains(said), "{path}: {html}");
    }
}

/// Next year (its targets set in December) was shown with figures counted
/// to its 31 December, and target progress said the same, while every
/// download of that year was refused as not begun. A year not begun is
/// refused alike everywhere, and its targets do not open the dashboard.
async fn a_year_not_begun_has_no_figures_anywhere(app: TestApp) {
    let next = chrono::Datelike::year(&labour_bridge::clock::today()) + 1;
    app.post_created("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": "stable-east", "min_value": 1}))
        .await;
    app.post_created("/api/v1/targets", &app.admin, json!({"year": next, "metric": "stable-east", "min_value": 9}))
        .await;
    let (s, html) = app.page_as(&app.clerk, "/dashboard").await;
    assert_eq!(s, 200);
    assert!(html.contains("<option value=\"2019\" selected>"), "opens on the latest year begun: {html}");
    // Who the people's ledgers count is said where their figures are.
    assert!(html.contains("人员台账只计入贫困户属性为建档立卡贫困户、已脱贫户的人；边缘易致贫户、"), "{html}");
    assert!(!html.contains(&format!("<option value=\"{next}\"")), "{html}");
    let (s, html) = app.page_as(&app.clerk, &format!("/dashboard?year={next}")).await;
    assert_eq!(s, 400);
    assert!(html.contains(&format!("{next} 年尚未开始")), "{html}");
    for path in [
        format!("/api/v1/targets/progress?year={next}"),
        format!("/api/v1/ledgers/stable-east?year={next}"),
        format!("/api/v1/ledgers/bundle?year={next}"),
    ] {
        let (s, b) = app.get(&path, &app.clerk).await;
        assert_eq!(s, 400, "{path}: {b}");
        assert_eq!(b["errors"][0]["field"], "year", "{path}: {b}");
    }
    let (s, b) = app.post("/api/v1/submissions", &app.clerk, json!({"year": next})).await;
    assert_eq!((s, b["errors"][0]["field"].clone()), (400, json!("year")), "{b}");
}
