//! Operations endpoints: `/readyz` for load balancers.

use actix_web::{web, HttpResponse};

use super::state::AppState;
use crate::error::AppError;

/// Readiness: 200 when the database answers and this instance's search
/// index is within the configured lag; 503 naming what is not ready.
#[utoipa::path(get, path = "/readyz", tag = "meta",
    responses((status = 200, body = crate::ops::Ready), (status = 503, body = crate::error::Problem)),
    description = "No authentication needed. 503 lists in `errors` each item not ready: `database` \
        (`unreachable`) or `search_index` (`lagging`: more outbox entries waiting than \
        `LB_READY_MAX_LAG_ENTRIES`, or the oldest older than `LB_READY_MAX_LAG_SECS`).")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let ready = web::block(move || crate::ops::check(&state.db, &state.search, &state.settings))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))??;
    Ok(HttpResponse::Ok().json(ready))
}
