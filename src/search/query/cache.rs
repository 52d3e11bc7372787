//! Answers of posting search kept per index commit: phones repeat 普工 and
//! 厨师 all day, and between two commits the same question has the same
//! answer. The key is everything the answer depends on — what was typed,
//! every filter, whether only postings taking applications are shown (the
//! caller's visibility), the page, today, and the index generation and
//! commit — so a commit or a new day never serves an old answer. The
//! answer holds no personal data and nothing of who asked.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use serde::Serialize;

use super::search::{PostingSearch, SearchResults};

/// Answers kept at most; the whole cache is dropped when full (cheap, and
/// popular queries come back within seconds).
const CAPACITY: usize = 4_096;

/// What an answer depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    q: String,
    region: Option<String>,
    salary_min: Option<i64>,
    benefits: Vec<String>,
    education: Option<String>,
    open_only: bool,
    limit: usize,
    offset: usize,
    today: NaiveDate,
}

impl Key {
    pub(super) fn of(s: &PostingSearch) -> Key {
        let mut benefits = s.benefits.clone();
        benefits.sort();
        benefits.dedup();
        Key {
            q: s.q.split_whitespace().collect::<Vec<_>>().join(" "),
            region: s.region.clone(),
            salary_min: s.salary_min,
            benefits,
            education: s.education.clone(),
            open_only: s.open_only,
            limit: s.limit,
            offset: s.offset,
            today: s.today,
        }
    }
}

/// The index state an answer was computed on: generation and commit.
pub(super) type Stamp = (String, u64);

/// Answers of the current commit.
pub struct ResultCache {
    enabled: AtomicBool,
    inner: Mutex<(Stamp, HashMap<Key, Arc<Answer>>)>,
}

/// One answer, and its JSON without `total` and `took_ms` once written.
pub(super) struct Answer {
    pub results: SearchResults,
    tail: OnceLock<Vec<u8>>,
}

/// The part of the body that does not change between two askings.
#[derive(Serialize)]
struct Tail<'a> {
    hits: &'a [super::search::SearchHit],
    facets: &'a super::facets::Facets,
}

impl Answer {
    pub(super) fn new(results: SearchResults) -> Answer {
        Answer { results, tail: OnceLock::new() }
    }

    /// `"hits":[…],"facets":{…}}`: the body after its opening brace.
    pub(super) fn tail(&self) -> anyhow::Result<&[u8]> {
        if let Some(t) = self.tail.get() {
            return Ok(&t[1..]);
        }
        let json = serde_json::to_vec(&Tail { hits: &self.results.hits, facets: &self.results.facets })?;
        Ok(&self.tail.get_or_init(|| json)[1..])
    }
}

impl ResultCache {
    /// On unless `LB_SEARCH_CACHE=0` (for measuring the search itself).
    pub fn from_env() -> ResultCache {
        let enabled = std::env::var("LB_SEARCH_CACHE").map(|v| v.trim() != "0").unwrap_or(true);
        ResultCache::new(enabled)
    }

    /// A cache, on or off.
    pub fn new(enabled: bool) -> ResultCache {
        ResultCache { enabled: AtomicBool::new(enabled), inner: Mutex::new(((String::new(), 0), HashMap::new())) }
    }

    /// Turns the cache on or off (off drops what it holds).
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
        if let Ok(mut inner) = self.inner.lock() {
            inner.1.clear();
        }
    }

    pub(super) fn get(&self, stamp: &Stamp, key: &Key) -> Option<Arc<Answer>> {
        if !self.enabled.load(Ordering::Relaxed) {
            return None;
        }
        let inner = self.inner.lock().ok()?;
        if inner.0 != *stamp {
            return None;
        }
        inner.1.get(key).cloned()
    }

    pub(super) fn put(&self, stamp: Stamp, key: Key, answer: Arc<Answer>) {
        if !self.enabled.load(Ordering::Relaxed) {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else { return };
        if inner.0 != stamp || inner.1.len() >= CAPACITY {
            inner.1.clear();
            inner.0 = stamp;
        }
        inner.1.insert(key, answer);
    }
}
