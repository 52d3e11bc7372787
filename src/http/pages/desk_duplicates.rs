//! `/desk/duplicates`: the clerk's review of records that are likely one
//! person registered twice (DESIGN §8) — merge a pair into the record to
//! keep, or dismiss it as two people. Through the registry, exactly as
//! `/api/v1/labourers/duplicates`: same roles, masked ID numbers, the same
//! refusals (a merge that would make two full-time jobs overlap is refused
//! with the reason, shown above the list), every merge and dismissal audited.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::session::{Posted, Viewer};
use super::{page, see_other, Chrome};
use crate::db::models::audit::Actor;
use crate::db::models::duplicates::{history_of, Moved};
use crate::db::models::labourer::LabourerRow;
use crate::domain::region::region_full_name;
use crate::domain::LabourerId;
use crate::error::AppError;
use crate::http::auth::REGISTRY;
use crate::http::state::AppState;
use crate::registry::duplicates::{self, Likeness, Pair, PairKey};
use crate::registry::{kinds, load, reads};

/// Pairs shown on one page.
const PER_PAGE: usize = 50;

/// A pair as the review lists it.
struct PairLine {
    a: i64,
    b: i64,
    name: String,
    /// Why they look like one person, with where the numbers differ.
    why: String,
    a_id_number: String,
    b_id_number: String,
}

impl PairLine {
    fn of(p: Pair) -> PairLine {
        // The 18th character is the check digit (GB 11643): any slip in the
        // first 17 changes it too, so it is told apart from the slip.
        let check = p.differs_at.contains(&18);
        let slipped: Vec<String> = p.differs_at.iter().filter(|&&i| i != 18).map(usize::to_string).collect();
        let then_check = if check && !slipped.is_empty() { "（第 18 位是校验码，随之不同）" } else { "" };
        let why = match p.likeness {
            Likeness::OneCharacter if slipped.is_empty() => "身份证号仅第 18 位（校验码）不同".to_string(),
            Likeness::OneCharacter => format!("身份证号仅第 {} 位不同{then_check}", slipped.join("、")),
            Likeness::Transposition => format!("身份证号第 {} 位相邻颠倒{then_check}", slipped.join("、")),
            Likeness::SameBirthDate => "同名且出生日期相同".to_string(),
        };
        PairLine { a: p.a, b: p.b, name: p.name, why, a_id_number: p.a_id_number, b_id_number: p.b_id_number }
    }
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    chrome: Chrome,
    pairs: Vec<PairLine>,
    notice: Option<String>,
    problem: Option<String>,
    next: Option<String>,
}

/// `after=A-B` of the paging link.
fn after_of(q: &[(String, String)]) -> PairKey {
    q.iter()
        .find(|(k, _)| k == "after")
        .and_then(|(_, v)| v.split_once('-'))
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
        .unwrap_or((0, 0))
}

async fn show_list(
    state: &AppState,
    viewer: &Viewer,
    after: PairKey,
    notice: Option<String>,
    problem: Option<(StatusCode, String)>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("核对疑似重复", "review duplicates"))?;
    let (pairs, next) = state.db.run(move |c| duplicates::pairs(c, after, PER_PAGE)).await?;
    let status = problem.as_ref().map(|(s, _)| *s);
    let p = DuplicatesPage {
        chrome: Chrome::new(viewer, "疑似重复人员核对"),
        pairs: pairs.into_iter().map(PairLine::of).collect(),
        notice,
        problem: problem.map(|(_, m)| m),
        next: next.map(|(a, b)| format!("{a}-{b}")),
    };
    let mut res = page(viewer, &p)?;
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

/// `GET /desk/duplicates[?after=A-B]`: the likely pairs, 50 a page.
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let notice = q.iter().find_map(|(k, v)| match k.as_str() {
        "merged" => Some(format!("已合并：保留记录 {v}，另一条记录的就业、培训、招聘会等信息已并入。")),
        "dismissed" => Some("已标记为两个不同的人，这一对不再列出。".to_string()),
        _ => None,
    });
    show_list(&state, &viewer, after_of(&q), notice, None).await
}

/// A refusal the clerk can act on, shown above the list; anything else
/// (403, a record already gone) is the usual error page.
fn refusal(e: AppError) -> Result<(StatusCode, String), AppError> {
    match e {
        AppError::Conflict { detail, .. } => Ok((StatusCode::CONFLICT, detail.zh)),
        AppError::Validation(list) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            list.iter().map(|f| f.message.zh.clone()).collect::<Vec<_>>().join("；"),
        )),
        other => Err(other),
    }
}

/// One record of a pair as the merge's confirm page shows it.
struct Side {
    id: i64,
    /// (label, value) rows: who the record is, then what it holds.
    rows: Vec<String>,
}

impl Side {
    fn of(row: &LabourerRow, held: Moved) -> Side {
        let d = &row.data;
        let place = d.hukou_region_code.as_deref().and_then(region_full_name).unwrap_or_default();
        let rows = vec![
            d.name.clone(),
            d.id_number.as_str().to_string(),
            d.birth_date.to_string(),
            d.phone.clone().unwrap_or_default(),
            format!("{place}{}{}", d.hukou_township.as_deref().unwrap_or(""), d.hukou_village.as_deref().unwrap_or("")),
            d.poverty_status.label_zh().to_string(),
            d.household_no.clone().unwrap_or_default(),
            d.notes.clone().unwrap_or_default(),
            crate::clock::china_time(row.created_at),
            format!("{} 条", held.placements),
            format!("{} 条", held.enrolments),
            format!("{} 次", held.attendances),
            format!("{} 条", held.intentions),
            format!("{} 条", held.vocational_enrolments),
            format!("{} 个", held.users),
        ];
        Side { id: row.id.get(), rows }
    }
}

/// The two ID numbers (row 1) with each character where they differ in
/// brackets (…0517【1】0【0】5 beside …0517【0】2【0】5): the slip a clerk
/// decides by.
fn mark_differences(kept: &mut Side, gone: &mut Side) {
    let (Some(x), Some(y)) = (kept.rows.get(1).cloned(), gone.rows.get(1).cloned()) else { return };
    let mark = |own: &str, other: &str| -> String {
        own.chars()
            .zip(other.chars().chain(std::iter::repeat(' ')))
            .map(|(c, o)| if c == o { c.to_string() } else { format!("【{c}】") })
            .collect()
    };
    kept.rows[1] = mark(&x, &y);
    gone.rows[1] = mark(&y, &x);
}

/// The rows' labels, in [`Side::of`]'s order.
const SIDE_LABELS: [&str; 15] = [
    "姓名",
    "身份证号",
    "出生日期",
    "手机号",
    "户籍",
    "贫困户属性",
    "户编号",
    "备注",
    "登记时间",
    "就业登记",
    "培训报名",
    "招聘会签到",
    "求职意向",
    "职业院校就读",
    "学员账号",
];

#[derive(Template)]
#[template(path = "merge_confirm.html")]
struct MergePage {
    chrome: Chrome,
    a: i64,
    b: i64,
    labels: [&'static str; 15],
    kept: Side,
    gone: Side,
}

/// `GET /desk/duplicates/{a}/{b}/merge?keep=K`: what merging the pair into
/// `K` moves and deletes, side by side, with 确认合并 (a merge deletes the
/// other record for good; one click from the list was too easy).
pub async fn merge_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(i64, i64)>,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(REGISTRY, ("合并重复记录", "merge duplicates"))?;
    let (a, b) = path.into_inner();
    let keep = q.iter().find(|(k, _)| k == "keep").and_then(|(_, v)| v.trim().parse::<i64>().ok()).unwrap_or(0);
    if a == b || (keep != a && keep != b) {
        return Err(AppError::invalid("keep", "not_in_pair", crate::messages::duplicates::keep_one_of(a, b)));
    }
    let other = if keep == a { b } else { a };
    // The two numbers in full (a clerk's duty, as on a person's page, and
    // audited as such): masked, they hid the one digit to decide by.
    let actor = Actor::from(&caller);
    let (mut kept, mut gone) = state
        .db
        .write(move |c| {
            let side = |c: &mut crate::db::DbConnection, id: i64| -> Result<Side, AppError> {
                let (row, _) = reads::labourer(c, &actor, LabourerId(id))?;
                Ok(Side::of(&row, history_of(c, LabourerId(id))?))
            };
            let (a, b) = (
                load::<LabourerRow>(c, kinds::LABOURER, LabourerId(keep))?,
                load::<LabourerRow>(c, kinds::LABOURER, LabourerId(other))?,
            );
            duplicates::likely_pair(&a, &b)?;
            Ok((side(c, keep)?, side(c, other)?))
        })
        .await?;
    mark_differences(&mut kept, &mut gone);
    let chrome = Chrome::new(&viewer, format!("合并记录 {a} 与 {b}"));
    page(&viewer, &MergePage { chrome, a, b, labels: SIDE_LABELS, kept, gone })
}

/// `POST /desk/duplicates/{a}/{b}/merge` (`keep` = the id that stays).
pub async fn merge(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("合并重复记录", "merge duplicates"))?;
    let (a, b) = path.into_inner();
    // A keep that is not a number is "neither of the pair" to the registry.
    let keep = posted.get("keep").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let actor = Actor::from(&caller);
    let done =
        state.db.write(move |c| duplicates::merge(c, &actor, LabourerId(a), LabourerId(b), LabourerId(keep))).await;
    match done {
        Ok(m) => Ok(see_other(&format!("/desk/duplicates?merged={}", m.kept))),
        Err(e) => show_list(&state, &viewer, (0, 0), None, Some(refusal(e)?)).await,
    }
}

/// `POST /desk/duplicates/{a}/{b}/dismiss`: the two records are two people.
pub async fn dismiss(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("核对疑似重复", "review duplicates"))?;
    let (a, b) = path.into_inner();
    let actor = Actor::from(&caller);
    match state.db.write(move |c| duplicates::dismiss(c, &actor, LabourerId(a), LabourerId(b))).await {
        Ok(()) => Ok(see_other("/desk/duplicates?dismissed=1")),
        Err(e) => show_list(&state, &viewer, (0, 0), None, Some(refusal(e)?)).await,
    }
}
