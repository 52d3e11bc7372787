//! Building tantivy queries: term and range clauses, filters that do not
//! score, bonuses that do, the weighted text fields of a posting, and the
//! full-text part of a posting search.

use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::query::{BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{Score, Searcher, Term};

use super::groups::Kind;
use super::open_set::{OpenToday, WhileOpen};
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

/// Taking applications today, the one definition of
/// `rules::taking_applications` as index filters: status open, opened by
/// today, not past its closing day, places left.
pub(super) fn open_filters(f: &PostingFields, today: NaiveDate) -> Vec<Clause> {
    let day = day_number(today);
    vec![
        filter(exact(f.status, "open")),
        filter(i64_range(f.places_left, Bound::Included(1), Bound::Unbounded)),
        filter(i64_range(f.opens_on, Bound::Unbounded, Bound::Included(day))),
        filter(i64_range(f.closes_on, Bound::Included(day), Bound::Unbounded)),
    ]
}

/// The hard filters of a posting search (region, pay, benefits,
/// education) but taking applications today, which wraps the whole query
/// ([`Search::while_open`]).
pub(super) fn posting_filters(f: &PostingFields, s: &PostingSearch) -> Vec<Clause> {
    let mut filters = Vec::new();
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
    /// Taking applications on `today`, as one precomputed set per segment
    /// (see [`OpenToday`]).
    pub(super) fn open_today(&self, f: &PostingFields, today: NaiveDate) -> Clause {
        (Occur::Must, Box::new(OpenToday::new(f, today, self.open_sets.clone())))
    }

    /// `query`'s postings that are taking applications on `today`, scored
    /// as `query` scores them (see [`WhileOpen`]).
    pub(super) fn while_open(&self, f: &PostingFields, today: NaiveDate, query: Box<dyn Query>) -> Box<dyn Query> {
        Box::new(WhileOpen { open: OpenToday::new(f, today, self.open_sets.clone()), inner: query })
    }

    /// The full-text part of a posting search: typed words, place names
    /// among them (保安 深圳 is security work in Shenzhen), must match —
    /// relaxed to should when `strict` is false.
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
        // A place is where the work is: not a word of the employer's name
        // (江门某公司's post in 南宁 is not work in 江门).
        let place = [(f.place, 2.0)];
        let mut clauses = Vec::new();
        let mut required = 0;
        for g in &groups {
            let within: &[(tantivy::schema::Field, f32)] = if g.kind == Kind::Place { &place } else { &fields };
            let Some(gq) = self.group_query(searcher, g, within)? else { continue };
            if !strict {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use crate::search::query::PostingSearch;
    use crate::search::testkit::{ask, posting, search_over, with_benefits};
    use crate::search::Search;

    fn ids(search: &Search, s: &PostingSearch) -> Vec<i64> {
        let mut out: Vec<i64> = search.search_postings(s).unwrap().hits.iter().map(|h| h.posting.id).collect();
        out.sort();
        out
    }

    fn ranked(search: &Search, q: &str) -> Vec<i64> {
        search.search_postings(&ask(q)).unwrap().hits.iter().map(|h| h.posting.id).collect()
    }

    /// 1 pays well with housing in 江海, 2 is in 南宁 and wants senior high
    /// school, 3 is closed, 4 stopped taking applications.
    fn four_kitchens() -> Search {
        let mut well_paid = with_benefits(posting(1, "粤菜厨师", None, None), &["housing", "meals"]);
        well_paid.posting.data.salary_min = Some(5000);
        well_paid.posting.data.salary_max = Some(7000);
        let mut nanning = posting(2, "中式烹调师", None, None);
        nanning.posting.data.region_code = "450103".into();
        nanning.posting.data.salary_min = Some(3500);
        nanning.posting.data.salary_max = Some(4500);
        nanning.posting.data.education_min = Some("senior_high".parse().unwrap());
        let mut closed = posting(3, "厨师（已停招）", None, None);
        closed.posting.data.status = "closed".parse().unwrap();
        let mut expired = posting(4, "厨师（报名截止）", None, None);
        expired.posting.data.closes_on = chrono::NaiveDate::from_ymd_opt(2019, 1, 1);
        search_over(&[well_paid, nanning, closed, expired], &[])
    }

    #[test]
    fn each_filter_leaves_out_what_it_should() {
        let search = four_kitchens();
        let with = |f: &dyn Fn(&mut PostingSearch)| {
            let mut s = ask("厨师");
            f(&mut s);
            ids(&search, &s)
        };
        assert_eq!(with(&|_| {}), [1, 2, 3, 4]);
        assert_eq!(with(&|s| s.region = Some("45".into())), [2]);
        assert_eq!(with(&|s| s.region = Some("4407".into())), [1, 3, 4]);
        assert_eq!(with(&|s| s.region = Some("440704".into())), [1, 3, 4]);
        assert_eq!(with(&|s| s.salary_min = Some(4500)), [1, 2], "the top of the range counts");
        assert_eq!(with(&|s| s.salary_min = Some(5000)), [1]);
        assert_eq!(with(&|s| s.benefits = vec!["housing".into(), "meals".into()]), [1]);
        assert_eq!(with(&|s| s.education = Some("junior_high".into())), [1, 3, 4]);
        assert_eq!(with(&|s| s.open_only = true), [1, 2], "closed and past their closing day");
    }

    #[test]
    fn every_word_typed_must_match_until_no_posting_has_them_all() {
        let search = search_over(
            &[
                with_benefits(posting(1, "粤菜厨师", None, Some("包吃住")), &["housing"]),
                posting(2, "粤菜厨师", None, None),
                posting(3, "保安员", None, None),
            ],
            &[],
        );
        assert_eq!(ranked(&search, "厨师 包吃住"), [1]);
        // No posting is both: those with either word, rather than nothing.
        let mut either = ranked(&search, "厨师 保安");
        either.sort();
        assert_eq!(either, [1, 2, 3]);
        assert!(ranked(&search, "量子计算").is_empty(), "words the index never saw find nothing");
        assert_eq!(ranked(&search, "").len(), 3, "nothing typed finds everything");
        assert_eq!(ranked(&search, "我想找").len(), 3, "stop words alone are nothing typed");
    }

    #[test]
    fn a_title_outweighs_a_description_and_a_place_typed_outweighs_both() {
        let mut nanning = posting(3, "保安员", None, Some("负责小区门岗值守和巡逻"));
        nanning.posting.data.region_code = "450103".into();
        let search = search_over(
            &[
                posting(1, "仓库管理员", None, Some("兼做保安员巡逻，负责仓库进出登记")),
                posting(2, "保安员", None, Some("负责厂区门岗值守和巡逻")),
                nanning,
            ],
            &[],
        );
        let order = ranked(&search, "保安员");
        assert_eq!(order.last(), Some(&1), "{order:?}");
        assert_eq!(ranked(&search, "南宁 保安员"), [3], "a place typed is where the work is");
        assert_eq!(ranked(&search, "江门 保安员")[0], 2);
        assert!(!ranked(&search, "江门 保安员").contains(&3), "南宁's is not in 江门");
        let mut anywhere = ranked(&search, "深圳 保安员");
        anywhere.sort();
        assert_eq!(anywhere, [1, 2, 3], "no posting in 深圳: those with either word, rather than nothing");
    }

    #[test]
    fn filters_alone_rank_nothing() {
        let search = four_kitchens();
        let mut s = ask("");
        s.open_only = true;
        let r = search.search_postings(&s).unwrap();
        assert_eq!(r.total, 2);
        assert!(r.hits.iter().all(|h| h.score == r.hits[0].score), "filters add no score");
    }
}
