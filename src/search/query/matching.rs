//! Matching: open postings ranked for a person (labourer → postings) and
//! people ranked for a posting (posting → candidates), each with reasons.

use std::collections::{HashMap, HashSet};
use std::ops::Bound;

use chrono::{Months, NaiveDate};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::{Facet, Value};
use tantivy::{Score, TantivyDocument};
use utoipa::ToSchema;

use super::build::{any_of, bonus, exact, facet_query, filter, i64_range, posting_text_fields, u64_range, Clause};
use super::fallback::rest;
use super::groups::{Group, Kind, ProfileWeights};
use super::open_set::OpenToday;
use super::reasons::Reason;
use super::summary;
use super::tier::{posting_ids, rank, Bonuses, Fit};
use crate::db::models::search::PostingDoc;
use crate::search::schema::{day_number, education_rank, region_facet, region_prefixes, PostingSummary, Profile};
use crate::search::Search;

/// Answers the used headcount of some postings (from the database).
pub type HiresOf<'a> = dyn FnMut(&[i64]) -> anyhow::Result<HashMap<i64, i64>> + 'a;
/// Answers which of some people are in an ongoing placement.
pub type EmployedOf<'a> = dyn FnMut(&[i64]) -> anyhow::Result<HashSet<i64>> + 'a;

/// How much a person's certificates, desired occupations and skills weigh
/// when finding postings for them.
const MATCH_WEIGHTS: ProfileWeights = ProfileWeights { certificate: 2.0, desired: 1.5, skill: 1.0 };
/// Their weights when saying why a person suits a posting (the reasons do
/// not depend on them).
const REASON_WEIGHTS: ProfileWeights = ProfileWeights { certificate: 1.0, desired: 1.0, skill: 1.0 };

/// Reasons that say a posting is what the person asked for.
const WISH_CODES: [&str; 4] = ["certificate", "desired_occupation", "skill", "related_occupation"];

/// For a posting outside the person's wishes: their age fits its range.
fn age_range(s: &PostingSummary, p: &Profile, today: NaiveDate) -> Option<Reason> {
    let age = p.age_on(today)?;
    let range = match (s.min_age, s.max_age) {
        (Some(a), Some(b)) => format!("{a}–{b}岁"),
        (Some(a), None) => format!("{a}岁以上"),
        (None, Some(b)) => format!("{b}岁以下"),
        (None, None) => "不限年龄".to_string(),
    };
    Some(Reason::new("age_range", format!("岗位招{range}，本人{age}岁")))
}

/// A posting matched to a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchHit {
    /// The posting.
    #[serde(flatten)]
    pub posting: PostingSummary,
    /// Positions not yet filled.
    pub headcount_left: i64,
    /// Rank score.
    pub score: f32,
    /// Reasons.
    pub why: Vec<Reason>,
}

/// A posting the text matched but a hard filter left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Filtered {
    /// The posting.
    pub posting_id: i64,
    /// Its title.
    pub title: String,
    /// What rules it out.
    pub reasons: Vec<Reason>,
}

/// Matches for a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResults {
    /// Postings, best first.
    pub hits: Vec<MatchHit>,
    /// With `explain_filtered=true`: postings left out and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtered: Option<Vec<Filtered>>,
}

/// A person ranked for a posting (before names are added).
#[derive(Debug)]
pub struct Candidate {
    /// Labourer id.
    pub id: i64,
    /// Rank score.
    pub score: f32,
    /// Reasons.
    pub why: Vec<Reason>,
}

impl Search {
    /// `GET /labourers/{id}/matches`: every posting `p` can take (taking
    /// applications, age, gender, education), best first: those matching
    /// the person's certificates, wishes (with synonyms) and skills, then
    /// those of related occupations, then the rest by place, housing and
    /// pay, so the list is never empty while one is open to them. `hires`
    /// answers the used headcount of a batch of postings (one call per
    /// tier, not per hit).
    pub fn matches(
        &self,
        p: &Profile,
        limit: usize,
        explain_filtered: bool,
        today: NaiveDate,
        hires: &mut HiresOf<'_>,
    ) -> anyhow::Result<MatchResults> {
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        let f = &g.postings.fields;
        let groups = self.profile_groups(p, &MATCH_WEIGHTS);
        let related = self.related_groups(p, &groups);
        let fields = posting_text_fields(f, false);
        let (mut text, mut near) = (Vec::new(), Vec::new());
        for g in &groups {
            text.extend(self.group_terms(&searcher, g, &fields)?);
        }
        for g in &related {
            near.extend(self.group_terms(&searcher, g, &fields)?);
        }
        // Bonuses: a wished-for region, the paired district, housing.
        let wished: Vec<Facet> = p.desired_region_codes.iter().filter_map(|code| region_facet(code)).collect();
        let mut extra = Bonuses { regions: Vec::new(), housing: 0.5 };
        if !wished.is_empty() {
            extra.regions.push((wished, 2.0));
        }
        extra.regions.extend(region_facet(&self.paired_district).map(|facet| (vec![facet], 1.0)));
        let mut bonuses: Vec<(Box<dyn Query>, Score)> = extra
            .regions
            .iter()
            .map(|(any, score)| (any_of(any.iter().map(|facet| facet_query(f.region, facet)).collect()), *score))
            .collect();
        bonuses.push((exact(f.benefits, "housing"), extra.housing));
        let soft: Vec<Clause> = bonuses.iter().map(|(q, score)| bonus(q.box_clone(), *score)).collect();
        let age = p.age_on(today);
        let fit = Fit { gender: p.gender.clone(), education: education_rank(p.education.as_deref()), age };
        let open = OpenToday::new(f, today, self.open_sets.clone());
        // The same filters as queries, for the last tier.
        let mut hard = vec![self.open_today(f, today)];
        hard.push(filter(any_of(vec![exact(f.gender, "any"), exact(f.gender, &p.gender)])));
        hard.push(filter(u64_range(f.education_rank, Bound::Unbounded, Bound::Included(fit.education))));
        if let Some(age) = age {
            hard.push(filter(u64_range(f.min_age, Bound::Unbounded, Bound::Included(u64::from(age)))));
            hard.push(filter(u64_range(f.max_age, Bound::Included(u64::from(age)), Bound::Unbounded)));
        }
        // Tiers, best first (wishes, related occupations, the rest); a
        // tier runs only while the list is short.
        let tiers: Vec<Option<&[_]>> = [&text, &near]
            .into_iter()
            .filter(|t| !t.is_empty())
            .map(|t| Some(t.as_slice()))
            .chain(std::iter::once(None))
            .collect();
        let mut hits: Vec<MatchHit> = Vec::new();
        let mut seen: HashSet<i64> = HashSet::new();
        let all_groups: Vec<Group> = groups.iter().chain(related.iter()).cloned().collect();
        for tier in tiers {
            if hits.len() >= limit {
                break;
            }
            let fetch = ((limit - hits.len()) * 2 + 5 + seen.len()).min(500 + seen.len());
            let top = match tier {
                Some(terms) => rank(&searcher, f, &self.posting_facts, &open, terms, &fit, &extra, fetch)?,
                None => rest(&searcher, &hard, &bonuses, fetch)?,
            };
            // Ids from the index's column; a stored posting is read only
            // while the list is short.
            let ids = posting_ids(&searcher, &top)?;
            let found: Vec<_> = top.into_iter().zip(ids).filter(|(_, id)| seen.insert(*id)).collect();
            let used = hires(&found.iter().map(|(_, id)| *id).collect::<Vec<_>>())?;
            for ((score, addr), id) in found {
                if hits.len() >= limit {
                    break;
                }
                let posting = summary(&searcher, f, addr, today)?;
                let taken = used.get(&id).copied().unwrap_or(posting.hired);
                if !self.hard_reasons(&posting, p, today, taken).is_empty() {
                    continue;
                }
                let mut why = self.why_posting(&posting, p, &all_groups);
                if !why.iter().any(|r| WISH_CODES.contains(&r.code)) {
                    why.extend(age_range(&posting, p, today));
                }
                hits.push(MatchHit { headcount_left: i64::from(posting.headcount) - taken, posting, score, why });
            }
        }
        let filtered = if explain_filtered {
            let wished = match self.group_queries(&searcher, &groups, &fields)? {
                t if t.is_empty() => Box::new(AllQuery) as Box<dyn Query>,
                t => any_of(t),
            };
            let clauses: Vec<Clause> = std::iter::once((Occur::Must, wished)).chain(soft).collect();
            let fetch = (limit * 3 + 10).min(500);
            let query = BooleanQuery::new(clauses);
            let top = super::on_this_thread(&searcher, &query, &TopDocs::with_limit(fetch).order_by_score())?;
            let shown: HashSet<i64> = hits.iter().map(|h| h.posting.id).collect();
            let mut rest = Vec::new();
            for (_, addr) in top {
                let s = summary(&searcher, f, addr, today)?;
                if !shown.contains(&s.id) {
                    rest.push(s);
                }
            }
            let used = hires(&rest.iter().map(|s| s.id).collect::<Vec<_>>())?;
            let mut out = Vec::new();
            for s in rest {
                let reasons = self.hard_reasons(&s, p, today, used.get(&s.id).copied().unwrap_or(s.hired));
                if !reasons.is_empty() && out.len() < limit {
                    out.push(Filtered { posting_id: s.id, title: s.title, reasons });
                }
            }
            Some(out)
        } else {
            None
        };
        Ok(MatchResults { hits, filtered })
    }

    /// `GET /postings/{id}/candidates`: people for a posting, best first.
    /// `employed` answers which of some people are in an ongoing placement
    /// (pass `None` to keep them).
    pub fn candidates(
        &self,
        d: &PostingDoc,
        limit: usize,
        today: NaiveDate,
        employed: Option<&mut EmployedOf<'_>>,
    ) -> anyhow::Result<Vec<Candidate>> {
        let g = self.current();
        let searcher = g.labourers.reader.searcher();
        let f = &g.labourers.fields;
        let posting = PostingSummary::of(self.vocab(), d);
        let occupation = posting.occupation.clone().unwrap_or_default();
        let mut groups = self.groups_of(&format!("{} {}", posting.title, occupation), Kind::Typed, 1.0);
        if let Some(name) = &posting.occupation_group {
            if !groups.iter().any(|g| g.words.contains(&name.to_lowercase())) {
                groups.extend(self.groups_of(name, Kind::Typed, 1.0));
            }
        }
        // 电子厂普工 and 普工 are one group: its term once, not per word.
        let mut tags = HashSet::new();
        groups.retain(|g| {
            let tag = g.words.first().and_then(|w| self.analyzer().tag_of(w));
            tag.is_none_or(|t| tags.insert(t.to_string()))
        });
        let text = self.group_queries(&searcher, &groups, &[(f.certs, 3.0), (f.desired, 2.0), (f.skills, 1.0)])?;
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<Clause> = vec![(Occur::Must, any_of(text))];
        for prefix in region_prefixes(&posting.region_code) {
            clauses.push(bonus(exact(f.desired_code, &prefix), 2.0));
        }
        if posting.gender_requirement != "any" {
            clauses.push(filter(exact(f.gender, &posting.gender_requirement)));
        }
        let rank = education_rank(posting.education_min.as_deref());
        if rank > 0 {
            clauses.push(filter(u64_range(f.education_rank, Bound::Included(rank), Bound::Unbounded)));
        }
        // Age at today within [min, max]: born no later than today − min
        // years and after today − (max + 1) years.
        let born_by = posting.min_age.and_then(|a| today.checked_sub_months(Months::new(12 * a.max(0) as u32)));
        let born_after =
            posting.max_age.and_then(|a| today.checked_sub_months(Months::new(12 * (a.max(0) as u32 + 1))));
        if born_by.is_some() || born_after.is_some() {
            clauses.push(filter(i64_range(
                f.birth_day,
                born_after.map(|d| Bound::Excluded(day_number(d))).unwrap_or(Bound::Unbounded),
                born_by.map(|d| Bound::Included(day_number(d))).unwrap_or(Bound::Unbounded),
            )));
        }
        let fetch = (limit * 3 + 10).min(1_000);
        let query = BooleanQuery::new(clauses);
        let top = super::on_this_thread(&searcher, &query, &TopDocs::with_limit(fetch).order_by_score())?;
        let mut found = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let view = doc.get_first(f.view).and_then(|v| v.as_str()).unwrap_or("{}");
            let p: Profile = serde_json::from_str(view)?;
            found.push((score, p));
        }
        let busy = match employed {
            Some(check) => check(&found.iter().map(|(_, p)| p.id).collect::<Vec<_>>())?,
            None => HashSet::new(),
        };
        let mut out = Vec::new();
        for (score, p) in found {
            if busy.contains(&p.id) || out.len() >= limit {
                continue;
            }
            let person_groups = self.profile_groups(&p, &REASON_WEIGHTS);
            let why: Vec<Reason> = self
                .why_posting(&posting, &p, &person_groups)
                .into_iter()
                .filter(|r| matches!(r.code, "certificate" | "desired_occupation" | "skill" | "desired_region"))
                .collect();
            out.push(Candidate { id: p.id, score, why });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::{HashMap, HashSet};

    use crate::search::testkit::{person, posting, search_over, today, with_benefits};

    fn no_hires(_: &[i64]) -> anyhow::Result<HashMap<i64, i64>> {
        Ok(HashMap::new())
    }

    #[test]
    fn a_certified_chef_gets_chef_postings_first_with_the_certificate_as_reason() {
        let mut factory = with_benefits(posting(1, "电子厂普工", None, None), &["housing"]);
        factory.posting.data.salary_min = Some(4500);
        let mut chef = posting(2, "粤菜厨师", None, Some("持中式烹调师证优先"));
        chef.posting.data.salary_min = Some(5000);
        let mut far_chef = posting(3, "中式烹调师", None, None);
        far_chef.posting.data.region_code = "450103".into();
        far_chef.employer_region = "450103".into();
        let search = search_over(&[factory, chef, far_chef, posting(4, "保安员", None, None)], &[]);
        let mut me = person(1, &["中式烹调师"], &[], &["切配"]);
        me.desired_region_codes = vec!["440700".into()];
        let r = search.matches(&me, 10, false, today(), &mut no_hires).unwrap();
        let ids: Vec<i64> = r.hits.iter().map(|h| h.posting.id).collect();
        assert_eq!(ids[..2], [2, 3], "chef postings first, the one in the wished-for region ahead: {ids:?}");
        let codes: Vec<&str> = r.hits[0].why.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["certificate", "desired_region", "paired_district", "salary"]);
        assert!(r.filtered.is_none());
        assert_eq!(r.hits[0].headcount_left, 3);
    }

    #[test]
    fn postings_a_person_cannot_take_are_left_out_and_explained_on_request() {
        let mut young = posting(2, "普工（18-25岁）", None, None);
        young.posting.data.max_age = Some(25);
        let mut women = posting(3, "普工（女）", None, None);
        women.posting.data.gender_requirement = "female".parse().unwrap();
        let mut closed = posting(4, "普工（已招满）", None, None);
        closed.posting.data.status = "closed".parse().unwrap();
        let full = posting(5, "包装普工", None, None);
        let search = search_over(&[posting(1, "普工", None, None), young, women, closed, full], &[]);
        let me = person(1, &[], &["普工"], &[]);
        let mut hires = |ids: &[i64]| -> anyhow::Result<HashMap<i64, i64>> {
            Ok(ids.iter().filter(|&&i| i == 5).map(|&i| (i, 3)).collect())
        };
        let r = search.matches(&me, 10, true, today(), &mut hires).unwrap();
        assert_eq!(r.hits.iter().map(|h| h.posting.id).collect::<Vec<_>>(), [1]);
        assert_eq!(r.hits[0].why[0].code, "desired_occupation");
        let mut out: Vec<(i64, Vec<&str>)> = r
            .filtered
            .as_ref()
            .unwrap()
            .iter()
            .map(|f| (f.posting_id, f.reasons.iter().map(|r| r.code).collect()))
            .collect();
        out.sort();
        assert_eq!(out, [(2, vec!["age"]), (3, vec!["gender"]), (4, vec!["closed"]), (5, vec!["no_headcount"])]);
    }

    #[test]
    fn candidates_are_ranked_by_certificate_then_wish_and_the_employed_and_too_old_are_left_out() {
        let certified = person(1, &["中式烹调师"], &[], &[]);
        let wants = person(2, &[], &["大厨"], &[]);
        let busy = person(3, &[], &["厨师"], &[]);
        let mut old = person(4, &[], &["厨师"], &[]);
        old.birth_date = chrono::NaiveDate::from_ymd_opt(1950, 1, 1);
        let guard = person(5, &[], &["保安"], &[]);
        let mut chef = posting(1, "粤菜厨师", None, None);
        chef.posting.data.min_age = Some(18);
        chef.posting.data.max_age = Some(55);
        let search = search_over(&[], &[certified, wants, busy, old, guard]);
        let everyone = search.candidates(&chef, 10, today(), None).unwrap();
        let mut ids: Vec<i64> = everyone.iter().map(|c| c.id).collect();
        ids.sort();
        assert_eq!(ids, [1, 2, 3]);
        let mut employed =
            |ids: &[i64]| -> anyhow::Result<HashSet<i64>> { Ok(ids.iter().copied().filter(|&i| i == 3).collect()) };
        let free = search.candidates(&chef, 10, today(), Some(&mut employed)).unwrap();
        assert_eq!(free.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(free[0].why[0].code, "certificate");
        assert_eq!(free[1].why[0].code, "desired_occupation");
        assert!(free.iter().all(|c| c.why.iter().all(|w| w.code != "salary")), "only reasons about the person");
        assert!(search.candidates(&posting(2, "程序员", None, None), 10, today(), None).unwrap().is_empty());
    }
}
