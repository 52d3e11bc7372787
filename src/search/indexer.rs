//! The indexer thread: keeps the search indexes in step with the registry
//! by running [`Search::sync`] on a timer, and stops cleanly so that the
//! process never exits in the middle of a database call.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::{Search, BATCH};
use crate::db::Db;

/// Runs [`Search::sync`] every `interval` on its own thread until
/// [`Search::stop_indexer`] is called or the search service is dropped.
pub fn spawn_indexer(search: &Arc<Search>, db: Db, interval: Duration) {
    if interval.is_zero() {
        return;
    }
    let weak: Weak<Search> = Arc::downgrade(search);
    let spawned = std::thread::Builder::new().name("indexer".into()).spawn(move || loop {
        // Parked rather than asleep, so `stop_indexer` need not wait.
        std::thread::park_timeout(interval);
        let Some(search) = weak.upgrade() else { return };
        if search.stopping.load(Ordering::Acquire) {
            return;
        }
        loop {
            match search.sync(&db) {
                Ok(n) if n >= BATCH as usize && !search.stopping.load(Ordering::Acquire) => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "search indexer pass failed; retrying");
                    break;
                }
            }
        }
    });
    match spawned {
        Ok(handle) => {
            if let Ok(mut slot) = search.indexer.lock() {
                *slot = Some(handle);
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot start the search indexer"),
    }
}

impl Search {
    /// Stops the indexer thread after its current pass and waits for it, so
    /// the process never exits in the middle of a database call.
    pub fn stop_indexer(&self) {
        self.stopping.store(true, Ordering::Release);
        let handle = self.indexer.lock().ok().and_then(|mut h| h.take());
        if let Some(h) = handle {
            h.thread().unpark();
            let _ = h.join();
        }
    }
}
