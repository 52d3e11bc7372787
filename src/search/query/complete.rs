//! Typeahead: occupations, places and posting titles that start with (and
//! then contain) what has been typed so far.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur};
use utoipa::ToSchema;

use super::build::exact;
use crate::search::Search;

/// A typeahead suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    /// What to put in the box.
    pub text: String,
    /// `occupation`, `place` or `title`.
    pub kind: &'static str,
}

/// Titles checked for postings taking applications, at most, per call.
const MAX_TITLES_LOOKED_AT: usize = 200;

impl Search {
    /// `GET /postings/complete`: up to `limit` suggestions for what has
    /// been typed so far.
    /// Titles are those of postings taking applications on `today`.
    pub fn complete(&self, q: &str, limit: usize, today: NaiveDate) -> anyhow::Result<Vec<Suggestion>> {
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
        let f = &g.postings.fields;
        // A title is suggested only when a posting with it takes
        // applications today. Titles come in term order whatever the
        // index's segments: each segment's first titles with the prefix are
        // merged, then a bounded number is looked at in order.
        let mut titles = std::collections::BTreeSet::new();
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(f.title_exact)?;
            let mut stream = inverted.terms().range().ge(q.as_bytes()).into_stream()?;
            let mut taken = 0;
            while taken < MAX_TITLES_LOOKED_AT && stream.advance() {
                let key = stream.key();
                if !key.starts_with(q.as_bytes()) {
                    break;
                }
                if let Ok(title) = std::str::from_utf8(key) {
                    titles.insert(title.to_string());
                    taken += 1;
                }
            }
        }
        for title in titles.iter().take(MAX_TITLES_LOOKED_AT) {
            if out.len() >= limit {
                break;
            }
            let clauses = vec![self.open_today(f, today), (Occur::Must, exact(f.title_exact, title))];
            if super::on_this_thread(&searcher, &BooleanQuery::new(clauses), &Count)? > 0 {
                push(&mut out, title, "title");
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use crate::search::testkit::{posting, search_in_segments, search_over, today};

    /// A live index has several segments; the titles still come in one
    /// order (the order of their text), not segment by segment.
    #[test]
    fn titles_come_in_the_same_order_however_the_index_is_segmented() {
        let later = [posting(1, "厨师（包吃住）", None, None), posting(2, "厨师（夜班）", None, None)];
        let earlier = [posting(3, "厨师（今天截止）", None, None)];
        let expected = ["厨师（今天截止）", "厨师（包吃住）", "厨师（夜班）"];
        for batches in [
            vec![&later[..], &earlier[..]],
            vec![&earlier[..], &later[..]],
            vec![&[later[1].clone(), earlier[0].clone(), later[0].clone()][..]],
        ] {
            let search = search_in_segments(&batches, &[]);
            let titles: Vec<String> = search
                .complete("厨师（", 20, today())
                .unwrap()
                .into_iter()
                .filter(|s| s.kind == "title")
                .map(|s| s.text)
                .collect();
            assert_eq!(titles, expected, "{} segments", batches.len());
        }
    }

    #[test]
    fn occupations_then_places_then_titles_then_occupations_containing_it() {
        let search = search_over(
            &[
                posting(1, "厨师长", None, None),
                posting(2, "厨师（夜班）", None, None),
                posting(3, "保安员", None, None),
            ],
            &[],
        );
        let got = search.complete("厨师", 20, today()).unwrap();
        let seen: Vec<(&str, &str)> = got.iter().map(|s| (s.text.as_str(), s.kind)).collect();
        assert_eq!(seen[0], ("厨师", "occupation"));
        let title = seen.iter().position(|s| *s == ("厨师长", "title")).unwrap();
        let containing = seen.iter().position(|s| *s == ("粤菜厨师", "occupation")).unwrap();
        assert!(title < containing, "{seen:?}");
        assert!(seen.contains(&("厨师（夜班）", "title")));
        assert!(!seen.iter().any(|s| s.0 == "保安员"));
        let places = search.complete("江门", 5, today()).unwrap();
        assert_eq!((places[0].text.as_str(), places[0].kind), ("江门", "place"), "shortest place name first");
    }

    #[test]
    fn suggestions_stop_at_the_limit_and_ignore_case_and_spaces() {
        let search = search_over(&[posting(1, "品检员", None, None)], &[]);
        assert_eq!(search.complete("中式", 1, today()).unwrap().len(), 1);
        let got = search.complete("  QC ", 10, today()).unwrap();
        assert_eq!((got[0].text.as_str(), got[0].kind), ("qc", "occupation"));
        assert!(search.complete("没有这个词", 10, today()).unwrap().is_empty());
    }
}
