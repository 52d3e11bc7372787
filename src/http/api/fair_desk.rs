//! At the fair: check-in at the door, the attendee list, and intentions that
//! end in a hire. Roles: admin, clerk, and the fair's own organisers (who
//! see ID numbers masked).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::placements::PlacementView;
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::job_fair::{self as model, IntentionRow};
use crate::domain::{mask_id_number, IntentionStatus, JobFairId, LabourerId, PlacementId, PostingId, PovertyStatus};
use crate::error::AppError;
use crate::http::auth::{require, MANAGERS};
use crate::http::input::{Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, utc, ListOf, Record, Warning};
use crate::messages::Lang;
use crate::registry::fair_desk::{self as registry, CheckIn, IntentionOutcome, NewIntention};
use crate::registry::fairs::managed;
use crate::registry::reads;

/// The result of a check-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInView {
    /// The fair.
    #[schema(value_type = i64)]
    pub job_fair_id: JobFairId,
    /// The person.
    #[schema(value_type = i64)]
    pub labourer_id: LabourerId,
    /// Their name as registered; for an organiser, the name as given at
    /// the door.
    pub name: String,
    /// Masked unless the caller may see full ID numbers.
    pub id_number: String,
    /// When they were (first) checked in.
    pub checked_in_at: DateTime<Utc>,
    /// Registered on the spot by this check-in (poverty status
    /// `unverified`). Not told to organisers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newly_registered: Option<bool>,
    /// They had already been checked in; nothing was added.
    pub already_checked_in: bool,
    /// Remarks, e.g. a name that differs from the registered one (not
    /// told to organisers).
    pub warnings: Vec<Warning>,
}

/// Check a person in at the door (admin, clerk, the fair's organisers).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/check-ins", tag = "fairs", request_body = CheckIn,
    responses((status = 201, body = CheckInView), (status = 200, description = "already checked in; nothing added", body = CheckInView),
        (status = 403, body = crate::error::Problem), (status = 409, description = "the fair is not open for check-ins today", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, description = "too many check-ins a minute; see Retry-After", body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs. Only within `check_in_margin_days` (default 1) of the fair's `held_on` day, and at most `check_ins_per_minute` (default 30) per user. An unregistered person with a valid ID number, name and phone is registered (`unverified`) and checked in in one transaction. Organisers give name and phone for everyone, and their answer does not say whether the number was registered before (no `newly_registered`, the name as given, no warnings). Every check-in, a repeat too, is audited.")]
pub async fn check_in(
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    path: web::Path<JobFairId>,
    form: Form<CheckIn>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("为到场人员签到", "check people in"))?;
    state.limits.check_ins.take(&caller.user_id.to_string()).map_err(AppError::TooManyRequests)?;
    let form = form.read()?;
    let given_name = form.value.name.as_deref().map(crate::domain::normalise::name).unwrap_or_default();
    let (fair, actor) = (path.into_inner(), Actor::from(&caller));
    let full = caller.sees_full_id_numbers();
    let margin = Some(state.settings.check_in_margin_days);
    let done = state.db.write(move |c| form.then(|v| registry::check_in(c, &actor, fair, v, margin))).await?;
    let p = &done.person;
    let view = CheckInView {
        job_fair_id: fair,
        labourer_id: p.id,
        name: if full { p.data.name.clone() } else { given_name },
        id_number: if full { p.data.id_number.as_str().to_string() } else { mask_id_number(p.data.id_number.as_str()) },
        checked_in_at: utc(done.attendee.checked_in_at),
        newly_registered: full.then_some(done.newly_registered),
        already_checked_in: done.already_checked_in,
        warnings: if full { Warning::all(&done.warnings, lang) } else { Vec::new() },
    };
    Ok(if done.already_checked_in { HttpResponse::Ok().json(view) } else { HttpResponse::Created().json(view) })
}

/// One attendee.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendeeView {
    /// The person.
    #[schema(value_type = i64)]
    pub labourer_id: LabourerId,
    /// Name.
    pub name: String,
    /// Masked for organisers.
    pub id_number: String,
    /// Gender.
    pub gender: String,
    /// Phone.
    pub phone: Option<String>,
    /// Poverty status (`unverified` for walk-ins until a clerk confirms).
    pub poverty_status: PovertyStatus,
    /// 乡镇.
    pub hukou_township: Option<String>,
    /// 村.
    pub hukou_village: Option<String>,
    /// When checked in.
    pub checked_in_at: DateTime<Utc>,
}

/// Paging of the desk lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeskQuery {
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Who was checked in (admin, clerk, the fair's organisers, masked).
#[utoipa::path(get, path = "/api/v1/fairs/{id}/attendees", tag = "fairs", params(DeskQuery),
    responses((status = 200, body = ListOf<AttendeeView>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk (full ID numbers, audited); organiser: their unit's fairs, masked.")]
pub async fn attendees(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
    q: Query<DeskQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("查看签到名单", "see attendees"))?;
    let fair = path.into_inner();
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let full = caller.sees_full_id_numbers();
    let actor = Actor::from(&caller);
    let rows = state.db.write(move |c| reads::attendees(c, &actor, fair, page.after, page.limit)).await?;
    let (rows, next_cursor) = page.finish(rows, |(a, _)| a.id);
    let items = rows
        .into_iter()
        .map(|(a, l)| AttendeeView {
            labourer_id: l.id,
            id_number: if full {
                l.data.id_number.as_str().to_string()
            } else {
                mask_id_number(l.data.id_number.as_str())
            },
            name: l.data.name,
            gender: l.data.gender.as_str().to_string(),
            phone: l.data.phone,
            poverty_status: l.data.poverty_status,
            hukou_township: l.data.hukou_township,
            hukou_village: l.data.hukou_village,
            checked_in_at: utc(a.checked_in_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor }))
}

/// An intention (意向) of an attendee for a posting.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntentionView {
    /// The fair.
    #[schema(value_type = i64)]
    pub job_fair_id: JobFairId,
    /// The person.
    #[schema(value_type = i64)]
    pub labourer_id: LabourerId,
    /// The posting.
    #[schema(value_type = i64)]
    pub posting_id: PostingId,
    /// intended, hired or declined.
    pub status: IntentionStatus,
    /// The placement a hire created.
    #[schema(value_type = Option<i64>)]
    pub placement_id: Option<PlacementId>,
    /// That placement, in the answer to the hire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<PlacementView>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl IntentionView {
    fn of(r: IntentionRow, placement: Option<PlacementView>) -> IntentionView {
        IntentionView {
            record: record_of!(r),
            job_fair_id: r.job_fair_id,
            labourer_id: r.labourer_id,
            posting_id: r.posting_id,
            status: r.status,
            placement_id: r.placement_id,
            placement,
        }
    }
}

/// Record that an attendee wants a posting (admin, clerk, the fair's organisers).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/intentions", tag = "fairs", request_body = NewIntention,
    responses((status = 201, body = IntentionView), (status = 409, description = "already recorded", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn add_intention(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
    form: Form<NewIntention>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("登记求职意向", "record intentions"))?;
    let form = form.read()?;
    let (fair, actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::add_intention(c, &actor, fair, v))).await?;
    Ok(HttpResponse::Created().json(IntentionView::of(row, None)))
}

/// A fair's intentions (admin, clerk, the fair's organisers).
#[utoipa::path(get, path = "/api/v1/fairs/{id}/intentions", tag = "fairs", params(DeskQuery),
    responses((status = 200, body = ListOf<IntentionView>)), security(("bearer" = [])),
    description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn intentions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
    q: Query<DeskQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("查看求职意向", "see intentions"))?;
    let (fair, actor) = (path.into_inner(), Actor::from(&caller));
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let rows = state
        .db
        .run(move |c| {
            managed(c, &actor, fair)?;
            Ok(model::intentions(c, fair, page.after, page.limit + 1)?)
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok()
        .json(ListOf { items: rows.into_iter().map(|r| IntentionView::of(r, None)).collect(), next_cursor }))
}

/// Record an intention's outcome; `hired` creates the placement in the same
/// transaction (admin, clerk, the fair's organisers).
#[utoipa::path(patch, path = "/api/v1/fairs/{id}/intentions/{intention_id}", tag = "fairs", request_body = IntentionOutcome,
    responses((status = 200, body = IntentionView), (status = 409, description = "headcount used up, posting closed, already hired, overlapping placement, or stale version", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs. `hired` creates the placement (channel job_fair) with employer, region and occupation from the posting.")]
pub async fn set_outcome(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(JobFairId, i64)>,
    form: Form<IntentionOutcome>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("登记录用结果", "record hires"))?;
    let form = form.read()?;
    let ((fair, intention), actor) = (path.into_inner(), Actor::from(&caller));
    let (row, placement) =
        state.db.write(move |c| form.then(|v| registry::set_outcome(c, &actor, fair, intention, v))).await?;
    Ok(HttpResponse::Ok().json(IntentionView::of(row, placement.map(PlacementView::of))))
}
