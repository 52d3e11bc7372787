//! Operations endpoints: `/readyz` for load balancers, `/metrics` for
//! Prometheus, and the middleware that counts every request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, App, HttpResponse, HttpServer};

use super::auth::{require, ADMIN};
use super::state::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use crate::ops::metrics;

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

/// Metrics in the Prometheus text format (admins; or without a token on
/// the `--metrics-bind` address).
#[utoipa::path(get, path = "/metrics", tag = "meta",
    responses((status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain"),
        (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])),
    description = "Role: admin. Served without a token on the separate `serve --metrics-bind` address, if set.")]
pub async fn metrics_admin(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("查看运行指标", "read the service metrics"))?;
    metrics_page(state).await
}

/// The page itself, for the admin route and the metrics address.
pub async fn metrics_page(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let page = web::block(move || {
        let lag = state
            .db
            .get_within(std::time::Duration::from_secs(2))
            .and_then(|mut c| crate::ops::lag(&mut c, &state.search))
            .map_err(|e| tracing::warn!(error = %e, "metrics: the database did not answer"))
            .ok();
        metrics::render(&metrics::Snapshot { lag, cursor: state.search.cursor(), pool: state.db.pool_state() })
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?;
    Ok(HttpResponse::Ok().content_type(metrics::CONTENT_TYPE).body(page))
}

/// Middleware: counts each request and its latency under its route pattern.
pub async fn count<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await?;
    let route = res.request().match_pattern();
    metrics::request(method.as_str(), route.as_deref(), res.status().as_u16(), started.elapsed().as_secs_f64());
    Ok(res)
}

/// A server on its own address answering only `GET /metrics`, without a
/// token: bind it where only the monitoring network reaches.
pub fn metrics_server(listener: std::net::TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(metrics_page))
            .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(server)
}
