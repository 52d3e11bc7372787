//! Facet counting over every hit of a posting search from one small table
//! per segment: each document's facet values (province, occupation, salary
//! band, benefits), read once from the `tags` facet column, as the id of
//! its *combination* of values — a few thousand combinations among 200,000
//! postings — so that counting a hit is one load from a small array and one
//! increment; the combinations are spread into values once per segment at
//! the end. tantivy's `FacetCollector` decoded each hit's facet ordinals
//! from the column and searched its collapse mapping: about a third of an
//! uncached search at 200,000 postings (BENCHMARKS.md). The counts are the
//! same: each value directly under a root, once per document that has it.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::kept::Kept;

/// The facet roots counted, under the `tags` field.
pub(super) const ROOTS: [&str; 4] = ["province", "occupation", "salary_band", "benefits"];

/// Segments whose tables are kept at most; all dropped when full.
const CAPACITY: usize = 64;

/// Each document's combination id: two bytes while a segment has at most
/// 65,536 combinations (a smaller array stays in the cache), else four.
enum DocCombos {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// The facet values of every document of one segment. A segment never
/// changes, so this is read once.
pub struct SegmentTags {
    /// (index into [`ROOTS`], value) by tag id.
    names: Vec<(usize, String)>,
    /// The tag ids of each combination, by combination id.
    combos: Vec<Vec<u32>>,
    /// Each document's combination id, by document id.
    docs: DocCombos,
}

impl SegmentTags {
    /// Reads the table; up to `narrow` combinations, document ids take two bytes.
    fn read(reader: &SegmentReader, narrow: usize) -> tantivy::Result<SegmentTags> {
        let facets = reader.facet_reader("tags")?;
        // Each facet ordinal's tag id, when it is a value directly under a root.
        let mut names = Vec::new();
        let mut id_of_ord = Vec::with_capacity(facets.num_facets());
        let mut facet = Facet::root();
        for ord in 0..facets.num_facets() as u64 {
            facets.facet_from_ord(ord, &mut facet)?;
            let path = facet.to_path();
            let id = match (path.first().and_then(|r| ROOTS.iter().position(|x| x == r)), path.get(1)) {
                (Some(root), Some(value)) => {
                    names.push((root, value.to_string()));
                    Some(names.len() as u32 - 1)
                }
                _ => None,
            };
            id_of_ord.push(id);
        }
        let mut combos: Vec<Vec<u32>> = Vec::new();
        let mut combo_ids: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut of_doc = Vec::with_capacity(reader.max_doc() as usize);
        let mut ids = Vec::new();
        for doc in 0..reader.max_doc() {
            ids.clear();
            ids.extend(facets.facet_ords(doc).filter_map(|ord| id_of_ord.get(ord as usize).copied().flatten()));
            ids.sort_unstable();
            ids.dedup();
            let id = match combo_ids.get(&ids) {
                Some(&id) => id,
                None => {
                    let id = combos.len() as u32;
                    combos.push(ids.clone());
                    combo_ids.insert(ids.clone(), id);
                    id
                }
            };
            of_doc.push(id);
        }
        let docs = if combos.len() <= narrow.min(usize::from(u16::MAX) + 1) {
            DocCombos::Narrow(of_doc.iter().map(|&c| c as u16).collect())
        } else {
            DocCombos::Wide(of_doc)
        };
        Ok(SegmentTags { names, combos, docs })
    }
}

/// [`SegmentTags`] read so far, by segment.
#[derive(Debug)]
pub struct PostingTags {
    tables: Kept<tantivy::index::SegmentId, SegmentTags, CAPACITY>,
    /// Most combinations a segment may have for two-byte ids.
    narrow: usize,
}

impl Default for PostingTags {
    fn default() -> Self {
        PostingTags { tables: Kept::default(), narrow: usize::from(u16::MAX) + 1 }
    }
}

impl PostingTags {
    /// The table of one segment, read on its first use.
    fn of(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentTags>> {
        self.tables.get_or_read(reader.segment_id(), || SegmentTags::read(reader, self.narrow))
    }

    /// A collector of the facet counts of every hit.
    pub(super) fn counter(&self) -> TagCounter<'_> {
        TagCounter { tags: self }
    }
}

/// Hits per facet value: `(index into ROOTS, value) → hits`.
pub(super) type TagCounts = HashMap<(usize, String), u64>;

/// Counts every hit's facet values ([`PostingTags::counter`]).
pub(super) struct TagCounter<'a> {
    tags: &'a PostingTags,
}

/// One segment's counts by combination id.
pub(super) struct SegmentCounter {
    tags: Arc<SegmentTags>,
    counts: Vec<u64>,
}

impl Collector for TagCounter<'_> {
    type Fruit = TagCounts;
    type Child = SegmentCounter;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentCounter> {
        let tags = self.tags.of(reader)?;
        let counts = vec![0; tags.combos.len()];
        Ok(SegmentCounter { tags, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<(Arc<SegmentTags>, Vec<u64>)>) -> tantivy::Result<TagCounts> {
        let mut all = TagCounts::new();
        for (tags, counts) in segments {
            let mut by_tag = vec![0; tags.names.len()];
            for (combo, n) in tags.combos.iter().zip(counts).filter(|(_, n)| *n > 0) {
                for &id in combo {
                    by_tag[id as usize] += n;
                }
            }
            for (name, n) in tags.names.iter().zip(by_tag).filter(|(_, n)| *n > 0) {
                *all.entry(name.clone()).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = (Arc<SegmentTags>, Vec<u64>);

    fn collect(&mut self, doc: DocId, _: Score) {
        let combo = match &self.tags.docs {
            DocCombos::Narrow(v) => v.get(doc as usize).map(|&c| usize::from(c)),
            DocCombos::Wide(v) => v.get(doc as usize).map(|&c| c as usize),
        };
        if let Some(n) = combo.and_then(|c| self.counts.get_mut(c)) {
            *n += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.tags, self.counts)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tantivy::collector::FacetCollector;
    use tantivy::query::{AllQuery, Query, TermQuery};
    use tantivy::schema::{Facet, IndexRecordOption};
    use tantivy::Term;

    use super::{PostingTags, TagCounts, ROOTS};
    use crate::search::testkit::{posting, search_in_segments, with_benefits};

    /// tantivy's own facet counts, as the search took them before.
    fn by_tantivy(searcher: &tantivy::Searcher, q: &dyn Query) -> TagCounts {
        let mut c = FacetCollector::for_field("tags");
        for root in ROOTS {
            c.add_facet(Facet::from_path([root]));
        }
        let counts = searcher.search(q, &c).unwrap();
        let mut out = TagCounts::new();
        for (i, root) in ROOTS.iter().enumerate() {
            for (facet, n) in counts.get(&format!("/{root}")) {
                out.insert((i, facet.to_path()[1].to_string()), n);
            }
        }
        out
    }

    #[test]
    fn counts_equal_tantivys_facet_collector_over_several_segments() {
        let kinds = [("粤菜厨师", "中式烹调师"), ("保安员", "保安员"), ("电子厂普工", "普工")];
        let mut docs = Vec::new();
        for i in 0..30_i64 {
            let k = i as i32;
            let (title, occupation) = kinds[i as usize % 3];
            let benefits: &[&str] = match i % 4 {
                0 => &["housing", "meals"],
                1 => &["housing"],
                2 => &[],
                _ => &["meals", "transport", "insurance"],
            };
            let mut d = with_benefits(posting(i + 1, title, Some(occupation), None), benefits);
            d.posting.data.region_code = ["440703", "450103", "440305"][i as usize % 3 / 2 + i as usize % 2].into();
            d.posting.data.salary_min = Some(2500 + 500 * (k % 7));
            d.posting.data.salary_max = if i % 5 == 0 { None } else { Some(3500 + 800 * (k % 6)) };
            docs.push(d);
        }
        let (a, rest) = docs.split_at(11);
        let (b, c) = rest.split_at(9);
        let search = search_in_segments(&[a, b, c], &[]);
        let g = search.current();
        let searcher = g.postings.reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let tags = g.postings.fields.tags;
        let housing = TermQuery::new(
            Term::from_facet(tags, &Facet::from_path(["benefits", "housing"])),
            IndexRecordOption::Basic,
        );
        let guangdong =
            TermQuery::new(Term::from_facet(tags, &Facet::from_path(["province", "44"])), IndexRecordOption::Basic);
        let queries: [&dyn Query; 3] = [&AllQuery, &housing, &guangdong];
        // Four-byte combination ids too, as a segment with more than
        // 65,536 combinations would have them.
        let wide = PostingTags { narrow: 0, ..PostingTags::default() };
        for q in queries {
            let ours = searcher.search(q, &search.posting_tags.counter()).unwrap();
            assert!(ours.keys().any(|(root, _)| *root == 3), "benefits are counted: {ours:?}");
            assert_eq!(ours, by_tantivy(&searcher, q), "{q:?}");
            assert_eq!(searcher.search(q, &wide.counter()).unwrap(), ours, "{q:?}");
        }
    }
}
