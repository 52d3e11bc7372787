//! Synonym expansion: each word of a query (or of a person's
//! certificates, desired occupations and skills) becomes a group of the
//! word and its vocabulary synonyms, searched as one clause.

use tantivy::query::{BoostQuery, Query};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::build::{any_of, term_query};
use crate::search::schema::Profile;
use crate::search::Search;

/// Weight of a synonym relative to the word typed.
const SYNONYM_WEIGHT: f32 = 0.8;
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

    /// A group as a query over weighted fields; `None` when none of its
    /// words occurs in the index at all.
    pub(super) fn group_query(
        searcher: &Searcher,
        g: &Group,
        fields: &[(Field, f32)],
    ) -> tantivy::Result<Option<Box<dyn Query>>> {
        let mut clauses = Vec::new();
        for (i, w) in g.words.iter().enumerate() {
            let weight = if i == 0 { 1.0 } else { SYNONYM_WEIGHT } * g.boost;
            for &(field, fw) in fields {
                let term = Term::from_field_text(field, w);
                if searcher.doc_freq(&term)? > 0 {
                    clauses.push(Box::new(BoostQuery::new(term_query(field, w), weight * fw)) as Box<dyn Query>);
                }
            }
        }
        Ok((!clauses.is_empty()).then(|| any_of(clauses)))
    }

    /// The query of each group that occurs in the index.
    pub(super) fn group_queries(
        searcher: &Searcher,
        groups: &[Group],
        fields: &[(Field, f32)],
    ) -> tantivy::Result<Vec<Box<dyn Query>>> {
        let mut out = Vec::new();
        for g in groups {
            if let Some(q) = Search::group_query(searcher, g, fields)? {
                out.push(q);
            }
        }
        Ok(out)
    }
}
