//! `/dashboard` (admin, clerk; the leadership office reads it): the year's
//! targets and progress, the seven ledgers' counts with downloads, the
//! deadlines, submitting the ledgers to the leadership office and what became
//! of each submission, and charts drawn by ECharts from the ledgers' own rows.
//! Downloads and submissions go through the code the API uses.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::dashboard_figures::By;
use super::session::{Posted, Viewer};
use super::{assets, page, see_other, Chrome};
use crate::clock;
use crate::db::models::audit::Actor;
use crate::db::models::deadline;
use crate::db::models::mail::{self, SubmissionRow};
use crate::error::AppError;
use crate::http::api::ledgers::{send_bundle, send_ledger, unit_of};
use crate::http::auth::REGISTRY;
use crate::http::state::AppState;
use crate::ledger::export::{self, RawParams};
use crate::ledger::Kind;
use crate::messages::Thing;

/// One target with its progress.
struct Goal {
    label: &'static str,
    target: i32,
    actual: i64,
    percent: i64,
    met: bool,
}

/// One ledger's line.
struct LedgerLine {
    slug: &'static str,
    title: &'static str,
    count: i64,
}

/// One chart: its `data-chart` name, heading and ECharts option (JSON).
struct Chart {
    name: &'static str,
    heading: &'static str,
    option: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    echarts: &'static str,
    year: i32,
    years: Vec<i32>,
    as_of: String,
    goals: Vec<Goal>,
    ledgers: Vec<LedgerLine>,
    deadlines: Vec<(String, String, bool)>,
    charts: Vec<Chart>,
    submissions: Vec<SubmissionLine>,
    notice: Option<String>,
    problem: Option<String>,
    /// Who the people's ledgers count, by 贫困户属性, in words.
    counted: String,
}

/// The poverty statuses the people's ledgers count and those they leave
/// out, by their Chinese names (a roster's 脱贫不稳定户, stored as 边缘易致贫户,
/// was left out with no word of why).
fn counted_in_words(rules: &crate::ledger::rules::Rules) -> String {
    use crate::domain::PovertyStatus;
    let (inn, out): (Vec<PovertyStatus>, Vec<PovertyStatus>) =
        PovertyStatus::ALL.iter().partition(|s| rules.counts(s.as_str()));
    let names = |list: &[PovertyStatus]| list.iter().map(|s| s.label_zh()).collect::<Vec<_>>().join("、");
    format!(
        "人员台账只计入贫困户属性为{}的人；{}不计入（户属性写“脱贫不稳定户”“监测户”的，按边缘易致贫户登记）。",
        names(&inn),
        names(&out)
    )
}

/// A submission of the year's ledgers as the dashboard lists it.
struct SubmissionLine {
    id: i64,
    created_at: String,
    as_of: String,
    recipients: String,
    status: &'static str,
    failed: bool,
    attempts: i32,
    /// The mail server's answer, or why the last attempt failed.
    detail: String,
}

/// labour-bridge's own words about a failed send (kept in English in the
/// record) in Chinese for the page; the server's and the system's own
/// words inside them stay as they came.
fn mail_error_zh(e: &str) -> String {
    if let Some((server, why)) = e.strip_prefix("cannot reach the mail server at ").and_then(|r| r.split_once(": ")) {
        return format!("连不上邮件服务器 {server}（{why}）");
    }
    let Some((server, tail)) = e.strip_prefix("the mail server at ").and_then(|r| r.split_once(' ')) else {
        return e.to_string();
    };
    let said = if let Some(x) = tail.strip_prefix("refused the mail ") {
        format!("拒收了邮件 {x}")
    } else if let Some(x) = tail.strip_prefix("did not accept the user name or password ") {
        format!("不接受用户名或密码 {x}")
    } else if let Some(x) = tail.strip_prefix("did not answer within ") {
        format!("在 {}内没有应答", x.replace(" seconds", " 秒"))
    } else if let Some(x) = tail.strip_prefix("did not finish within ") {
        format!("在 {}内没有完成发送", x.replace(" s", " 秒"))
    } else {
        return e.to_string();
    };
    format!("邮件服务器 {server} {said}")
}

impl SubmissionLine {
    fn of(r: SubmissionRow) -> SubmissionLine {
        let status = match r.status.as_str() {
            "sent" => "已发送",
            "failed" => "发送失败",
            _ => "发送中",
        };
        SubmissionLine {
            id: r.id,
            created_at: crate::clock::china_time(r.created_at),
            as_of: r.as_of.to_string(),
            recipients: serde_json::from_str::<Vec<String>>(&r.recipients).unwrap_or_default().join("，"),
            // Failed, or stalled in sending (its process stopped mid-send).
            failed: crate::db::models::mail::may_retry(&r.status, r.updated_at),
            status,
            attempts: r.attempts,
            // The mail server's own words stay as they came, after ours.
            detail: match (r.error, r.smtp_response) {
                (Some(e), _) => format!("邮件未能发出：{}", mail_error_zh(&e)),
                (None, Some(answer)) => format!("邮件服务器已接收：{answer}"),
                (None, None) => String::new(),
            },
        }
    }
}

fn bar(labels: Vec<String>, values: Vec<i64>) -> String {
    serde_json::json!({
        "animation": false,
        "grid": { "left": 40, "right": 16, "top": 24, "bottom": 48, "containLabel": true },
        "tooltip": {},
        "xAxis": { "type": "category", "data": labels, "axisLabel": { "interval": 0, "rotate": 30 } },
        "yAxis": { "type": "value", "minInterval": 1 },
        "series": [{ "type": "bar", "data": values, "label": { "show": true, "position": "top" } }]
    })
    .to_string()
}

fn funnel(steps: &[(&str, i64)]) -> String {
    let data: Vec<_> = steps.iter().map(|(n, v)| serde_json::json!({ "name": n, "value": v })).collect();
    serde_json::json!({
        "animation": false, "tooltip": {},
        "series": [{ "type": "funnel", "sort": "none", "left": "4%", "width": "58%", "data": data,
                      "label": { "show": true, "formatter": "{b}：{c}" } }]
    })
    .to_string()
}

/// `GET /dashboard?year=`: opens on the latest year with targets.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("查看数据看板", "see the dashboard"))?;
    let asked = super::year_asked(&q)?;
    let rules = state.settings.ledger_rules.clone();
    let kept = state.clone();
    let (figures, deadlines, submissions) = state
        .db
        .run(move |c| {
            let figures = kept.figures.of(&kept.db, c, asked, &rules)?;
            let deadlines = deadline::list(c, 0, 500)?;
            let mut submissions = mail::submissions(c, None, 200)?;
            submissions.retain(|s| s.year == figures.year);
            submissions.truncate(20);
            Ok((figures, deadlines, submissions))
        })
        .await?;
    let (year, as_of) = (figures.year, figures.as_of);
    let goals = figures
        .progress
        .iter()
        .map(|p| {
            let actual = p.actual.unwrap_or(0);
            let percent = if p.target > 0 { (actual * 100 / i64::from(p.target)).min(100) } else { 100 };
            Goal { label: p.metric.label_zh(), target: p.target, actual, percent, met: p.met.unwrap_or(false) }
        })
        .collect();
    let find = |k: Kind| figures.charted.iter().find(|t| t.kind == k);
    let mut charts = Vec::new();
    if let Some(t) = find(Kind::NewTransfersEast) {
        for (name, heading, m) in [
            ("transfers-by-month", "向东转移就业：按月", t.by("started_on", By::Month)),
            ("transfers-by-city", "向东转移就业：按就业城市", t.by("work_place", By::City)),
            ("transfers-by-channel", "向东转移就业：按就业渠道", t.by("channel", By::Text)),
        ] {
            charts.push(Chart {
                name,
                heading,
                option: bar(m.keys().cloned().collect(), m.values().copied().collect()),
            });
        }
    }
    if let Some(t) = find(Kind::JobFairs) {
        let steps = [("入场求职", t.sum("attendees")), ("达成意向", t.sum("intentions")), ("录用", t.sum("hires"))];
        charts.push(Chart {
            name: "fair-funnel", heading: "招聘会：签到 → 意向 → 录用", option: funnel(&steps)
        });
    }
    if let Some(t) = find(Kind::Trainings) {
        let steps = [
            ("报名", t.sum("enrolled")),
            ("结业", t.sum("completed")),
            ("取得证书", t.sum("certified")),
            ("就业", t.sum("employed")),
        ];
        charts.push(Chart {
            name: "training-funnel",
            heading: "培训：报名 → 结业 → 取证 → 就业",
            option: funnel(&steps),
        });
    }
    let today = clock::today();
    let p = DashboardPage {
        chrome: Chrome::new(&viewer, format!("{year}年 数据看板")),
        echarts: assets::url("echarts.js"),
        year,
        // The years with targets, this year and the one shown: a year
        // without targets is reachable from the list, and the list shows
        // the year on the page.
        years: {
            let mut years = figures.years.clone();
            years.extend([year, chrono::Datelike::year(&today)]);
            years.sort_unstable();
            years.dedup();
            years
        },
        as_of: as_of.to_string(),
        goals,
        ledgers: figures
            .counts
            .iter()
            .map(|&(kind, count)| LedgerLine { slug: kind.as_str(), title: kind.title(), count })
            .collect(),
        deadlines: deadlines
            .into_iter()
            .filter(|d| chrono::Datelike::year(&d.data.due_on) == year)
            .map(|d| (d.data.name, d.data.due_on.to_string(), d.data.due_on < today))
            .collect(),
        charts,
        counted: counted_in_words(&state.settings.ledger_rules),
        submissions: submissions.into_iter().map(SubmissionLine::of).collect(),
        notice: q.iter().find_map(|(k, v)| match k.as_str() {
            "sent" => Some(format!("报送记录 {v} 已发出。")),
            _ => None,
        }),
        problem: q.iter().find_map(|(k, v)| match k.as_str() {
            "failed" => Some(format!("报送记录 {v} 已保存，但邮件未能发出，原因见下表；可稍后点“重发”。")),
            _ => None,
        }),
    };
    page(&viewer, &p)
}

/// Where a submission's outcome is shown: the dashboard of its year.
fn after_submission(year: i32, outcome: Result<SubmissionRow, AppError>) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(row) => Ok(see_other(&format!("/dashboard?year={year}&sent={}#submissions", row.id))),
        // Kept as `failed`: the list shows why, with a retry button.
        Err(AppError::BadGateway { instance, .. }) => {
            let id = instance.as_deref().and_then(|i| i.rsplit('/').next()).unwrap_or("");
            Ok(see_other(&format!("/dashboard?year={year}&failed={id}#submissions")))
        }
        Err(e) => Err(e),
    }
}

/// `POST /dashboard/submissions` (`year`): builds the year's bundle as of
/// today (or 31 December of a past year) and e-mails it to the configured
/// recipients, as `POST /api/v1/submissions` does.
pub async fn submit(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("报送台账", "submit ledgers"))?;
    let raw = RawParams { year: posted.get("year"), as_of: None, format: None, unmasked: None, county: None };
    let p = export::parse_params(&raw, clock::today())?;
    let unit = unit_of(&caller, &state);
    let recipients = state.settings.ledger_recipients.clone();
    let outcome =
        crate::mail::submit(&state.db, &state.settings, &Actor::from(&caller), &unit, p.year, p.as_of, recipients)
            .await;
    after_submission(p.year, outcome)
}

/// `POST /dashboard/submissions/{id}/retry`: sends a failed submission
/// again with exactly the stored bytes.
pub async fn retry(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("重新报送", "retry submissions"))?;
    let id = path.into_inner();
    let year =
        state.db.run(move |c| Ok(mail::submission(c, id)?.ok_or(AppError::NotFound(Thing::Submission))?.year)).await?;
    let unit = unit_of(&caller, &state);
    let outcome = crate::mail::retry(&state.db, &state.settings, &Actor::from(&caller), &unit, id).await;
    after_submission(year, outcome)
}

/// `GET /dashboard/ledgers/{kind}?year=&as_of=&county=&format=`: one
/// ledger (csv, xlsx, html for printing), masked, by the API's export.
pub async fn ledger(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(REGISTRY, ("查看台账", "read ledgers"))?;
    let kind: Kind = path.into_inner().parse().map_err(|_| AppError::NotFound(Thing::Route))?;
    let raw = RawParams::from_pairs(&q)?;
    export::refuse_options(&raw, false)?;
    let p = export::parse_params(&raw, clock::today())?;
    send_ledger(&state, &caller, kind, p).await
}

/// `GET /dashboard/bundle?year=&as_of=`: every ledger in one workbook.
pub async fn bundle(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(REGISTRY, ("查看台账", "read ledgers"))?;
    let raw = RawParams::from_pairs(&q)?;
    export::refuse_options(&raw, true)?;
    let p = export::parse_params(&raw, clock::today())?;
    send_bundle(&state, &caller, &p).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failed_send_is_told_in_chinese_with_the_server_s_own_words() {
        for (kept, shown) in [
            (
                "cannot reach the mail server at 127.0.0.1:8629: connection refused",
                "连不上邮件服务器 127.0.0.1:8629（connection refused）",
            ),
            (
                "the mail server at 127.0.0.1:8627 refused the mail (550 5.1.1 mailbox unavailable)",
                "邮件服务器 127.0.0.1:8627 拒收了邮件 (550 5.1.1 mailbox unavailable)",
            ),
            ("the mail server at mx:25 did not finish within 120 s", "邮件服务器 mx:25 在 120 秒内没有完成发送"),
            ("something else", "something else"),
        ] {
            assert_eq!(super::mail_error_zh(kept), shown);
        }
    }
}
