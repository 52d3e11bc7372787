//! `backup` and `restore`.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::db::models::audit::{self, Actor};
use crate::db::Backend;

fn sqlite_path(settings: &Settings, command: &str) -> anyhow::Result<PathBuf> {
    if Backend::of_url(&settings.database_url) == Backend::Postgres {
        let url = crate::db::redact(&settings.database_url);
        let how = if command == "backup" {
            format!("pg_dump --format=custom --file FILE '{url}'")
        } else {
            format!("pg_restore --clean --if-exists --dbname '{url}' FILE")
        };
        anyhow::bail!(
            "`{command}` works on a SQLite database; this one is PostgreSQL ({url}). Use PostgreSQL's own tool: {how}"
        );
    }
    Ok(PathBuf::from(settings.database_url.trim_start_matches("sqlite://")))
}

/// `backup --out FILE`.
pub(super) fn backup(settings: &Settings, out: &Path) -> anyhow::Result<()> {
    let db = sqlite_path(settings, "backup")?;
    let started = std::time::Instant::now();
    crate::ops::backup::backup(&db, out)?;
    // The copy holds every ID number unmasked: who took it is audited.
    let conn_db = crate::db::Db::connect(&settings.database_url, 1)?;
    let mut conn = conn_db.get()?;
    let what = serde_json::json!({"out": out.display().to_string()});
    audit::record(&mut conn, &Actor::cli("backup"), "backup", "registry", None, None::<&()>, Some(&what))?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote a consistent copy of {} to {} ({:.1} MiB) in {:.1} s",
        db.display(),
        out.display(),
        size as f64 / (1024.0 * 1024.0),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `restore FILE [--force]`.
pub(super) fn restore(settings: &Settings, file: &Path, force: bool) -> anyhow::Result<()> {
    let db = sqlite_path(settings, "restore")?;
    let records = crate::ops::backup::restore(file, &db, force)?;
    // The index belongs to the database it was built from: rebuild it on
    // the next start (a backup's outbox may be behind the index's cursor).
    let current = settings.data_dir.join("index").join("CURRENT");
    match std::fs::remove_file(&current) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => anyhow::bail!("restored, but cannot remove {} ({e}); delete it before starting", current.display()),
    }
    let conn_db = crate::startup::open_database(settings)?;
    let mut conn = conn_db.get()?;
    let what = serde_json::json!({"from": file.display().to_string(), "force": force});
    audit::record(&mut conn, &Actor::cli("restore"), "restore", "registry", None, None::<&()>, Some(&what))?;
    eprintln!(
        "restored {} into {} ({records} labourers, employers, postings and users); \
         restart any service using it: the search index is rebuilt at its next start",
        file.display(),
        db.display()
    );
    // A service running on this directory serves the restored records at
    // once, but searches and kept figures of the old ones until restarted.
    if let Some(pid) = crate::ops::serving::running(&settings.data_dir)? {
        let who = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
        eprintln!(
            "warning: a labour-bridge service{who} is running on {}: restart it now — until then its search \
             and dashboard figures are of the records before the restore",
            settings.data_dir.display()
        );
    }
    Ok(())
}
