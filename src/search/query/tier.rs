//! One tier of matching (the person's wishes, or the occupations related
//! to them) ranked term at a time.
//!
//! A tier is a union of a few dozen weighted terms (each word of the
//! person's groups in each text field) under five hard filters and three
//! bonuses. As one boolean query, tantivy advances and seeks every clause
//! for each of the tens of thousands of postings of a common occupation
//! (普工 has ~40,000 at 200,000 postings): nested unions, const-scored
//! filters and bonus unions intersected document by document. Here each
//! term's postings are read once and their BM25 scores added into one
//! array per segment; then each document touched is checked against the
//! hard filters and given its bonuses from a table of per-document facts
//! read once per segment ([`super::facts`]), and the best `k` are kept.
//! The scores are the boolean query's (the same term weights, the bonuses
//! added on top), so the order is the same but for float rounding among
//! exact ties.

use std::collections::HashMap;

use tantivy::query::{EnableScoring, Query, TermQuery, Weight};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, Term, TERMINATED};

use super::facts::{DocFacts, PostingFacts, SegmentFacts, FEMALE_ONLY, HOUSING, MALE_ONLY};
use super::open_set::OpenToday;
use crate::search::schema::PostingFields;

/// The hard filters of matching other than taking applications (DESIGN
/// §6: what the person can take): the posting's gender requirement, its
/// minimum education and its age range.
#[derive(Debug, Clone)]
pub(super) struct Fit {
    /// `male` or `female`; anything else takes only postings open to all.
    pub gender: String,
    /// The person's `education_rank`.
    pub education: u64,
    /// Whole years on the day; `None` skips the age range.
    pub age: Option<u32>,
}

impl Fit {
    fn admits(&self, d: &DocFacts) -> bool {
        let gender = match d.flags & (MALE_ONLY | FEMALE_ONLY) {
            0 => true,
            MALE_ONLY => self.gender == "male",
            FEMALE_ONLY => self.gender == "female",
            _ => false,
        };
        gender
            && u64::from(d.education) <= self.education
            && self.age.is_none_or(|a| u32::from(d.min_age) <= a && a <= u32::from(d.max_age))
    }
}

/// Scores added to a posting's text score: `regions` — any of these
/// facets (or one under it) adds its score once —, and `housing`.
#[derive(Debug, Clone, Default)]
pub(super) struct Bonuses {
    pub regions: Vec<(Vec<Facet>, Score)>,
    pub housing: Score,
}

impl Bonuses {
    /// The region bonus of each facet ordinal of a segment.
    fn by_region(&self, facts: &SegmentFacts) -> Vec<Score> {
        let covers = |wanted: &Facet, at: &Facet| wanted == at || wanted.is_prefix_of(at);
        facts
            .regions
            .iter()
            .map(|at| self.regions.iter().filter(|(any, _)| any.iter().any(|w| covers(w, at))).map(|(_, s)| *s).sum())
            .collect()
    }
}

/// The best `k` postings taking applications (`open`) that `fit` admits,
/// by the sum of the BM25 scores of the `terms` (text field, word, boost)
/// they contain plus their `bonuses`; ties in index order, as tantivy's
/// `TopDocs`. Only postings containing at least one term are ranked.
#[allow(clippy::too_many_arguments)]
pub(super) fn rank(
    searcher: &Searcher,
    f: &PostingFields,
    facts: &PostingFacts,
    open: &OpenToday,
    terms: &[(Field, &str, Score)],
    fit: &Fit,
    bonuses: &Bonuses,
    k: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let weights: Vec<(Box<dyn Weight>, Score)> = terms
        .iter()
        .map(|&(field, word, boost)| {
            let q = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
            Ok((q.weight(scoring)?, boost))
        })
        .collect::<tantivy::Result<_>>()?;
    let mut found: Vec<(Score, DocAddress)> = Vec::new();
    let mut scores: Vec<Score> = Vec::new();
    let mut touched: Vec<DocId> = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        scores.clear();
        scores.resize(reader.max_doc() as usize, 0.0);
        touched.clear();
        for (weight, boost) in &weights {
            let mut postings = weight.scorer(reader, *boost)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let slot = &mut scores[doc as usize];
                // BM25 of a term present with a positive boost is > 0, so
                // 0 means not yet touched.
                if *slot == 0.0 {
                    touched.push(doc);
                }
                *slot += postings.score();
                doc = postings.advance();
            }
        }
        if touched.is_empty() {
            continue;
        }
        let seg = facts.of(reader, f)?;
        let region_bonus = bonuses.by_region(&seg);
        let open_set = open.set_of(reader)?;
        let alive = reader.alive_bitset();
        for &doc in &touched {
            let d = &seg.docs[doc as usize];
            if !open_set.contains(doc) || alive.is_some_and(|a| a.is_deleted(doc)) || !fit.admits(d) {
                continue;
            }
            let mut bonus = region_bonus.get(d.region as usize).copied().unwrap_or(0.0);
            if d.flags & HOUSING != 0 {
                bonus += bonuses.housing;
            }
            found.push((scores[doc as usize] + bonus, DocAddress::new(ord as u32, doc)));
        }
    }
    let best_first = |a: &(Score, DocAddress), b: &(Score, DocAddress)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if found.len() > k && k > 0 {
        found.select_nth_unstable_by(k - 1, best_first);
        found.truncate(k);
    }
    found.sort_by(best_first);
    found.truncate(k);
    Ok(found)
}

/// The posting id of each hit, from the index's `id` column (no stored
/// document read).
pub(super) fn posting_ids(searcher: &Searcher, hits: &[(Score, DocAddress)]) -> tantivy::Result<Vec<i64>> {
    let mut columns = HashMap::new();
    let mut out = Vec::with_capacity(hits.len());
    for (_, addr) in hits {
        let column = match columns.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let reader = searcher.segment_reader(addr.segment_ord);
                e.insert(reader.fast_fields().u64("id")?.first_or_default_col(0))
            }
        };
        out.push(i64::try_from(column.get_val(addr.doc_id)).unwrap_or(i64::MAX));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::ops::Bound;

    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, Query};

    use super::{rank, Bonuses, Fit};
    use crate::db::models::search::PostingDoc;
    use crate::search::corpus::Rng;
    use crate::search::query::build::{
        any_of, bonus, exact, facet_query, filter, posting_text_fields, u64_range, Clause,
    };
    use crate::search::query::groups::ProfileWeights;
    use crate::search::query::open_set::OpenToday;
    use crate::search::schema::{education_rank, region_facet};
    use crate::search::testkit::{person, posting, search_in_segments, today, with_benefits};

    const TITLES: [&str; 10] = [
        "粤菜厨师",
        "中式烹调师",
        "电子厂普工",
        "包装普工",
        "保安员",
        "门卫",
        "保洁员",
        "家政服务员",
        "叉车司机",
        "大厨（炒锅）",
    ];
    const REGIONS: [&str; 5] = ["440704", "440703", "440100", "450103", "440000"];
    const EDUCATION: [Option<&str>; 3] = [None, Some("junior_high"), Some("senior_high")];

    /// Postings of every kind the filters and bonuses tell apart: gender,
    /// ages, education, region, housing, closed and expired ones.
    fn postings(n: i64, rng: &mut Rng) -> Vec<PostingDoc> {
        (1..=n)
            .map(|id| {
                let title = TITLES[rng.below(TITLES.len())];
                let desc = (rng.below(3) == 0).then(|| format!("招{}，包吃住", TITLES[rng.below(TITLES.len())]));
                let mut d = posting(id, title, None, desc.as_deref());
                if rng.below(2) == 0 {
                    d = with_benefits(d, &["housing"]);
                }
                let data = &mut d.posting.data;
                data.gender_requirement = ["any", "any", "male", "female"][rng.below(4)].parse().unwrap();
                data.min_age = [None, Some(18), Some(35)][rng.below(3)];
                data.max_age = [None, Some(30), Some(50)][rng.below(3)];
                data.education_min = EDUCATION[rng.below(3)].map(|e| e.parse().unwrap());
                data.region_code = REGIONS[rng.below(REGIONS.len())].into();
                match rng.below(8) {
                    0 => data.status = "closed".parse().unwrap(),
                    1 => data.closes_on = chrono::NaiveDate::from_ymd_opt(2019, 1, 1),
                    _ => {}
                }
                d
            })
            .collect()
    }

    /// Ranking a tier term at a time gives the postings, order and scores
    /// of the boolean query it replaces (text must match, filters must,
    /// bonuses should), over several segments and people of every kind.
    #[test]
    fn a_tier_ranks_as_the_boolean_query_it_replaces() {
        let mut rng = Rng(7);
        let (a, b, c) = (postings(300, &mut rng), postings(200, &mut rng), postings(100, &mut rng));
        let search = search_in_segments(&[&a, &b, &c], &[]);
        let g = search.current();
        let searcher = g.postings.reader.searcher();
        let f = &g.postings.fields;
        assert!(searcher.segment_readers().len() > 1, "several segments");
        let weights = ProfileWeights { certificate: 2.0, desired: 1.5, skill: 1.0 };
        let fields = posting_text_fields(f, false);
        let mut compared = 0;
        for k in 0..24usize {
            let mut p = person(1, &[["中式烹调师", "", "保安员"][k % 3]], &[["普工", "大厨", "保洁"][k % 3]], &[]);
            p.certificates.retain(|c| !c.is_empty());
            p.gender = ["male", "female", "unknown"][k % 3].into();
            p.education = EDUCATION[(k / 3) % 3].map(String::from);
            p.birth_date =
                [chrono::NaiveDate::from_ymd_opt(1970, 5, 1), chrono::NaiveDate::from_ymd_opt(2000, 5, 1), None]
                    [(k / 2) % 3];
            p.desired_region_codes =
                [vec![], vec!["440700".to_string()], vec!["450000".into(), "440100".into()]][(k / 4) % 3].clone();
            let groups = search.profile_groups(&p, &weights);
            let mut terms = Vec::new();
            for g in &groups {
                terms.extend(search.group_terms(&searcher, g, &fields).unwrap());
            }
            assert!(!terms.is_empty());
            let fit = Fit {
                gender: p.gender.clone(),
                education: education_rank(p.education.as_deref()),
                age: p.age_on(today()),
            };
            let wished: Vec<_> = p.desired_region_codes.iter().filter_map(|c| region_facet(c)).collect();
            let mut extra = Bonuses { regions: Vec::new(), housing: 0.5 };
            if !wished.is_empty() {
                extra.regions.push((wished, 2.0));
            }
            extra.regions.push((vec![region_facet("440704").unwrap()], 1.0));
            let fetch = [5, 20, 1000][k % 3];
            let open = OpenToday::new(f, today(), search.open_sets.clone());
            let ours = rank(&searcher, f, &search.posting_facts, &open, &terms, &fit, &extra, fetch).unwrap();

            let mut clauses: Vec<Clause> =
                vec![(Occur::Must, any_of(search.group_queries(&searcher, &groups, &fields).unwrap()))];
            for (any, score) in &extra.regions {
                clauses.push(bonus(any_of(any.iter().map(|x| facet_query(f.region, x)).collect()), *score));
            }
            clauses.push(bonus(exact(f.benefits, "housing"), 0.5));
            clauses.push(search.open_today(f, today()));
            clauses.push(filter(any_of(vec![exact(f.gender, "any"), exact(f.gender, &p.gender)])));
            clauses.push(filter(u64_range(f.education_rank, Bound::Unbounded, Bound::Included(fit.education))));
            if let Some(age) = fit.age {
                clauses.push(filter(u64_range(f.min_age, Bound::Unbounded, Bound::Included(u64::from(age)))));
                clauses.push(filter(u64_range(f.max_age, Bound::Included(u64::from(age)), Bound::Unbounded)));
            }
            let query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
            let theirs = searcher.search(&query, &TopDocs::with_limit(fetch).order_by_score()).unwrap();

            assert_eq!(ours.len(), theirs.len(), "person {k}: how many");
            assert!(!ours.is_empty(), "person {k} finds something");
            for (i, ((s1, a1), (s2, a2))) in ours.iter().zip(&theirs).enumerate() {
                assert!((s1 - s2).abs() < 1e-4, "person {k}, hit {i}: score {s1} against {s2}");
                // Equal scores may come in either order only if they are
                // equal but for rounding.
                assert!(a1 == a2 || (s1 - s2).abs() < 1e-4 && ours.iter().any(|(_, a)| a == a2), "person {k}, hit {i}");
            }
            compared += ours.len();
        }
        assert!(compared > 200, "compared {compared} hits");
    }
}
