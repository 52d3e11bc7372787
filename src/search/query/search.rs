//! Posting search: what was typed (with synonyms and places) under hard
//! filters, ranked, with a page of highlighted hits and facet counts over
//! all of them.

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use utoipa::ToSchema;

use super::build::{posting_filters, Clause};
use super::cache::{Answer, Key};
use super::facets::Facets;
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
#[derive(Debug, Clone, Serialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, ToSchema)]
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
        let answer = self.answer(s)?;
        let mut results = answer.results.clone();
        results.took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(results)
    }

    /// `GET /postings/search` as the JSON body sent: a cached answer is
    /// written once and copied after that.
    pub fn search_postings_body(&self, s: &PostingSearch) -> anyhow::Result<Vec<u8>> {
        let started = Instant::now();
        let answer = self.answer(s)?;
        let tail = answer.tail()?;
        let took_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut body = format!("{{\"total\":{},\"took_ms\":{took_ms},", answer.results.total).into_bytes();
        body.extend_from_slice(tail);
        Ok(body)
    }

    /// The answer of this commit: from the cache, or searched and kept.
    fn answer(&self, s: &PostingSearch) -> anyhow::Result<Arc<Answer>> {
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        let stamp = (g.name.clone(), searcher.generation().generation_id());
        let key = Key::of(s);
        if let Some(hit) = self.results.get(&stamp, &key) {
            return Ok(hit);
        }
        let started = Instant::now();
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
            let query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
            let query = if s.open_only { self.while_open(f, s.today, query) } else { query };
            Ok((query, text, required))
        };
        let top = || TopDocs::with_limit(s.limit.max(1)).and_offset(s.offset).order_by_score();
        let (mut query, mut text, required) = build(true)?;
        let mut found = searcher.search(&*query, &(Count, top(), self.posting_tags.counter()))?;
        if found.0 == 0 && required > 1 {
            // No posting has every word: rank those with some of them.
            (query, text, _) = build(false)?;
            found = searcher.search(&*query, &(Count, top(), self.posting_tags.counter()))?;
        }
        let (total, top_docs, counts) = found;
        let highlighter = Highlighter::new(&searcher, text.as_deref(), f)?;
        // The page's hits are read and highlighted a share on each of the
        // search threads (a hit's highlights cut its text into words
        // again), in order.
        let hit = |&(score, addr): &(f32, tantivy::DocAddress)| -> anyhow::Result<SearchHit> {
            let posting = summary(&searcher, f, addr, s.today)?;
            let highlights = highlighter.of(&posting);
            Ok(SearchHit { posting, score, highlights })
        };
        let threads = self.core.search_threads().max(1);
        let shares = top_docs.chunks(top_docs.len().div_ceil(threads).max(1));
        let hits: Vec<SearchHit> = searcher
            .index()
            .search_executor()
            .map(|share| Ok(share.iter().map(hit).collect::<anyhow::Result<Vec<_>>>()), shares)?
            .into_iter()
            .collect::<anyhow::Result<Vec<Vec<_>>>>()?
            .into_iter()
            .flatten()
            .collect();
        let facets = Facets::of(&counts);
        let results = SearchResults { total, took_ms: started.elapsed().as_secs_f64() * 1000.0, hits, facets };
        let answer = Arc::new(Answer::new(results));
        self.results.put(stamp, key, answer.clone());
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use crate::search::testkit::{ask, graded_docs, graded_queries, posting, search_in_segments_on, search_over};
    use crate::search::Search;

    fn ranked(search: &Search, q: &str) -> Vec<i64> {
        search.search_postings(&ask(q)).unwrap().hits.iter().map(|h| h.posting.id).collect()
    }

    #[test]
    fn the_posting_that_says_it_in_the_title_comes_first() {
        let search = search_over(
            &[
                posting(1, "厨房保洁", None, Some("负责后厨卫生，协助厨师收拾")),
                posting(2, "粤菜厨师", Some("中式烹调师"), Some("负责粤菜热菜烹制")),
                posting(3, "炒锅师傅", Some("中式烹调师"), Some("负责炒锅出品")),
                posting(4, "叉车司机", None, Some("持叉车证")),
            ],
            &[],
        );
        let order = ranked(&search, "厨师");
        assert_eq!(order[0], 2, "{order:?}");
        assert_eq!(order.last(), Some(&1), "a mention in the description comes last: {order:?}");
        assert!(!order.contains(&4));
        assert_eq!(ranked(&search, "叉车"), [4]);
        let mut wok = ranked(&search, "炒锅");
        wok.sort();
        assert_eq!(wok, [1, 2, 3], "炒锅 is a chef word: every kitchen posting has one");
    }

    #[test]
    fn pages_split_the_same_ranking_and_the_total_counts_them_all() {
        let docs: Vec<_> = (1..=7).map(|i| posting(i, &format!("普工{i}号线"), None, None)).collect();
        let search = search_over(&docs, &[]);
        let mut s = ask("普工");
        s.limit = 3;
        let first = search.search_postings(&s).unwrap();
        s.offset = 3;
        let second = search.search_postings(&s).unwrap();
        s.offset = 6;
        let last = search.search_postings(&s).unwrap();
        assert_eq!((first.total, second.total, last.total), (7, 7, 7));
        let mut seen: Vec<i64> =
            [first, second, last].iter().flat_map(|r| r.hits.iter().map(|h| h.posting.id)).collect();
        assert_eq!(seen.len(), 7);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 7, "no posting on two pages");
    }

    /// Segments searched on two threads give the answer one thread gives:
    /// the same hits with the same scores, the same total and the same
    /// facet counts (`LB_SEARCH_THREADS`). Equal scores are compared as
    /// sets: the two indexes' segments have random ids, so their order —
    /// which breaks ties between segments — differs between the indexes.
    #[test]
    fn segments_searched_on_several_threads_answer_as_one_thread_does() {
        let (docs, _) = graded_docs();
        let batches: Vec<_> = docs.chunks(docs.len() / 3 + 1).collect();
        assert!(batches.len() >= 3);
        let one = search_in_segments_on(1, &batches, &[]);
        let two = search_in_segments_on(2, &batches, &[]);
        let segments = two.current().postings.reader.searcher().segment_readers().len();
        assert_eq!(segments, batches.len(), "one segment per batch");
        let mut compared = 0;
        for j in graded_queries() {
            let mut s = ask(&j.q);
            s.limit = 1000;
            let (a, b) = (one.search_postings(&s).unwrap(), two.search_postings(&s).unwrap());
            let hits = |r: &super::SearchResults| -> Vec<(u32, i64)> {
                let mut h: Vec<(u32, i64)> = r.hits.iter().map(|h| (h.score.to_bits(), h.posting.id)).collect();
                h.sort();
                h
            };
            assert_eq!(hits(&a), hits(&b), "{}", j.q);
            let scores = |r: &super::SearchResults| -> Vec<u32> { r.hits.iter().map(|h| h.score.to_bits()).collect() };
            assert_eq!(scores(&a), scores(&b), "{}: ranked alike", j.q);
            assert_eq!(a.total, b.total, "{}", j.q);
            assert_eq!(serde_json::to_value(&a.facets).unwrap(), serde_json::to_value(&b.facets).unwrap(), "{}", j.q);
            // Read and highlighted a share on each thread, each hit keeps its own.
            let marked = |r: &super::SearchResults| -> Vec<(i64, String)> {
                let mut m: Vec<(i64, String)> =
                    r.hits.iter().map(|h| (h.posting.id, serde_json::to_string(&h.highlights).unwrap())).collect();
                m.sort();
                m
            };
            assert_eq!(marked(&a), marked(&b), "{}", j.q);
            compared += a.hits.len();
        }
        assert!(compared > 50, "the queries find postings ({compared} hits compared)");
    }

    fn dcg(gains: impl Iterator<Item = f64>) -> f64 {
        gains.enumerate().map(|(i, g)| (2f64.powf(g) - 1.0) / ((i + 2) as f64).log2()).sum()
    }

    /// The relevance set of `tests/api/relevance.rs`, indexed in RAM in
    /// one segment so ties always break the same way: a quick and exact
    /// figure for comparing changes to analysis or ranking.
    #[test]
    fn mean_ndcg_over_the_relevance_set_stays_above_the_floor() {
        let (docs, keys) = graded_docs();
        let search = search_over(&docs, &[]);
        let mut total = 0.0;
        let queries = graded_queries();
        for j in &queries {
            let mut s = ask(&j.q);
            s.limit = 10;
            let hits = search.search_postings(&s).unwrap().hits;
            let grade = |id: i64| f64::from(j.relevant.get(&keys[id as usize - 1]).copied().unwrap_or(0));
            let got = dcg(hits.iter().map(|h| grade(h.posting.id)));
            let mut ideal: Vec<u32> = j.relevant.values().copied().collect();
            ideal.sort_unstable_by(|a, b| b.cmp(a));
            let best = dcg(ideal.into_iter().take(10).map(f64::from));
            total += if best == 0.0 { 0.0 } else { got / best };
        }
        let mean = total / queries.len() as f64;
        println!("mean nDCG@10 (RAM, one segment) = {mean:.4}");
        assert!(mean >= 0.85, "mean nDCG@10 {mean:.3} is below 0.85");
    }
}
