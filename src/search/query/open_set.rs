//! "Taking applications today" as one set of documents per segment and
//! day. The rule's four index filters (status, places left, opening and
//! closing day) read fast-field columns for every candidate of every
//! search; a segment never changes, so the set is computed once per
//! segment and day and every later search intersects with a bitset.

use std::sync::Arc;

use chrono::NaiveDate;
use tantivy::query::{BitSetDocSet, BooleanQuery, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TERMINATED};

use super::build::open_filters;
use super::kept::Kept;
use crate::search::schema::PostingFields;

/// Sets kept at most (segments × days); all dropped when full.
const CAPACITY: usize = 256;

/// The sets computed so far, by segment and day.
#[derive(Debug, Default)]
pub struct OpenSets(Kept<(tantivy::index::SegmentId, NaiveDate), BitSet, CAPACITY>);

/// Postings taking applications on `today`; scores nothing.
#[derive(Debug, Clone)]
pub(super) struct OpenToday {
    rule: BooleanQuery,
    today: NaiveDate,
    sets: Arc<OpenSets>,
}

impl OpenToday {
    pub(super) fn new(f: &PostingFields, today: NaiveDate, sets: Arc<OpenSets>) -> OpenToday {
        OpenToday { rule: BooleanQuery::new(open_filters(f, today)), today, sets }
    }

    /// The set of one segment (computed once per segment and day; the
    /// rule's weight is built only when it is not kept yet).
    pub(super) fn set_of(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        if let Some(set) = self.sets.kept(reader, self.today) {
            return Ok(set);
        }
        let rule = self.rule.weight(EnableScoring::disabled_from_schema(reader.schema()))?;
        OpenWeight { rule, today: self.today, sets: self.sets.clone() }.set(reader)
    }
}

impl OpenSets {
    /// The set of a segment and day, if computed already.
    fn kept(&self, reader: &SegmentReader, today: NaiveDate) -> Option<Arc<BitSet>> {
        self.0.get(&(reader.segment_id(), today))
    }
}

impl OpenToday {
    fn open_weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<OpenWeight> {
        let rule = self.rule.weight(EnableScoring::disabled_from_schema(enable_scoring.schema()))?;
        Ok(OpenWeight { rule, today: self.today, sets: self.sets.clone() })
    }
}

impl Query for OpenToday {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.open_weight(enable_scoring)?))
    }
}

struct OpenWeight {
    rule: Box<dyn Weight>,
    today: NaiveDate,
    sets: Arc<OpenSets>,
}

impl OpenWeight {
    fn set(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        self.sets.0.get_or_read((reader.segment_id(), self.today), || {
            let mut set = BitSet::with_max_value(reader.max_doc().max(1));
            let mut scorer = self.rule.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                set.insert(doc);
                doc = scorer.advance();
            }
            Ok(set)
        })
    }
}

impl Weight for OpenWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let set = self.set(reader)?;
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(BitSet::clone(&set)), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let set = self.set(reader)?;
        if !set.contains(doc) {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} is not taking applications")));
        }
        Ok(Explanation::new("taking applications today", 0.0))
    }
}

/// `inner`'s documents that are taking applications today, with `inner`'s
/// scores: a posting search's query within the open set.
///
/// As one more required clause, the open set was an intersection's docset:
/// tantivy then either led with it (most postings are open) and sought the
/// words' union to each open posting, or led with the union and sought the
/// set's bit buckets to each hit — a fifth of an uncached search's work on
/// its threads. Here each document `inner` finds is one bit looked up.
#[derive(Debug)]
pub(super) struct WhileOpen {
    pub(super) open: OpenToday,
    pub(super) inner: Box<dyn Query>,
}

impl Clone for WhileOpen {
    fn clone(&self) -> Self {
        WhileOpen { open: self.open.clone(), inner: self.inner.box_clone() }
    }
}

impl Query for WhileOpen {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let open = self.open.open_weight(enable_scoring)?;
        Ok(Box::new(WhileOpenWeight { open, inner: self.inner.weight(enable_scoring)? }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct WhileOpenWeight {
    open: OpenWeight,
    inner: Box<dyn Weight>,
}

impl Weight for WhileOpenWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let set = self.open.set(reader)?;
        let mut scorer = OpenOnly { inner: self.inner.scorer(reader, boost)?, set };
        let first = scorer.inner.doc();
        if first != TERMINATED && !scorer.set.contains(first) {
            scorer.advance();
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.open.explain(reader, doc)?;
        self.inner.explain(reader, doc)
    }
}

/// A scorer's documents that are in `set`.
struct OpenOnly {
    inner: Box<dyn Scorer>,
    set: Arc<BitSet>,
}

impl OpenOnly {
    /// The first document from `doc` on (`inner` is on it) that is in the set.
    fn from(&mut self, mut doc: DocId) -> DocId {
        while doc != TERMINATED && !self.set.contains(doc) {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for OpenOnly {
    fn advance(&mut self) -> DocId {
        let doc = self.inner.advance();
        self.from(doc)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        self.from(doc)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for OpenOnly {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};

    use crate::db::models::search::PostingDoc;
    use crate::search::testkit::{posting, search_in_segments, today};

    const TITLES: [&str; 6] = ["粤菜厨师", "电子厂普工", "包装普工", "保安员", "保洁员", "叉车司机"];

    /// `n` postings from `first` on; every third closed, every fifth past
    /// its closing day, and the first of each batch closed (a segment's
    /// first document must be checked too).
    fn postings(first: i64, n: i64) -> Vec<PostingDoc> {
        (first..first + n)
            .map(|id| {
                let mut d = posting(id, TITLES[id as usize % TITLES.len()], None, Some("包吃住，招普工"));
                if id == first || id % 3 == 0 {
                    d.posting.data.status = "closed".parse().unwrap();
                }
                if id % 5 == 0 {
                    d.posting.data.closes_on = chrono::NaiveDate::from_ymd_opt(2019, 1, 1);
                }
                d
            })
            .collect()
    }

    /// Within the open set, a query finds the postings, the scores and the
    /// order it found as an intersection with the open set as one more
    /// required clause, on every segment.
    #[test]
    fn a_query_within_the_open_set_finds_what_the_intersection_with_it_found() {
        let (a, b, c) = (postings(1, 60), postings(61, 45), postings(106, 30));
        let search = search_in_segments(&[&a, &b, &c], &[]);
        let g = search.current();
        let searcher = g.postings.reader.searcher();
        let f = &g.postings.fields;
        assert_eq!(searcher.segment_readers().len(), 3);
        let mut compared = 0;
        for q in ["厨师", "普工", "包吃住 普工", "保安 司机", "江门 厨师", ""] {
            let inner: Box<dyn Query> = match search.typed_query(&searcher, f, q, true).unwrap() {
                Some((t, _)) => t,
                None => Box::new(AllQuery),
            };
            let within = search.while_open(f, today(), inner.box_clone());
            let intersected = BooleanQuery::new(vec![search.open_today(f, today()), (Occur::Must, inner)]);
            let collector = (Count, TopDocs::with_limit(500).order_by_score());
            let (n, mut ours) = searcher.search(&*within, &collector).unwrap();
            let (m, mut theirs) = searcher.search(&intersected, &collector).unwrap();
            assert_eq!(n, m, "{q:?}");
            let key = |v: &mut Vec<(f32, tantivy::DocAddress)>| {
                v.sort_by_key(|(s, a)| (std::cmp::Reverse(s.to_bits()), *a));
                v.iter().map(|(s, a)| (s.to_bits(), *a)).collect::<Vec<_>>()
            };
            if q.is_empty() {
                // Nothing typed: every open posting, all scored alike (the
                // intersection left the all-documents clause out and scored
                // 0; within the set it scores 1), in index order either way.
                let docs = |v: &[(f32, tantivy::DocAddress)]| v.iter().map(|(_, a)| *a).collect::<Vec<_>>();
                assert_eq!(docs(&ours), docs(&theirs));
                assert!(ours.iter().all(|(s, _)| *s == ours[0].0));
            } else {
                assert_eq!(key(&mut ours), key(&mut theirs), "{q:?}");
            }
            compared += n;
        }
        // 135 postings, 69 of them open (neither closed nor expired).
        assert!(compared > 100, "the queries find open postings ({compared})");
        let everything = search.while_open(f, today(), Box::new(AllQuery));
        assert_eq!(searcher.search(&*everything, &Count).unwrap(), 69, "only the open ones");
    }
}
