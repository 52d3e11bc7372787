//! Typeahead: occupations, places and posting titles that start with (and
//! then contain) what has been typed so far.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use crate::search::Search;

/// A typeahead suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    /// What to put in the box.
    pub text: String,
    /// `occupation`, `place` or `title`.
    pub kind: &'static str,
}

impl Search {
    /// `GET /postings/complete`: up to `limit` suggestions for what has
    /// been typed so far.
    pub fn complete(&self, q: &str, limit: usize) -> anyhow::Result<Vec<Suggestion>> {
        let q = q.trim().to_lowercase();
        let mut out: Vec<Suggestion> = Vec::new();
        let mut seen = HashSet::new();
        let mut push = |out: &mut Vec<Suggestion>, text: &str, kind: &'static str| {
            if out.len() < limit && seen.insert(text.to_string()) {
                out.push(Suggestion { text: text.to_string(), kind });
            }
        };
        let vocab = self.vocab();
        for o in vocab.occupations() {
            for w in &o.words {
                if w.starts_with(&q) {
                    push(&mut out, w, "occupation");
                }
            }
        }
        let mut places: Vec<&str> = vocab.place_names().filter(|p| p.starts_with(&q)).collect();
        places.sort_by_key(|p| (p.chars().count(), *p));
        for p in places {
            push(&mut out, p, "place");
        }
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        'segments: for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(g.postings.fields.title_exact)?;
            let mut stream = inverted.terms().range().ge(q.as_bytes()).into_stream()?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(q.as_bytes()) || out.len() >= limit {
                    continue 'segments;
                }
                if let Ok(title) = std::str::from_utf8(key) {
                    push(&mut out, title, "title");
                }
            }
        }
        for o in vocab.occupations() {
            for w in &o.words {
                if !w.starts_with(&q) && w.contains(&q) {
                    push(&mut out, w, "occupation");
                }
            }
        }
        Ok(out)
    }
}
