//! Search and matching (DESIGN §6): tantivy indexes of postings and
//! labourers kept in step with the registry through the outbox.
//!
//! Layout under `<data-dir>/index/`: `CURRENT` names the generation in use
//! (`gen-<millis>/`, holding `postings/` and `labourers/`). Each commit
//! carries `{schema, vocab, cursor}` as its payload, so the outbox position
//! and the documents it produced are saved together; re-applying an entry
//! is harmless (it re-reads the row), so after a crash the service simply
//! resumes from the saved cursor. The database stays the only source of
//! truth: a missing generation, or one built under another schema or
//! vocabulary, is rebuilt from it.

#[cfg(test)]
mod corpus;
mod generations;
mod indexer;
pub mod query;
pub mod schema;
pub mod summary;
#[cfg(test)]
pub(crate) mod testkit;
pub mod text;

pub use generations::reindex;
use generations::{new_generation_name, read_current, remove_other_generations, write_current};
pub use indexer::spawn_indexer;
mod stores;
use stores::Payload;
pub use stores::{search_threads, Store};
pub mod vocab;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;

use tantivy::schema::Term;

use self::schema::{labourer_doc, posting_doc, LabourerFields, PostingFields, Profile, SCHEMA_VERSION};
use self::text::Analyzer;
use self::vocab::Vocabulary;
use crate::db::models::search as store;
use crate::db::{Db, DbConnection};

/// Rows read from the database per batch when (re)building.
const PAGE: i64 = 5_000;
/// Outbox entries applied per pass.
const BATCH: i64 = 1_000;
/// How long an outbox id may stay missing before the indexer stops waiting
/// for its transaction (a rolled-back write leaves such a gap for good).
const GAP_WAIT: chrono::TimeDelta = chrono::TimeDelta::seconds(10);

/// One generation: both indexes.
pub struct Generation {
    /// Its directory name, as written in `CURRENT`.
    pub name: String,
    /// Postings.
    pub postings: Store<PostingFields>,
    /// Labourers.
    pub labourers: Store<LabourerFields>,
    /// Outbox entries up to here are in both indexes.
    cursor: Mutex<i64>,
}

/// Progress of a rebuild, for a bar.
pub trait Progress {
    /// Called with the number of rows added since the last call.
    fn advance(&self, rows: u64);
}

impl Progress for () {
    fn advance(&self, _: u64) {}
}

/// What building and opening generations needs.
pub struct Core {
    /// Occupations and synonyms.
    pub vocab: Vocabulary,
    /// The shared segmenter.
    pub analyzer: Analyzer,
    /// The threads a search's segments are collected on (both indexes).
    executor: tantivy::Executor,
    /// How many threads `executor` has (asked of the system once: reading
    /// the cgroup's CPU limit on every search cost a fifth of its serial part).
    threads: usize,
    root: PathBuf,
}

/// The search service: the core and the generation in use.
pub struct Search {
    /// Vocabulary, analyzer, directory.
    pub core: Core,
    current: RwLock<Arc<Generation>>,
    /// One pass over the outbox at a time.
    sync_lock: Mutex<()>,
    /// The paired eastern district (for `why`).
    pub paired_district: String,
    /// Set to stop the indexer thread.
    stopping: AtomicBool,
    indexer: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Posting search answers of the current commit.
    pub results: query::ResultCache,
    /// Postings taking applications, per segment and day.
    pub open_sets: Arc<query::OpenSets>,
    /// What matching's filters and bonuses read of each posting, per segment.
    pub posting_facts: query::PostingFacts,
    /// Each posting's facet values, per segment (search's facet counts).
    pub posting_tags: query::PostingTags,
}

impl Core {
    /// The built-in vocabulary and its analyzer, for indexes under `root`.
    pub fn new(root: &Path) -> anyhow::Result<Core> {
        std::fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
        let vocab = Vocabulary::builtin();
        let analyzer = Analyzer::new(&vocab);
        let threads = search_threads();
        let executor = stores::search_executor(threads)?;
        Ok(Core { vocab, analyzer, executor, threads, root: root.to_path_buf() })
    }

    /// The number of search threads (1: searches run on the caller's).
    pub fn search_threads(&self) -> usize {
        self.threads
    }

    fn open_generation(&self, name: &str, bulk: bool) -> anyhow::Result<Generation> {
        let dir = self.root.join(name);
        let (ps, pf) = PostingFields::schema();
        let (ls, lf) = LabourerFields::schema();
        let postings = Store::open(&dir.join("postings"), ps, pf, &self.analyzer, &self.executor, bulk)?;
        let labourers = Store::open(&dir.join("labourers"), ls, lf, &self.analyzer, &self.executor, bulk)?;
        let cursor = match (postings.payload(), labourers.payload()) {
            (Some(a), Some(b)) => a.cursor.min(b.cursor),
            _ => 0,
        };
        Ok(Generation { name: name.to_string(), postings, labourers, cursor: Mutex::new(cursor) })
    }

    fn is_current_build(&self, g: &Generation) -> bool {
        let ok =
            |p: Option<Payload>| p.is_some_and(|p| p.schema == SCHEMA_VERSION && p.vocab == self.vocab.fingerprint());
        ok(g.postings.payload()) && ok(g.labourers.payload())
    }

    fn payload(&self, cursor: i64) -> Payload {
        Payload { schema: SCHEMA_VERSION, vocab: self.vocab.fingerprint().to_string(), cursor }
    }

    /// Builds a fresh generation from the database and returns its name;
    /// `CURRENT` is left alone.
    pub fn build(&self, db: &Db, progress: &dyn Progress) -> anyhow::Result<String> {
        let name = new_generation_name();
        let g = self.open_generation(&name, true)?;
        let mut conn = db.get()?;
        // Entries after this point are applied afterwards; re-applying one
        // already reflected in the scan is harmless.
        let cursor = store::outbox_head(&mut conn)?;
        let mut after = 0;
        loop {
            let page = store::postings_page(&mut conn, after, PAGE)?;
            let Some(last) = page.last() else { break };
            after = last.posting.id.get();
            g.postings.with_writer(|w| {
                for d in &page {
                    w.add_document(posting_doc(&g.postings.fields, &self.vocab, d))?;
                }
                Ok(())
            })?;
            progress.advance(page.len() as u64);
        }
        let mut after = 0;
        loop {
            let page = store::labourers_page(&mut conn, after, PAGE)?;
            let Some(last) = page.last() else { break };
            after = last.id.get();
            let profiles = profiles(&mut conn, page)?;
            g.labourers.with_writer(|w| {
                for p in &profiles {
                    w.add_document(labourer_doc(&g.labourers.fields, p))?;
                }
                Ok(())
            })?;
            progress.advance(profiles.len() as u64);
        }
        let payload = self.payload(cursor);
        g.postings.commit(&payload)?;
        g.labourers.commit(&payload)?;
        Ok(name)
    }
}

impl Search {
    /// Opens the index under `root`, rebuilding it from the database when it
    /// is missing or outdated, and catches up with the outbox.
    pub fn open(root: &Path, db: &Db, paired_district: &str) -> anyhow::Result<Arc<Search>> {
        let core = Core::new(root)?;
        let existing = read_current(root).map(|name| core.open_generation(&name, false)).transpose();
        let generation = match existing {
            Ok(Some(g)) if core.is_current_build(&g) => g,
            other => {
                match &other {
                    Err(e) => {
                        tracing::warn!(error = %e, "the search index cannot be opened; rebuilding it from the database")
                    }
                    Ok(Some(_)) => tracing::info!("the search index was built by another version; rebuilding it"),
                    Ok(None) => tracing::info!("no search index yet; building it from the database"),
                }
                drop(other);
                let name = core.build(db, &())?;
                write_current(root, &name)?;
                core.open_generation(&name, false)?
            }
        };
        remove_other_generations(root, &[&generation.name]);
        let search = Arc::new(Search {
            core,
            current: RwLock::new(Arc::new(generation)),
            sync_lock: Mutex::new(()),
            paired_district: paired_district.to_string(),
            stopping: AtomicBool::new(false),
            indexer: Mutex::new(None),
            results: query::ResultCache::from_env(),
            open_sets: Arc::default(),
            posting_facts: query::PostingFacts::default(),
            posting_tags: query::PostingTags::default(),
        });
        while search.sync(db)? > 0 {}
        Ok(search)
    }

    /// The vocabulary.
    pub fn vocab(&self) -> &Vocabulary {
        &self.core.vocab
    }

    /// The analyzer.
    pub fn analyzer(&self) -> &Analyzer {
        &self.core.analyzer
    }

    /// The generation in use.
    pub fn current(&self) -> Arc<Generation> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Applies the next outbox entries; returns how many it settled.
    pub fn sync(&self, db: &Db) -> anyhow::Result<usize> {
        let _one = self.sync_lock.lock().map_err(|_| anyhow::anyhow!("indexer lock poisoned"))?;
        self.follow_current()?;
        let g = self.current();
        let cursor = *g.cursor.lock().map_err(|_| anyhow::anyhow!("cursor lock poisoned"))?;
        let mut conn = db.get()?;
        if cursor < store::outbox_pruned_through(&mut conn)? {
            // Entries this index never took in were pruned (it was stopped
            // for longer than the outbox keeps them): only a rebuild from
            // the registry itself brings it back in step.
            tracing::warn!(cursor, "the outbox was pruned past this search index; rebuilding it");
            drop(conn);
            let name = self.core.build(db, &())?;
            write_current(&self.core.root, &name)?;
            self.follow_current()?;
            return Ok(1);
        }
        let entries = store::outbox_after(&mut conn, cursor, BATCH)?;
        if entries.is_empty() {
            return Ok(0);
        }
        // The cursor moves over a contiguous run of ids only: on PostgreSQL a
        // lower id can commit after a higher one. Entries past a gap are
        // applied now and again next pass (harmless) until the gap fills or
        // is old enough to be a rolled-back write.
        let now = crate::db::models::now();
        let mut settled = cursor;
        for e in &entries {
            if e.id == settled + 1 || now - e.at > GAP_WAIT {
                settled = e.id;
            } else {
                break;
            }
        }
        let mut postings = BTreeSet::new();
        let mut labourers = BTreeSet::new();
        for e in &entries {
            match e.resource.as_str() {
                "posting" => postings.insert(e.resource_id),
                "labourer" => labourers.insert(e.resource_id),
                _ => false,
            };
        }
        let postings: Vec<i64> = postings.into_iter().collect();
        let labourers: Vec<i64> = labourers.into_iter().collect();
        self.apply(&g, &mut conn, &postings, &labourers)?;
        let payload = self.core.payload(settled);
        g.postings.commit(&payload)?;
        g.labourers.commit(&payload)?;
        *g.cursor.lock().map_err(|_| anyhow::anyhow!("cursor lock poisoned"))? = settled;
        Ok((settled - cursor) as usize)
    }

    fn apply(
        &self,
        g: &Generation,
        conn: &mut DbConnection,
        postings: &[i64],
        labourers: &[i64],
    ) -> anyhow::Result<()> {
        if !postings.is_empty() {
            let docs = store::postings_by_ids(conn, postings)?;
            let f = g.postings.fields;
            g.postings.with_writer(|w| {
                for id in postings {
                    w.delete_term(Term::from_field_u64(f.id, *id as u64));
                }
                for d in &docs {
                    w.add_document(posting_doc(&f, &self.core.vocab, d))?;
                }
                Ok(())
            })?;
        }
        if !labourers.is_empty() {
            let rows = store::labourers_by_ids(conn, labourers)?;
            let profiles = profiles(conn, rows)?;
            let f = g.labourers.fields;
            g.labourers.with_writer(|w| {
                for id in labourers {
                    w.delete_term(Term::from_field_u64(f.id, *id as u64));
                }
                for p in &profiles {
                    w.add_document(labourer_doc(&f, p))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Switches to the generation `CURRENT` names when `reindex` swapped a
    /// new one in while this process was running.
    fn follow_current(&self) -> anyhow::Result<()> {
        let Some(name) = read_current(&self.core.root) else { return Ok(()) };
        if name == self.current().name {
            return Ok(());
        }
        let g = self.core.open_generation(&name, false)?;
        tracing::info!(generation = %name, "switching to the rebuilt search index");
        let old = {
            let mut cur = self.current.write().map_err(|_| anyhow::anyhow!("index lock poisoned"))?;
            std::mem::replace(&mut *cur, Arc::new(g))
        };
        let old_name = old.name.clone();
        drop(old);
        remove_other_generations(&self.core.root, &[&name, &old_name]);
        Ok(())
    }

    /// The outbox position the index has reached.
    pub fn cursor(&self) -> i64 {
        self.current().cursor.lock().map(|c| *c).unwrap_or(-1)
    }
}

/// Postings and labourers in the registry (the size of a rebuild).
pub fn registry_size(db: &Db) -> anyhow::Result<u64> {
    let mut conn = db.get()?;
    let (p, l) = store::counts(&mut conn)?;
    Ok((p + l) as u64)
}

/// Profiles of these rows, with their certificates.
fn profiles(
    conn: &mut DbConnection,
    rows: Vec<crate::db::models::labourer::LabourerRow>,
) -> anyhow::Result<Vec<Profile>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id.get()).collect();
    let mut certs = std::collections::HashMap::<i64, Vec<_>>::new();
    for chunk in ids.chunks(1000) {
        for (lid, c) in store::certificates_of(conn, chunk)? {
            certs.entry(lid).or_default().push(c);
        }
    }
    Ok(rows.iter().map(|r| Profile::of(r, certs.get(&r.id.get()).map(Vec::as_slice).unwrap_or(&[]))).collect())
}
