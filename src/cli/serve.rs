//! `serve`: the HTTP service, its scheduler and indexer, and the metrics address.

use std::net::TcpListener;

use crate::config::Settings;

/// Runs the service until it is stopped.
pub(super) fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    if let Some(bad) = settings.trusted_proxies_unread.first() {
        anyhow::bail!(
            "LB_TRUSTED_PROXIES: `{bad}` is not an address; give each balancer's address (ranges such as 10.0.0.0/8 \
             are not read), or every client would share the balancer's sign-in limit"
        );
    }
    let db = crate::startup::open_database(&settings)?;
    // Held while serving, so that `restore` can tell this service runs.
    let _serving = crate::ops::serving::mark(&settings.data_dir)?;
    if demo {
        let mut conn = db.get()?;
        if crate::demo::is_empty(&mut conn)? {
            let s = crate::demo::seed(&mut conn, &settings.ledger_recipients)?;
            tracing::info!(
                labourers = s.labourers,
                employers = s.employers,
                postings = s.postings,
                placements = s.placements,
                "demo data loaded"
            );
        }
    }
    let listener =
        TcpListener::bind(&settings.bind).map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
    let metrics = match &settings.metrics_bind {
        Some(addr) => {
            let l = TcpListener::bind(addr).map_err(|e| anyhow::anyhow!("cannot listen on {addr} for metrics: {e}"))?;
            tracing::info!(address = %l.local_addr()?, "metrics served without a token on this address");
            Some(l)
        }
        None => None,
    };
    tracing::info!(address = %listener.local_addr()?, database = %crate::db::redact(&settings.database_url), "labour-bridge serving");
    let instance =
        format!("{}-{}", std::env::var("HOSTNAME").unwrap_or_else(|_| "labour-bridge".into()), std::process::id());
    actix_web::rt::System::new().block_on(async move {
        crate::mail::scheduler::spawn(db.clone(), settings.clone(), instance);
        let search = crate::startup::open_search(&settings, &db)?;
        let (api, metrics) = crate::startup::run_with_metrics(listener, metrics, db, settings, search.clone())?;
        if let Some(metrics) = metrics {
            actix_web::rt::spawn(metrics);
        }
        let served = api.await;
        search.stop_indexer();
        served.map_err(Into::into)
    })
}
