//! `/metrics`: the Prometheus text exposition format (0.0.4), from the
//! `prometheus` crate's registry.
//!
//! Counters and histograms are updated as things happen (requests by the
//! HTTP middleware, mails by the transport); gauges of state (index lag,
//! outbox depth, pool) are read when the page is asked for. Route labels
//! are the route's pattern (`/api/v1/labourers/{id}`), never the path a
//! client sent, so no id or ID number ever becomes a label value.

use std::sync::LazyLock;

use prometheus::{Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry};

use super::Lag;
use crate::db::PoolState;

/// The content type of the page.
pub const CONTENT_TYPE: &str = prometheus::TEXT_FORMAT;

/// Request latency buckets, in seconds: a search answers in milliseconds,
/// a province's ledger bundle in seconds.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    mails_sent: IntCounter,
    mails_failed: IntCounter,
    dashboard_figures: IntCounterVec,
    target_progress: IntCounterVec,
    database_up: IntGauge,
    outbox_depth: IntGauge,
    index_lag: Gauge,
    index_cursor: IntGauge,
    pool_in_use: IntGauge,
    pool_open: IntGauge,
    pool_max: IntGauge,
}

fn build() -> prometheus::Result<Metrics> {
    let registry = Registry::new_custom(Some("labour_bridge".into()), None)?;
    let m = Metrics {
        requests: IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered, by method, route pattern and status."),
            &["method", "route", "status"],
        )?,
        latency: HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer an HTTP request, by route pattern.")
                .buckets(BUCKETS.to_vec()),
            &["method", "route"],
        )?,
        mails_sent: IntCounter::new("mails_sent_total", "E-mails the SMTP server accepted.")?,
        mails_failed: IntCounter::new(
            "mails_failed_total",
            "E-mails that could not be sent (they are kept to retry).",
        )?,
        dashboard_figures: IntCounterVec::new(
            Opts::new(
                "dashboard_figures_total",
                "Dashboard visits by whether the figures were computed or reused (no write committed since).",
            ),
            &["outcome"],
        )?,
        target_progress: IntCounterVec::new(
            Opts::new(
                "target_progress_total",
                "Target progress asked through the API, by whether it was counted or reused (no write committed since).",
            ),
            &["outcome"],
        )?,
        database_up: IntGauge::new("database_up", "1 when the database answered this scrape, else 0.")?,
        outbox_depth: IntGauge::new(
            "outbox_depth",
            "Outbox entries (writes to postings and labourers) not yet in this instance's search index.",
        )?,
        index_lag: Gauge::new(
            "search_index_lag_seconds",
            "How long the oldest outbox entry not yet in this instance's search index has waited (0 when none).",
        )?,
        index_cursor: IntGauge::new(
            "search_index_cursor",
            "The outbox entry this instance's search index has reached.",
        )?,
        pool_in_use: IntGauge::new("db_pool_connections_in_use", "Database connections lent out right now.")?,
        pool_open: IntGauge::new("db_pool_connections_open", "Database connections open in the pool.")?,
        pool_max: IntGauge::new("db_pool_connections_max", "The most connections the pool opens.")?,
        registry,
    };
    m.registry.register(Box::new(m.requests.clone()))?;
    m.registry.register(Box::new(m.latency.clone()))?;
    m.registry.register(Box::new(m.mails_sent.clone()))?;
    m.registry.register(Box::new(m.mails_failed.clone()))?;
    m.registry.register(Box::new(m.dashboard_figures.clone()))?;
    m.registry.register(Box::new(m.target_progress.clone()))?;
    m.registry.register(Box::new(m.database_up.clone()))?;
    m.registry.register(Box::new(m.outbox_depth.clone()))?;
    m.registry.register(Box::new(m.index_lag.clone()))?;
    m.registry.register(Box::new(m.index_cursor.clone()))?;
    m.registry.register(Box::new(m.pool_in_use.clone()))?;
    m.registry.register(Box::new(m.pool_open.clone()))?;
    m.registry.register(Box::new(m.pool_max.clone()))?;
    Ok(m)
}

static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| {
    build().map_err(|e| tracing::error!(error = %e, "metrics cannot be set up; /metrics stays empty")).ok()
});

/// Methods kept as they are in labels; anything else is `other` (a client
/// inventing methods must not invent label values).
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// Counts one answered request; `route` is the matched pattern (`None`:
/// no route matched, labelled `unmatched`).
pub fn request(method: &str, route: Option<&str>, status: u16, seconds: f64) {
    let Some(m) = METRICS.as_ref() else { return };
    let method = method_label(method);
    let route = route.unwrap_or("unmatched");
    let status = status.to_string();
    m.requests.with_label_values(&[method, route, status.as_str()]).inc();
    m.latency.with_label_values(&[method, route]).observe(seconds);
}

/// Counts one e-mail sent (`true`) or failed.
pub fn mail(sent: bool) {
    let Some(m) = METRICS.as_ref() else { return };
    if sent {
        m.mails_sent.inc();
    } else {
        m.mails_failed.inc();
    }
}

/// Counts one dashboard visit whose figures were `reused` (`true`) or
/// computed.
pub fn dashboard_figures(reused: bool) {
    let Some(m) = METRICS.as_ref() else { return };
    m.dashboard_figures.with_label_values(&[if reused { "reused" } else { "computed" }]).inc();
}

/// Counts one asking of target progress through the API.
pub fn target_progress(reused: bool) {
    let Some(m) = METRICS.as_ref() else { return };
    m.target_progress.with_label_values(&[if reused { "reused" } else { "computed" }]).inc();
}

/// State read for one scrape.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    /// The index lag, or `None` when the database did not answer.
    pub lag: Option<Lag>,
    /// The outbox position this instance's index has reached.
    pub cursor: i64,
    /// The pool.
    pub pool: PoolState,
}

/// The page: every metric in the text format.
pub fn render(s: &Snapshot) -> String {
    let Some(m) = METRICS.as_ref() else { return String::new() };
    m.database_up.set(i64::from(s.lag.is_some()));
    if let Some(lag) = s.lag {
        m.outbox_depth.set(lag.entries);
        m.index_lag.set(lag.seconds);
    }
    m.index_cursor.set(s.cursor);
    m.pool_in_use.set(i64::from(s.pool.in_use));
    m.pool_open.set(i64::from(s.pool.open));
    m.pool_max.set(i64::from(s.pool.max));
    let mut out = Vec::new();
    if let Err(e) = prometheus::TextEncoder::new().encode(&m.registry.gather(), &mut out) {
        tracing::error!(error = %e, "metrics cannot be written");
    }
    String::from_utf8(out).unwrap_or_default()
}
