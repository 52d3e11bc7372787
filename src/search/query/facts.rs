//! What matching's filters and bonuses read of each posting (gender
//! asked, education, ages, region facet, housing), as one small table per
//! segment read once from the index's columns, postings and facets: a
//! filter or bonus then costs an array read per posting instead of a query
//! clause advanced and seeked beside the text.

use std::sync::Arc;

use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, Term, TERMINATED};

use super::kept::Kept;
use crate::search::schema::PostingFields;

/// Segments whose facts are kept at most; all dropped when full.
const CAPACITY: usize = 64;
/// No region facet.
const NO_REGION: u32 = u32::MAX;
pub(super) const MALE_ONLY: u8 = 1;
pub(super) const FEMALE_ONLY: u8 = 2;
pub(super) const HOUSING: u8 = 4;

/// What matching's hard filters and bonuses read of one posting.
#[derive(Debug, Clone, Copy)]
pub(super) struct DocFacts {
    /// Ordinal of its region facet in the segment (`NO_REGION`: none).
    pub region: u32,
    /// `education_rank` (0 = no requirement).
    pub education: u8,
    /// Ages it takes, in years, clamped to 0–255.
    pub min_age: u8,
    pub max_age: u8,
    /// `MALE_ONLY`, `FEMALE_ONLY`, `HOUSING`.
    pub flags: u8,
}

/// The facts of every document of one segment, and its region facets by
/// ordinal. A segment never changes, so this is read once.
pub struct SegmentFacts {
    /// By document id.
    pub(super) docs: Vec<DocFacts>,
    /// Region facets by ordinal.
    pub(super) regions: Vec<Facet>,
}

impl SegmentFacts {
    fn read(reader: &SegmentReader, f: &PostingFields) -> tantivy::Result<SegmentFacts> {
        let n = reader.max_doc() as usize;
        let blank = DocFacts { region: NO_REGION, education: 0, min_age: 0, max_age: u8::MAX, flags: 0 };
        let mut docs = vec![blank; n];
        let fast = reader.fast_fields();
        let byte = |v: u64| u8::try_from(v).unwrap_or(u8::MAX);
        let education = fast.u64("education_rank")?.first_or_default_col(0);
        let min_age = fast.u64("min_age")?.first_or_default_col(0);
        let max_age = fast.u64("max_age")?.first_or_default_col(u64::from(u8::MAX));
        for (doc, facts) in docs.iter_mut().enumerate() {
            let doc = doc as DocId;
            facts.education = byte(education.get_val(doc));
            facts.min_age = byte(min_age.get_val(doc));
            facts.max_age = byte(max_age.get_val(doc));
        }
        for (field, value, flag) in
            [(f.gender, "male", MALE_ONLY), (f.gender, "female", FEMALE_ONLY), (f.benefits, "housing", HOUSING)]
        {
            let index = reader.inverted_index(field)?;
            let Some(mut postings) =
                index.read_postings(&Term::from_field_text(field, value), IndexRecordOption::Basic)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                docs[doc as usize].flags |= flag;
                doc = postings.advance();
            }
        }
        let facets = reader.facet_reader("region")?;
        let mut regions = Vec::with_capacity(facets.num_facets());
        for ord in 0..facets.num_facets() as u64 {
            let mut facet = Facet::root();
            facets.facet_from_ord(ord, &mut facet)?;
            regions.push(facet);
        }
        for (doc, facts) in docs.iter_mut().enumerate() {
            if let Some(ord) = facets.facet_ords(doc as DocId).next() {
                facts.region = u32::try_from(ord).unwrap_or(NO_REGION);
            }
        }
        Ok(SegmentFacts { docs, regions })
    }
}

/// [`SegmentFacts`] read so far, by segment.
#[derive(Debug, Default)]
pub struct PostingFacts(Kept<tantivy::index::SegmentId, SegmentFacts, CAPACITY>);

impl PostingFacts {
    /// The facts of one segment, read on its first use.
    pub(super) fn of(&self, reader: &SegmentReader, f: &PostingFields) -> tantivy::Result<Arc<SegmentFacts>> {
        self.0.get_or_read(reader.segment_id(), || SegmentFacts::read(reader, f))
    }
}
