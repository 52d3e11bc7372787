//! `backup` and `restore` of a SQLite registry with SQLite's online backup
//! API (`sqlite3_backup_*`): a consistent copy taken while the service
//! runs and writes, page by page, without stopping it. PostgreSQL has its
//! own tools for this (`pg_dump`, `pg_restore`, streaming replication).

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use anyhow::{bail, Context};
use diesel::prelude::*;
use libsqlite3_sys as ffi;

/// An open SQLite handle, closed on drop.
struct Handle(*mut ffi::sqlite3);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle came from sqlite3_open_v2 (possibly failed, in
        // which case SQLite still allocated it, or it is null, which
        // sqlite3_close accepts) and is closed exactly once.
        unsafe {
            ffi::sqlite3_close(self.0);
        }
    }
}

impl Handle {
    fn open(path: &Path, create: bool) -> anyhow::Result<Handle> {
        let name = CString::new(path.as_os_str().as_bytes()).context("a path with a NUL byte")?;
        let flags = ffi::SQLITE_OPEN_READWRITE | if create { ffi::SQLITE_OPEN_CREATE } else { 0 };
        let mut db = std::ptr::null_mut();
        // SAFETY: `name` is a valid C string and `db` a valid out-pointer.
        let rc = unsafe { ffi::sqlite3_open_v2(name.as_ptr(), &mut db, flags, std::ptr::null()) };
        let handle = Handle(db);
        if rc != ffi::SQLITE_OK {
            bail!("cannot open {}: {}", path.display(), handle.error());
        }
        // SAFETY: `db` is an open handle. Wait for a writer rather than fail.
        unsafe { ffi::sqlite3_busy_timeout(db, 10_000) };
        Ok(handle)
    }

    fn error(&self) -> String {
        if self.0.is_null() {
            return "out of memory".into();
        }
        // SAFETY: a non-null handle; sqlite3_errmsg returns a C string owned by SQLite.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }.to_string_lossy().into_owned()
    }
}

/// Copies the whole `main` database of `from` into `to`, in one step: a
/// consistent snapshot of the source (a WAL reader does not block writers)
/// and one write transaction on the destination.
fn copy(from: &Handle, to: &Handle) -> anyhow::Result<()> {
    let main = c"main";
    // SAFETY: both handles are open; the names are valid C strings.
    let backup = unsafe { ffi::sqlite3_backup_init(to.0, main.as_ptr(), from.0, main.as_ptr()) };
    if backup.is_null() {
        bail!("cannot start the copy: {}", to.error());
    }
    loop {
        // SAFETY: `backup` is live until sqlite3_backup_finish below.
        let rc = unsafe { ffi::sqlite3_backup_step(backup, -1) };
        match rc {
            ffi::SQLITE_DONE => break,
            ffi::SQLITE_OK | ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            _ => break,
        }
    }
    // SAFETY: finishes and frees `backup`, which is not used again.
    let rc = unsafe { ffi::sqlite3_backup_finish(backup) };
    if rc != ffi::SQLITE_OK {
        bail!("the copy failed: {}", to.error());
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    quick_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Checks that `path` is an intact labour-bridge database.
fn check_copy(path: &Path) -> anyhow::Result<()> {
    let mut c = SqliteConnection::establish(&path.to_string_lossy())
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let check: Vec<Line> = diesel::sql_query("PRAGMA quick_check")
        .load(&mut c)
        .map_err(|e| anyhow::anyhow!("{} is not a SQLite database: {e}", path.display()))?;
    if check.iter().any(|l| l.quick_check != "ok") {
        let lines: Vec<&str> = check.iter().map(|l| l.quick_check.as_str()).collect();
        bail!("{} is damaged: {}", path.display(), lines.join("; "));
    }
    let tables: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' \
         AND name IN ('__diesel_schema_migrations', 'labourers', 'outbox', 'audit_log')",
    )
    .get_result(&mut c)?;
    if tables.n < 4 {
        bail!("{} is not a labour-bridge database (its registry tables are missing)", path.display());
    }
    Ok(())
}

/// Records in the registry at `path`, or 0 when it has no registry tables.
fn records(path: &Path) -> anyhow::Result<i64> {
    let mut c = SqliteConnection::establish(&path.to_string_lossy())
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let tables: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' \
         AND name IN ('labourers', 'employers', 'postings', 'users')",
    )
    .get_result(&mut c)?;
    if tables.n < 4 {
        return Ok(0);
    }
    let n: Count = diesel::sql_query(
        "SELECT (SELECT COUNT(*) FROM labourers) + (SELECT COUNT(*) FROM employers) \
         + (SELECT COUNT(*) FROM postings) + (SELECT COUNT(*) FROM users) AS n",
    )
    .get_result(&mut c)?;
    Ok(n.n)
}

/// Writes a consistent copy of the SQLite database at `db` to `out` (which
/// must not exist yet), checked before it is put in place.
pub fn backup(db: &Path, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!("{} already exists; name a new file", out.display());
    }
    if !db.is_file() {
        bail!("there is no database at {}", db.display());
    }
    let partial = out.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let result = (|| {
        let from = Handle::open(db, false)?;
        // The copy holds every ID number: readable by this user alone
        // (SQLite keeps the mode of the empty file it is given).
        {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&partial)
                .with_context(|| format!("cannot write {}", partial.display()))?;
        }
        let to = Handle::open(&partial, true)?;
        copy(&from, &to)?;
        drop(to);
        // One self-contained file: no -wal beside it to forget.
        let mut c = SqliteConnection::establish(&partial.to_string_lossy())?;
        diesel::connection::SimpleConnection::batch_execute(&mut c, "PRAGMA journal_mode = DELETE")?;
        drop(c);
        check_copy(&partial)?;
        std::fs::rename(&partial, out).with_context(|| format!("cannot write {}", out.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Copies the backup `file` over the SQLite database at `db`. A database
/// that holds records is overwritten only with `force`. Returns how many
/// records (labourers, employers, postings, users) the restored one has.
pub fn restore(file: &Path, db: &Path, force: bool) -> anyhow::Result<i64> {
    if !file.is_file() {
        bail!("there is no backup at {}", file.display());
    }
    check_copy(file)?;
    if db.exists() {
        let existing = records(db)?;
        if existing > 0 && !force {
            bail!(
                "the database at {} is not empty ({existing} labourers, employers, postings and users); \
                 restoring would overwrite it — add --force to do so",
                db.display()
            );
        }
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let from = Handle::open(file, false)?;
    let to = Handle::open(db, true)?;
    copy(&from, &to)?;
    drop(to);
    records(db)
}
