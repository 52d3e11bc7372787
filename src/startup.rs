//! Building the application: state, routes, and the HTTP server.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::Db;
use crate::http::state::AppState;

/// Opens (or builds) the search index under `<data-dir>/index`, catches it
/// up with the outbox and starts the indexer thread.
pub fn open_search(settings: &Settings, db: &Db) -> anyhow::Result<std::sync::Arc<crate::search::Search>> {
    let search = crate::search::Search::open(&settings.data_dir.join("index"), db, &settings.paired_district)?;
    crate::search::spawn_indexer(&search, db.clone(), std::time::Duration::from_millis(settings.index_interval_ms));
    Ok(search)
}

/// Opens the database and runs pending migrations.
pub fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    if crate::db::Backend::of_url(&settings.database_url) == crate::db::Backend::Sqlite {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", settings.data_dir.display()))?;
        // The registry, its index and waiting rosters hold full ID numbers:
        // the data directory is the service user's alone (files in it were
        // readable by every user of the host).
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(&settings.data_dir, std::fs::Permissions::from_mode(0o700)) {
            tracing::warn!(error = %e, dir = %settings.data_dir.display(), "cannot make the data directory private");
        }
    }
    let db = Db::connect(&settings.database_url, settings.pool_size)?;
    let applied = db.migrate()?;
    if !applied.is_empty() {
        tracing::info!(?applied, "migrations applied");
    }
    // stable-east reads each placement's kept east spell: worked out again
    // here when the configured rules differ from those it was kept under.
    if crate::db::models::east_spells::keep_for(&mut *db.get()?, &settings.ledger_rules)? {
        tracing::info!("east spells worked out under the configured ledger rules");
    }
    Ok(db)
}

/// Opens the registry a command works on, refusing a SQLite file that is
/// not there: `ledger`, `reindex`, `import` and `user` on a mistyped
/// `--data-dir` once made an empty database and answered an empty ledger
/// with exit status 0. (`serve`, `migrate` and `seed-demo` create one.)
pub fn open_existing_database(settings: &Settings) -> anyhow::Result<Db> {
    if crate::db::Backend::of_url(&settings.database_url) == crate::db::Backend::Sqlite {
        let file = std::path::Path::new(settings.database_url.trim_start_matches("sqlite://"));
        if !file.is_file() {
            anyhow::bail!(
                "there is no database at {}: give the registry's --data-dir or --database-url \
                 (`serve`, `migrate` or `seed-demo` create a new one)",
                file.display()
            );
        }
    }
    open_database(settings)
}

/// Starts serving on `listener` (bind to port 0 for tests).
pub fn run(
    listener: TcpListener,
    db: Db,
    settings: Settings,
    search: std::sync::Arc<crate::search::Search>,
) -> anyhow::Result<Server> {
    let (server, _) = run_with_metrics(listener, None, db, settings, search)?;
    Ok(server)
}

/// As [`run`], plus, on `metrics` if given, a second server answering only
/// `GET /metrics` without a token.
pub fn run_with_metrics(
    listener: TcpListener,
    metrics: Option<TcpListener>,
    db: Db,
    settings: Settings,
    search: std::sync::Arc<crate::search::Search>,
) -> anyhow::Result<(Server, Option<Server>)> {
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2);
    let limits = crate::http::limits::Limits::of(&settings);
    let state = web::Data::new(AppState {
        db,
        settings,
        search,
        limits,
        figures: Default::default(),
        progress: Default::default(),
    });
    let metrics = metrics.map(|l| crate::http::ops::metrics_server(l, state.clone())).transpose()?;
    let server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(crate::http::pages::errors::html_errors))
            .wrap(actix_web::middleware::from_fn(crate::http::problem::negotiate))
            .wrap(actix_web::middleware::from_fn(crate::http::ops::count))
            .wrap(TracingLogger::<crate::http::logging::RedactedSpans>::new())
            // No page may be framed by another site (clickjacking a merge
            // or a submission), nor any answer sniffed as another type.
            // Outermost, so that error pages made by the middleware inside
            // (a Chinese 404) carry them too.
            .wrap(
                actix_web::middleware::DefaultHeaders::new()
                    .add(("X-Frame-Options", "DENY"))
                    .add(("Content-Security-Policy", "frame-ancestors 'none'"))
                    .add(("X-Content-Type-Options", "nosniff")),
            )
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(state.settings.max_body_bytes))
            .configure(crate::http::routes)
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok((server, metrics))
}
