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

impl Query for OpenToday {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let rule = self.rule.weight(EnableScoring::disabled_from_schema(enable_scoring.schema()))?;
        Ok(Box::new(OpenWeight { rule, today: self.today, sets: self.sets.clone() }))
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
