//! Whether a service is running on a data directory: `serve` holds a
//! shared lock on `serving.lock` there for as long as it runs (the
//! operating system drops it when the process ends, however it ends), and
//! `restore` asks for the lock to tell the operator that a running service
//! must be restarted to serve what was restored.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The lock file of a data directory.
fn lock_path(data_dir: &Path) -> PathBuf {
    data_dir.join("serving.lock")
}

/// The shared lock a running service holds; released when dropped.
#[derive(Debug)]
pub struct Serving {
    /// The open lock file: closing it releases the lock.
    _held: File,
}

/// Marks `data_dir` as served by this process until the result is dropped
/// (several instances may share a directory's mark).
///
/// Errors: the lock file cannot be created or locked.
pub fn mark(data_dir: &Path) -> anyhow::Result<Serving> {
    let path = lock_path(data_dir);
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    file.lock_shared().with_context(|| format!("cannot lock {}", path.display()))?;
    // The last instance to start says who it is (for the operator).
    let _ = file.set_len(0).and_then(|()| writeln!(file, "{}", std::process::id()));
    Ok(Serving { _held: file })
}

/// The process id of a service running on `data_dir`, if one is
/// (`Some(None)` when one is but its id cannot be read).
///
/// Errors: the lock file exists but cannot be opened or asked.
pub fn running(data_dir: &Path) -> anyhow::Result<Option<Option<u32>>> {
    let path = lock_path(data_dir);
    let file = match OpenOptions::new().write(true).open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
    };
    match file.try_lock() {
        Ok(()) => {
            file.unlock().with_context(|| format!("cannot unlock {}", path.display()))?;
            Ok(None)
        }
        Err(TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(&path).ok().and_then(|s| s.trim().parse().ok());
            Ok(Some(pid))
        }
        Err(TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn a_marked_directory_is_running_until_the_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(super::running(dir.path()).unwrap(), None);
        let mark = super::mark(dir.path()).unwrap();
        let again = super::mark(dir.path()).unwrap();
        assert_eq!(super::running(dir.path()).unwrap(), Some(Some(std::process::id())));
        drop(mark);
        assert!(super::running(dir.path()).unwrap().is_some(), "one instance still runs");
        drop(again);
        assert_eq!(super::running(dir.path()).unwrap(), None);
    }
}
