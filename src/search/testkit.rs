//! Search without a database, for unit tests: RAM indexes made with the
//! project's own schemas, tokenizer and document builders, and the
//! hand-graded relevance set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use chrono::NaiveDate;
use serde::Deserialize;
use tantivy::{Executor, Index, ReloadPolicy};

use super::query::PostingSearch;
use super::schema::{labourer_doc, posting_doc, LabourerFields, PostingFields, Profile};
use super::text::Analyzer;
use super::vocab::Vocabulary;
use super::{Core, Generation, Search, Store};
use crate::db::models::posting::{PostingData, PostingRow};
use crate::db::models::search::PostingDoc;
use crate::domain::{EmployerId, PostingId};

/// The day tests search on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 6, 1).unwrap()
}

/// The built-in vocabulary and its analyzer, loaded once per test process
/// (jieba's dictionary takes a while).
pub fn shared() -> &'static (Vocabulary, Analyzer) {
    static SHARED: OnceLock<(Vocabulary, Analyzer)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let vocab = Vocabulary::builtin();
        let analyzer = Analyzer::new(&vocab);
        (vocab, analyzer)
    })
}

/// An open posting in 江门市江海区 with nothing but these words; tests
/// change the other fields directly.
pub fn posting(id: i64, title: &str, occupation: Option<&str>, description: Option<&str>) -> PostingDoc {
    let at = today().and_hms_opt(8, 0, 0).unwrap();
    PostingDoc {
        posting: PostingRow {
            id: PostingId(id),
            data: PostingData {
                employer_id: EmployerId(1),
                title: title.to_string(),
                occupation: occupation.map(String::from),
                description: description.map(String::from),
                headcount: 3,
                salary_min: None,
                salary_max: None,
                region_code: "440704".into(),
                min_age: None,
                max_age: None,
                gender_requirement: "any".parse().unwrap(),
                education_min: None,
                benefits: Vec::new().into(),
                status: "open".parse().unwrap(),
                opens_on: None,
                closes_on: None,
                job_fair_id: None,
            },
            created_at: at,
            updated_at: at,
            version: 1,
        },
        employer_name: "江门市江海区粤华实业有限公司".into(),
        employer_region: "440704".into(),
        hired: 0,
    }
}

/// Sets a posting's benefits (`housing`, `meals`, …).
pub fn with_benefits(mut d: PostingDoc, benefits: &[&str]) -> PostingDoc {
    d.posting.data.benefits = benefits.iter().map(|b| b.parse().unwrap()).collect::<Vec<_>>().into();
    d
}

fn store<F>(schema: tantivy::schema::Schema, fields: F, analyzer: &Analyzer, executor: &Executor) -> Store<F> {
    let mut index = Index::create_in_ram(schema);
    index.set_executor(executor.clone());
    analyzer.register(&index);
    let writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().unwrap();
    Store { index, reader, writer: Mutex::new(writer), fields }
}

/// A search service over these postings and people, indexed in RAM the way
/// the indexer does it; the paired district is 江海区 (440704).
pub fn search_over(postings: &[PostingDoc], people: &[Profile]) -> Search {
    search_in_segments(&[postings], people)
}

/// As [`search_over`], each batch of postings committed on its own, so that
/// the index holds one segment per batch, as a live index does after
/// several syncs.
pub fn search_in_segments(batches: &[&[PostingDoc]], people: &[Profile]) -> Search {
    search_in_segments_on(1, batches, people)
}

/// As [`search_in_segments`], each search's segments collected on
/// `threads` threads (1: on the asking thread), as `LB_SEARCH_THREADS` sets.
pub fn search_in_segments_on(threads: usize, batches: &[&[PostingDoc]], people: &[Profile]) -> Search {
    let (vocab, analyzer) = shared();
    let executor = super::stores::search_executor(threads).unwrap();
    let core = Core {
        vocab: vocab.clone(),
        analyzer: analyzer.clone(),
        executor: executor.clone(),
        threads,
        root: PathBuf::from("/nonexistent"),
    };
    let (ps, pf) = PostingFields::schema();
    let (ls, lf) = LabourerFields::schema();
    let g = Generation {
        name: "gen-ram".into(),
        postings: store(ps, pf, analyzer, &executor),
        labourers: store(ls, lf, analyzer, &executor),
        cursor: Mutex::new(0),
    };
    let payload = core.payload(0);
    for batch in batches {
        g.postings
            .with_writer(|w| {
                for d in *batch {
                    w.add_document(posting_doc(&pf, vocab, d))?;
                }
                Ok(())
            })
            .unwrap();
        g.postings.commit(&payload).unwrap();
    }
    g.labourers
        .with_writer(|w| {
            for p in people {
                w.add_document(labourer_doc(&lf, p))?;
            }
            Ok(())
        })
        .unwrap();
    g.labourers.commit(&payload).unwrap();
    Search {
        core,
        current: RwLock::new(Arc::new(g)),
        sync_lock: Mutex::new(()),
        paired_district: "440704".into(),
        stopping: AtomicBool::new(false),
        indexer: Mutex::new(None),
        results: crate::search::query::ResultCache::new(true),
        open_sets: Arc::default(),
        posting_facts: Default::default(),
        posting_tags: Default::default(),
    }
}

/// A search for `q` with no filters, twenty hits a page.
pub fn ask(q: &str) -> PostingSearch {
    PostingSearch {
        q: q.to_string(),
        region: None,
        salary_min: None,
        benefits: Vec::new(),
        education: None,
        open_only: false,
        limit: 20,
        offset: 0,
        today: today(),
    }
}

/// A person of 30 with these certificates, desired occupations and skills.
pub fn person(id: i64, certificates: &[&str], desired: &[&str], skills: &[&str]) -> Profile {
    let strings = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
    Profile {
        id,
        gender: "male".into(),
        birth_date: NaiveDate::from_ymd_opt(1989, 3, 1),
        education: Some("junior_high".into()),
        skills: strings(skills),
        desired_occupations: strings(desired),
        desired_region_codes: Vec::new(),
        certificates: strings(certificates),
    }
}

/// A posting of the hand-graded relevance set (`tests/relevance/`).
#[derive(Debug, Deserialize)]
pub struct Graded {
    pub key: String,
    pub employer: String,
    pub title: String,
    pub occupation: Option<String>,
    pub description: Option<String>,
    pub region_code: String,
    pub benefits: Vec<String>,
}

/// The relevance set's postings.
pub fn graded_postings() -> Vec<Graded> {
    serde_json::from_str(include_str!("../../tests/relevance/postings.json")).unwrap()
}

/// A query of the relevance set with its graded postings (by key).
#[derive(Debug, Deserialize)]
pub struct Judged {
    pub q: String,
    pub relevant: std::collections::HashMap<String, u32>,
}

/// The relevance set's queries.
pub fn graded_queries() -> Vec<Judged> {
    serde_json::from_str(include_str!("../../tests/relevance/queries.json")).unwrap()
}

/// The relevance set's postings as documents, with their keys by id.
pub fn graded_docs() -> (Vec<PostingDoc>, Vec<String>) {
    let graded = graded_postings();
    let docs = graded
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut d = posting(i as i64 + 1, &g.title, g.occupation.as_deref(), g.description.as_deref());
            d.posting.data.region_code = g.region_code.clone();
            d.employer_region = g.region_code.clone();
            d.employer_name = g.employer.clone();
            let benefits: Vec<&str> = g.benefits.iter().map(String::as_str).collect();
            with_benefits(d, &benefits)
        })
        .collect();
    (docs, graded.into_iter().map(|g| g.key).collect())
}
