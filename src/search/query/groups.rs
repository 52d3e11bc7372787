//! Synonym expansion: each word of a query (or of a person's
//! certificates, desired occupations and skills) becomes a group of the
//! word and its vocabulary synonyms, searched as one clause.

use tantivy::query::{BoostQuery, Query};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::build::{any_of, term_query};
use crate::search::schema::Profile;
use crate::search::Search;

/// Weight of the group term (any word of the group)…
const SYNONYM_WEIGHT: f32 = 0.8;
/// …and of the word typed on top of it, so that it weighs more than its
/// synonyms.
const WORD_WEIGHT: f32 = 0.3;
/// Weight of an occupation related to a wish.
const RELATED_WEIGHT: f32 = 1.0;
/// Weight of a place name typed in the search box.
const PLACE_WEIGHT: f32 = 2.5;

/// Where a group's word came from; it decides the reason shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Typed,
    Place,
    Certificate,
    Desired,
    Skill,
    /// An occupation related to one the person wishes for.
    Related,
}

/// A word with its synonyms, as one clause.
#[derive(Debug, Clone)]
pub(super) struct Group {
    /// The word as typed (lower-cased).
    pub label: String,
    /// The word first, then its synonyms.
    pub words: Vec<String>,
    pub kind: Kind,
    pub boost: f32,
}

/// Boosts of a person's certificates, desired occupations and skills.
pub(super) struct ProfileWeights {
    pub certificate: f32,
    pub desired: f32,
    pub skill: f32,
}

impl Search {
    /// The words of `text` as groups; a typed place name (one that names
    /// no occupation) becomes a place group with more weight.
    pub(super) fn groups_of(&self, text: &str, kind: Kind, boost: f32) -> Vec<Group> {
        let a = self.analyzer();
        a.query_words(text)
            .into_iter()
            .map(|w| {
                let place = kind == Kind::Typed
                    && self.vocab().occupation_of_word(&w).is_none()
                    && self.vocab().place(&w).is_some();
                Group {
                    words: self.vocab().expand(&w),
                    label: w,
                    kind: if place { Kind::Place } else { kind },
                    // A place typed with an occupation says where: it must
                    // outweigh a slightly better text match elsewhere.
                    boost: if place { boost * PLACE_WEIGHT } else { boost },
                }
            })
            .collect()
    }

    /// The groups of a person's certificates, desired occupations and
    /// skills, in that order.
    pub(super) fn profile_groups(&self, p: &Profile, w: &ProfileWeights) -> Vec<Group> {
        let mut groups = Vec::new();
        for c in &p.certificates {
            groups.extend(self.groups_of(c, Kind::Certificate, w.certificate));
        }
        for d in &p.desired_occupations {
            groups.extend(self.groups_of(d, Kind::Desired, w.desired));
        }
        for s in &p.skills {
            groups.extend(self.groups_of(s, Kind::Skill, w.skill));
        }
        groups
    }

    /// Groups of the occupations related to the person's wishes and
    /// certificates (家政 → 保洁员, 养老护理员 …), without those already in
    /// `groups`.
    pub(super) fn related_groups(&self, p: &Profile, groups: &[Group]) -> Vec<Group> {
        let vocab = self.vocab();
        let mut out: Vec<Group> = Vec::new();
        let wishes = p.desired_occupations.iter().chain(&p.certificates);
        for word in wishes.flat_map(|w| self.analyzer().query_words(w)) {
            let Some(o) = vocab.occupation_of_word(&word) else { continue };
            for name in &o.related {
                let taken = |g: &Group| g.words.iter().any(|w| *w == name.to_lowercase());
                if groups.iter().any(taken) || out.iter().any(taken) {
                    continue;
                }
                out.extend(self.groups_of(name, Kind::Related, RELATED_WEIGHT));
            }
        }
        out
    }

    /// A group's terms over weighted fields, with their boosts: a word of
    /// the vocabulary is one term per field for its whole group (the group
    /// term the tokenizer adds), plus the word itself so that it weighs
    /// more than its synonyms; any other word is its own term. Terms that
    /// occur nowhere in the index are left out.
    pub(super) fn group_terms<'g>(
        &'g self,
        searcher: &Searcher,
        g: &'g Group,
        fields: &[(Field, f32)],
    ) -> tantivy::Result<Vec<(Field, &'g str, f32)>> {
        let typed = g.words.first().map(String::as_str).unwrap_or_default();
        let mut terms: Vec<(&str, f32)> = vec![(typed, 1.0)];
        if let Some(tag) = self.analyzer().tag_of(typed) {
            terms = vec![(tag, SYNONYM_WEIGHT), (typed, WORD_WEIGHT)];
        }
        let mut out = Vec::new();
        for (word, weight) in terms {
            for &(field, fw) in fields {
                if searcher.doc_freq(&Term::from_field_text(field, word))? > 0 {
                    out.push((field, word, weight * g.boost * fw));
                }
            }
        }
        Ok(out)
    }

    /// A group as a query over weighted fields (its [`Search::group_terms`],
    /// any of them); `None` when none of its words occurs in the index.
    pub(super) fn group_query(
        &self,
        searcher: &Searcher,
        g: &Group,
        fields: &[(Field, f32)],
    ) -> tantivy::Result<Option<Box<dyn Query>>> {
        let clauses: Vec<Box<dyn Query>> = self
            .group_terms(searcher, g, fields)?
            .into_iter()
            .map(|(field, word, boost)| Box::new(BoostQuery::new(term_query(field, word), boost)) as Box<dyn Query>)
            .collect();
        Ok((!clauses.is_empty()).then(|| any_of(clauses)))
    }

    /// The query of each group that occurs in the index.
    pub(super) fn group_queries(
        &self,
        searcher: &Searcher,
        groups: &[Group],
        fields: &[(Field, f32)],
    ) -> tantivy::Result<Vec<Box<dyn Query>>> {
        let mut out = Vec::new();
        for g in groups {
            if let Some(q) = self.group_query(searcher, g, fields)? {
                out.push(q);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::Kind;
    use crate::search::testkit::{ask, person, posting, search_over};
    use crate::search::Search;

    fn ranked(search: &Search, q: &str) -> Vec<i64> {
        search.search_postings(&ask(q)).unwrap().hits.iter().map(|h| h.posting.id).collect()
    }

    #[test]
    fn a_query_becomes_groups_of_words_with_their_synonyms() {
        let search = search_over(&[], &[]);
        let groups = search.groups_of("我想找江门的厨师工作", Kind::Typed, 1.0);
        let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["江门", "厨师"]);
        assert_eq!((groups[0].kind, groups[0].boost), (Kind::Place, 2.5), "a place typed weighs more");
        assert_eq!((groups[1].kind, groups[1].boost), (Kind::Typed, 1.0));
        assert_eq!(groups[1].words[0], "厨师", "the word typed comes first");
        for synonym in ["中式烹调师", "粤菜师傅", "大厨", "炒锅"] {
            assert!(groups[1].words.iter().any(|w| w == synonym), "{synonym} missing from {:?}", groups[1].words);
        }
        // Only what is typed can be a place; a certificate never is.
        assert_eq!(search.groups_of("江门", Kind::Certificate, 2.0)[0].kind, Kind::Certificate);
    }

    #[test]
    fn chef_finds_postings_that_only_name_a_synonym() {
        let search = search_over(
            &[
                posting(1, "中式烹调师", None, Some("负责粤式小炒出品")),
                posting(2, "粤菜师傅（炒锅）", None, None),
                posting(3, "保安员", None, Some("负责门岗值守")),
                posting(4, "厨房保洁", None, Some("负责后厨卫生")),
            ],
            &[],
        );
        let mut found = ranked(&search, "厨师");
        found.sort();
        assert_eq!(found, [1, 2]);
        let mut found = ranked(&search, "大厨");
        found.sort();
        assert_eq!(found, [1, 2]);
        assert_eq!(ranked(&search, "门卫"), [3], "门卫 ≈ 保安员");
    }

    #[test]
    fn the_word_typed_weighs_more_than_its_synonyms() {
        let search = search_over(&[posting(1, "厨师", None, None), posting(2, "大厨", None, None)], &[]);
        assert_eq!(ranked(&search, "厨师"), [1, 2]);
        assert_eq!(ranked(&search, "大厨"), [2, 1]);
    }

    #[test]
    fn a_group_the_index_has_never_seen_makes_no_clause() {
        let search = search_over(&[posting(1, "保安员", None, None)], &[]);
        let g = search.current();
        let searcher = g.postings.reader.searcher();
        let fields = super::super::build::posting_text_fields(&g.postings.fields, false);
        let unseen = search.groups_of("焊工", Kind::Typed, 1.0);
        assert!(search.group_query(&searcher, &unseen[0], &fields).unwrap().is_none());
        let seen = search.groups_of("门卫", Kind::Typed, 1.0);
        assert!(search.group_query(&searcher, &seen[0], &fields).unwrap().is_some());
    }

    #[test]
    fn a_profile_gives_certificates_then_wishes_then_skills() {
        let search = search_over(&[], &[]);
        let p = person(1, &["中式烹调师"], &["保安"], &["叉车"]);
        let weights = super::ProfileWeights { certificate: 2.0, desired: 1.5, skill: 1.0 };
        let groups = search.profile_groups(&p, &weights);
        let seen: Vec<(&str, Kind, f32)> = groups.iter().map(|g| (g.label.as_str(), g.kind, g.boost)).collect();
        assert_eq!(
            seen,
            [("中式烹调师", Kind::Certificate, 2.0), ("保安", Kind::Desired, 1.5), ("叉车", Kind::Skill, 1.0)]
        );
    }
}
