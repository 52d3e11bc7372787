//! Posting search: what was typed (with synonyms and places) under hard
//! filters, ranked, with a page of highlighted hits and facet counts over
//! all of them.

use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use utoipa::ToSchema;

use super::build::{posting_filters, Clause};
use super::facets::{self, Facets};
use super::highlight::{Highlighter, Highlights};
use super::summary;
use crate::search::schema::PostingSummary;
use crate::search::Search;

/// A posting search as asked.
#[derive(Debug, Clone)]
pub struct PostingSearch {
    /// What was typed.
    pub q: String,
    /// 2, 4 or 6 digits of a region code.
    pub region: Option<String>,
    /// The searcher's lowest acceptable monthly pay.
    pub salary_min: Option<i64>,
    /// Benefits every hit must offer.
    pub benefits: Vec<String>,
    /// The searcher's education: postings asking more are left out.
    pub education: Option<String>,
    /// Only postings open today.
    pub open_only: bool,
    /// Page size.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Today, for `open_only`.
    pub today: NaiveDate,
}

/// One search hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// The posting.
    #[serde(flatten)]
    pub posting: PostingSummary,
    /// Relevance (higher is better).
    pub score: f32,
    /// Matched words marked.
    pub highlights: Highlights,
}

/// The answer to a posting search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// Hits in all.
    pub total: usize,
    /// Time spent searching.
    pub took_ms: f64,
    /// This page.
    pub hits: Vec<SearchHit>,
    /// Counts.
    pub facets: Facets,
}

/// A search's query, its text part (for highlights) and its required words.
type Built = (Box<dyn Query>, Option<Box<dyn Query>>, usize);

impl Search {
    /// `GET /postings/search`.
    pub fn search_postings(&self, s: &PostingSearch) -> anyhow::Result<SearchResults> {
        let started = Instant::now();
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        let f = &g.postings.fields;
        let filters = posting_filters(f, s);
        let build = |strict: bool| -> anyhow::Result<Built> {
            let mut clauses: Vec<Clause> = filters.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            let typed = self.typed_query(&searcher, f, &s.q, strict)?;
            let (text, required) = match typed {
                Some((t, r)) => (Some(t), r),
                None => (None, 0),
            };
            match &text {
                Some(t) => clauses.push((Occur::Must, t.box_clone())),
                None => clauses.push((Occur::Must, Box::new(AllQuery))),
            }
            Ok((Box::new(BooleanQuery::new(clauses)), text, required))
        };
        let top = || TopDocs::with_limit(s.limit.max(1)).and_offset(s.offset).order_by_score();
        let (mut query, mut text, required) = build(true)?;
        let mut found = searcher.search(&*query, &(Count, top(), facets::collector()))?;
        if found.0 == 0 && required > 1 {
            // No posting has every word: rank those with some of them.
            (query, text, _) = build(false)?;
            found = searcher.search(&*query, &(Count, top(), facets::collector()))?;
        }
        let (total, top_docs, counts) = found;
        let highlighter = Highlighter::new(&searcher, text.as_deref(), f)?;
        let mut hits = Vec::with_capacity(top_docs.len());
        for (score, addr) in top_docs {
            let posting = summary(&searcher, f, addr)?;
            let highlights = highlighter.of(&posting);
            hits.push(SearchHit { posting, score, highlights });
        }
        let facets = Facets::of(&counts);
        Ok(SearchResults { total, took_ms: started.elapsed().as_secs_f64() * 1000.0, hits, facets })
    }
}
