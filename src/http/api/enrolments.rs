//! `/api/v1/training/sessions/{id}/enrolments`: who is in a class and what
//! came of it. Roles: admin and clerk.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::training::PageQuery;
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::enrolment::{self, EnrolmentRow};
use crate::db::models::session::SessionRow;
use crate::domain::{CertificateKind, EnrolmentId, EnrolmentStatus, LabourerId, SessionId};
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::{Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::registry::kinds;
use crate::registry::training::{self as registry, NewEnrolment, OutcomeChanges};

/// An enrolment as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentView {
    /// The session.
    #[schema(value_type = i64)]
    pub session_id: SessionId,
    /// The trainee.
    #[schema(value_type = i64)]
    pub labourer_id: LabourerId,
    /// enrolled, completed or dropped.
    pub status: EnrolmentStatus,
    /// When completed.
    pub completed_on: Option<NaiveDate>,
    /// 证书编号.
    pub certificate_no: Option<String>,
    /// qualification (职业资格), skill_level (职业技能等级), special_ability (专项职业能力).
    pub certificate_kind: Option<CertificateKind>,
    /// e.g. 五级/初级工.
    pub certificate_level: Option<String>,
    /// Date of issue.
    pub certified_on: Option<NaiveDate>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl EnrolmentView {
    fn of(r: EnrolmentRow) -> Self {
        let record = record_of!(r);
        let o = r.outcome;
        EnrolmentView {
            session_id: r.session_id,
            labourer_id: r.labourer_id,
            status: o.status,
            completed_on: o.completed_on,
            certificate_no: o.certificate_no,
            certificate_kind: o.certificate_kind,
            certificate_level: o.certificate_level,
            certified_on: o.certified_on,
            record,
        }
    }
}

/// Enrol a person in a session (admin, clerk).
#[utoipa::path(post, path = "/api/v1/training/sessions/{id}/enrolments", tag = "training", request_body = NewEnrolment,
    responses((status = 201, body = EnrolmentView), (status = 409, description = "full, or already enrolled", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn enrol(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<SessionId>,
    form: Form<NewEnrolment>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("报名培训", "enrol trainees"))?;
    let form = form.read()?;
    let (session, actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::enrol(c, &actor, session, v))).await?;
    Ok(HttpResponse::Created().json(EnrolmentView::of(row)))
}

/// A session's enrolments (admin, clerk).
#[utoipa::path(get, path = "/api/v1/training/sessions/{id}/enrolments", tag = "training", params(PageQuery),
    responses((status = 200, body = ListOf<EnrolmentView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn enrolments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<SessionId>,
    q: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看培训报名", "see enrolments"))?;
    let session = path.into_inner();
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let rows = state
        .db
        .run(move |c| {
            crate::registry::load::<SessionRow>(c, kinds::SESSION, session)?;
            Ok(enrolment::list(c, session, page.after, page.limit + 1)?)
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id.get());
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(EnrolmentView::of).collect(), next_cursor }))
}

/// Record an enrolment's outcome: completion, certificate, or drop-out (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/training/sessions/{id}/enrolments/{enrolment_id}", tag = "training", request_body = OutcomeChanges,
    responses((status = 200, body = EnrolmentView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. A completed enrolment with a certificate adds it to the labourer's `certificates`.")]
pub async fn set_outcome(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(SessionId, EnrolmentId)>,
    form: Form<OutcomeChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("登记培训结果", "record training outcomes"))?;
    let form = form.read()?;
    let ((session, enrolment), actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::set_outcome(c, &actor, session, enrolment, v))).await?;
    Ok(HttpResponse::Ok().json(EnrolmentView::of(row)))
}
