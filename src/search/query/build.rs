//! Building tantivy queries: term and range clauses, filters that do not
//! score, bonuses that do, the weighted text fields of a posting, and the
//! full-text part of a posting search.

use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::query::{BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{Score, Searcher, Term};

use super::groups::Kind;
use crate::search::schema::{day_number, education_rank, region_filter_facet, PostingFields};
use crate::search::Search;

use super::search::PostingSearch;

/// A clause with its occurrence.
pub(super) type Clause = (Occur, Box<dyn Query>);

/// A word of a text field, scored by its frequency.
pub(super) fn term_query(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
}

/// An exact value of a `STRING` field.
pub(super) fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

/// A facet (and everything under it).
pub(super) fn facet_query(field: Field, facet: &Facet) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_facet(field, facet), IndexRecordOption::Basic))
}

/// Must match, adds nothing to the score.
pub(super) fn filter(q: Box<dyn Query>) -> Clause {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

/// Adds `score` when it matches.
pub(super) fn bonus(q: Box<dyn Query>, score: Score) -> Clause {
    (Occur::Should, Box::new(ConstScoreQuery::new(q, score)))
}

/// Any of these.
pub(super) fn any_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect()))
}

pub(super) fn i64_range(field: Field, lo: Bound<i64>, hi: Bound<i64>) -> Box<dyn Query> {
    let t = |v: i64| Term::from_field_i64(field, v);
    Box::new(RangeQuery::new(lo.map(t), hi.map(t)))
}

pub(super) fn u64_range(field: Field, lo: Bound<u64>, hi: Bound<u64>) -> Box<dyn Query> {
    let t = |v: u64| Term::from_field_u64(field, v);
    Box::new(RangeQuery::new(lo.map(t), hi.map(t)))
}

/// Posting text fields and their weights; typed searches also look at
/// place names and benefit words.
pub(super) fn posting_text_fields(f: &PostingFields, with_place: bool) -> Vec<(Field, f32)> {
    let mut out = vec![(f.title, 3.0), (f.occupation, 2.5), (f.description, 1.0), (f.employer, 0.5)];
    if with_place {
        out.extend([(f.place, 2.0), (f.perks, 1.0)]);
    }
    out
}

/// Open today: status open and not past its closing day.
pub(super) fn open_filters(f: &PostingFields, today: NaiveDate) -> Vec<Clause> {
    vec![
        filter(exact(f.status, "open")),
        filter(i64_range(f.closes_on, Bound::Included(day_number(today)), Bound::Unbounded)),
    ]
}

/// The hard filters of a posting search (region, pay, benefits,
/// education, open today).
pub(super) fn posting_filters(f: &PostingFields, s: &PostingSearch) -> Vec<Clause> {
    let mut filters = Vec::new();
    if s.open_only {
        filters.extend(open_filters(f, s.today));
    }
    if let Some(facet) = s.region.as_deref().and_then(region_filter_facet) {
        filters.push(filter(facet_query(f.region, &facet)));
    }
    if let Some(min) = s.salary_min {
        filters.push(filter(i64_range(f.salary_top, Bound::Included(min), Bound::Unbounded)));
    }
    for b in &s.benefits {
        filters.push(filter(exact(f.benefits, b)));
    }
    if let Some(e) = &s.education {
        filters.push(filter(u64_range(f.education_rank, Bound::Unbounded, Bound::Included(education_rank(Some(e))))));
    }
    filters
}

impl Search {
    /// The full-text part of a posting search: typed words must match
    /// (relaxed to should when `strict` is false), place names add weight.
    /// `None` when nothing searchable was typed; with it, how many words
    /// are required.
    pub(super) fn typed_query(
        &self,
        searcher: &Searcher,
        f: &PostingFields,
        q: &str,
        strict: bool,
    ) -> tantivy::Result<Option<(Box<dyn Query>, usize)>> {
        let groups = self.groups_of(q, Kind::Typed, 1.0);
        if groups.is_empty() {
            return Ok(None);
        }
        let fields = posting_text_fields(f, true);
        let mut clauses = Vec::new();
        let mut required = 0;
        for g in &groups {
            let Some(gq) = Search::group_query(searcher, g, &fields)? else { continue };
            if g.kind == Kind::Place || !strict {
                clauses.push((Occur::Should, gq));
            } else {
                required += 1;
                clauses.push((Occur::Must, gq));
            }
        }
        if clauses.is_empty() {
            // Words the index has never seen: nothing can match.
            return Ok(Some((Box::new(EmptyQuery), 0)));
        }
        Ok(Some((Box::new(BooleanQuery::new(clauses)), required)))
    }
}
