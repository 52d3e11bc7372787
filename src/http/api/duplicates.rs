//! `/api/v1/labourers/duplicates`: likely duplicate records, merging a pair
//! into one, dismissing a pair as two people (DESIGN §8). Roles: admin and
//! clerk.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::domain::LabourerId;
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::{Form, Page, Query};
use crate::http::state::AppState;
use crate::messages::general;
use crate::registry::duplicates::{self, Merged, Pair};

/// Query of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuplicatesQuery {
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// A page of pairs.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairPage {
    /// The pairs, in id order.
    pub items: Vec<Pair>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Which record of a pair to keep.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeForm {
    /// The id of the record that stays (one of the pair).
    #[validate(required)]
    pub keep: Option<LabourerId>,
}

fn cursor_of(raw: &Option<String>) -> Result<(i64, i64), AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok((0, 0)),
        Some(c) => c
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
            .ok_or_else(|| AppError::bad_param("cursor", general::bad_cursor())),
    }
}

/// Likely duplicate pairs (admin, clerk).
#[utoipa::path(get, path = "/api/v1/labourers/duplicates", tag = "labourers", params(DuplicatesQuery),
    responses((status = 200, body = PairPage), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. Same name and birth date, or ID numbers one character apart or with two neighbouring characters swapped; dismissed pairs are left out. ID numbers masked.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<DuplicatesQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("核对疑似重复", "review duplicates"))?;
    let limit = Page::parse(&q.0.limit, &None)?.limit as usize;
    let after = cursor_of(&q.0.cursor)?;
    let (items, next) = state.db.run(move |c| duplicates::pairs(c, after, limit)).await?;
    Ok(HttpResponse::Ok().json(PairPage { items, next_cursor: next.map(|(a, b)| format!("{a}-{b}")) }))
}

/// Merge a pair into one record (admin, clerk).
#[utoipa::path(post, path = "/api/v1/labourers/duplicates/{a}/{b}/merge", tag = "labourers", request_body = MergeForm,
    params(("a" = i64, Path, description = "one record"), ("b" = i64, Path, description = "the other")),
    responses((status = 200, body = Merged), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, description = "the two histories cannot be one person's; the reason says why", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. Moves every placement, enrolment, check-in, intention, study and trainee account of the other record onto `keep` and deletes the other, in one transaction; both audited.")]
pub async fn merge(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(LabourerId, LabourerId)>,
    form: Form<MergeForm>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("合并重复记录", "merge duplicates"))?;
    let (a, b) = path.into_inner();
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let merged = state
        .db
        .write(move |c| {
            form.then(|f| {
                let keep = f.keep.ok_or_else(|| AppError::invalid("keep", "required", general::required("keep")))?;
                duplicates::merge(c, &actor, a, b, keep)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(merged))
}

/// Dismiss a pair: they are two people (admin, clerk).
#[utoipa::path(post, path = "/api/v1/labourers/duplicates/{a}/{b}/dismiss", tag = "labourers",
    params(("a" = i64, Path, description = "one record"), ("b" = i64, Path, description = "the other")),
    responses((status = 204, description = "dismissed; the pair is no longer listed"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. Audited.")]
pub async fn dismiss(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(LabourerId, LabourerId)>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("核对疑似重复", "review duplicates"))?;
    let (a, b) = path.into_inner();
    let actor = Actor::from(&caller);
    state.db.write(move |c| duplicates::dismiss(c, &actor, a, b)).await?;
    Ok(HttpResponse::NoContent().finish())
}
