//! One tantivy index with its single writer: opened for serving or for a
//! bulk rebuild, committed with the payload that records how far the
//! outbox has been applied.

use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use super::text::Analyzer;

/// What each commit records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Payload {
    pub(super) schema: u32,
    pub(super) vocab: String,
    pub(super) cursor: i64,
}

/// One tantivy index with its writer.
pub struct Store<F> {
    /// The index.
    pub index: Index,
    /// Fresh searchers.
    pub reader: IndexReader,
    pub(super) writer: Mutex<IndexWriter<TantivyDocument>>,
    /// Its fields.
    pub fields: F,
}

impl<F> Store<F> {
    pub(super) fn open(
        dir: &Path,
        schema: tantivy::schema::Schema,
        fields: F,
        analyzer: &Analyzer,
        executor: &tantivy::Executor,
        bulk: bool,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        let mut index = Index::open_or_create(mmap, schema).with_context(|| {
            format!("the index in {} does not fit this version; run `labour-bridge reindex`", dir.display())
        })?;
        // Before the reader: its searchers take the index's executor.
        index.set_executor(executor.clone());
        analyzer.register(&index);
        let writer = if bulk {
            index.writer_with_num_threads(2, 400_000_000)?
        } else {
            index.writer_with_num_threads(1, 40_000_000)?
        };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Store { index, reader, writer: Mutex::new(writer), fields })
    }

    pub(super) fn payload(&self) -> Option<Payload> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    pub(super) fn commit(&self, payload: &Payload) -> anyhow::Result<()> {
        let mut w = self.writer.lock().map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(payload)?);
        prepared.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    pub(super) fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let mut w = self.writer.lock().map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
        f(&mut w)
    }
}

/// How many threads one search's segments are collected on:
/// `LB_SEARCH_THREADS` if set (1 collects on the asking thread), otherwise
/// the machine's cores, at most 4.
///
/// An index has several segments (a rebuild writes one per indexing thread,
/// commits add more until merged); each is searched on its own thread and
/// the hits, counts and facet tables are merged, so one clerk's search is
/// answered by every core instead of one. Many searches at once share the
/// same threads, so the machine's throughput stays what it was.
pub fn search_threads() -> usize {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(4);
    std::env::var("LB_SEARCH_THREADS").ok().and_then(|v| v.trim().parse().ok()).filter(|&n| n > 0).unwrap_or(cores)
}

pub(super) fn search_executor(threads: usize) -> anyhow::Result<tantivy::Executor> {
    Ok(if threads > 1 {
        tantivy::Executor::multi_thread(threads, "lb-search-")?
    } else {
        tantivy::Executor::single_thread()
    })
}
