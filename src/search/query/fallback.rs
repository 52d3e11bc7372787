//! The last tier of matching: postings a person can take that match none
//! of their words, found without scoring them all.

use std::collections::HashSet;

use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::{DocAddress, DocSet, Score, Searcher, TERMINATED};

use super::build::Clause;

/// The last tier: postings the person can take that match none of their
/// words, by bonus (wished-for region, paired district, housing, then the
/// rest), each bonus's first `n` in index order. Every one of them scores
/// alike but for the bonuses, so nothing is gained by scoring all of them:
/// the scan stops as soon as `n` are found.
pub(super) fn rest(
    searcher: &Searcher,
    hard: &[Clause],
    bonuses: &[(Box<dyn Query>, Score)],
    n: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let mut out: Vec<(Score, DocAddress)> = Vec::new();
    let mut taken: HashSet<DocAddress> = HashSet::new();
    let tiers = bonuses.iter().map(|(q, s)| (Some(q), *s)).chain(std::iter::once((None, 0.0)));
    for (extra, score) in tiers {
        let mut clauses: Vec<Clause> = hard.iter().map(|(o, q)| (*o, q.box_clone())).collect();
        if let Some(q) = extra {
            clauses.push((Occur::Must, q.box_clone()));
        }
        let weight = BooleanQuery::new(clauses).weight(EnableScoring::disabled_from_searcher(searcher))?;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let alive = segment.alive_bitset();
            let mut docs = weight.scorer(segment, 1.0)?;
            let mut doc = docs.doc();
            while doc != TERMINATED && out.len() < n {
                let addr = DocAddress::new(ord as u32, doc);
                if alive.is_none_or(|a| a.is_alive(doc)) && taken.insert(addr) {
                    out.push((score, addr));
                }
                doc = docs.advance();
            }
            if out.len() >= n {
                return Ok(out);
            }
        }
    }
    Ok(out)
}
