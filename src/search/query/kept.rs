//! What a search reads once per index segment and keeps for later searches
//! (a segment never changes): matching's facts, the facet combinations, the
//! day's set of postings taking applications. One cache shape for them all:
//! by key, shared behind `Arc`, all dropped when `CAPACITY` is reached (old
//! segments are merged away; no eviction order is worth keeping).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Values kept by key, at most `CAPACITY` of them.
pub(super) struct Kept<K, T, const CAPACITY: usize> {
    values: Mutex<HashMap<K, Arc<T>>>,
}

impl<K, T, const CAPACITY: usize> Default for Kept<K, T, CAPACITY> {
    fn default() -> Self {
        Kept { values: Mutex::new(HashMap::new()) }
    }
}

impl<K, T, const CAPACITY: usize> std::fmt::Debug for Kept<K, T, CAPACITY> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.values.lock().map(|v| v.len()).unwrap_or(0);
        write!(f, "Kept({n} of {CAPACITY})")
    }
}

impl<K: Eq + Hash, T, const CAPACITY: usize> Kept<K, T, CAPACITY> {
    /// The value kept for `key`, if any.
    pub(super) fn get(&self, key: &K) -> Option<Arc<T>> {
        self.values.lock().ok().and_then(|v| v.get(key).cloned())
    }

    /// The value kept for `key`, or `read`'s, kept from now on. Two
    /// searches reading the same segment at once may both read it; the
    /// later one is kept.
    pub(super) fn get_or_read<E>(&self, key: K, read: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        let value = Arc::new(read()?);
        if let Ok(mut values) = self.values.lock() {
            if values.len() >= CAPACITY {
                values.clear();
            }
            values.insert(key, value.clone());
        }
        Ok(value)
    }
}
