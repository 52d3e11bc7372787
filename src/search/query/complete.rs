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

/// Occupation and place words searched for, at most, per call: a one-
/// character prefix such as 工 starts dozens.
const MAX_WORDS_LOOKED_AT: usize = 40;

impl Search {
    /// `GET /postings/complete`: up to `limit` suggestions for what has
    /// been typed so far.
    /// Every suggestion finds something: an occupation or place is offered
    /// only when searching for it finds a posting taking applications on
    /// `today`, a title only when a posting with it takes applications.
    pub fn complete(&self, q: &str, limit: usize, today: NaiveDate) -> anyhow::Result<Vec<Suggestion>> {
        let q = q.trim().to_lowercase();
        let mut out: Vec<Suggestion> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        let f = &g.postings.fields;
        let mut looked_at = 0;
        // Whether a search for `word` finds a posting taking applications
        // (电工 offered with no electrician's post open found nothing).
        let mut finds = |word: &str| -> anyhow::Result<bool> {
            looked_at += 1;
            if looked_at > MAX_WORDS_LOOKED_AT {
                return Ok(false);
            }
            let Some((typed, _)) = self.typed_query(&searcher, f, word, true)? else { return Ok(false) };
            let clauses = vec![self.open_today(f, today), (Occur::Must, typed)];
            Ok(super::on_this_thread(&searcher, &BooleanQuery::new(clauses), &Count)? > 0)
        };
        let push = |out: &mut Vec<Suggestion>, seen: &mut HashSet<String>, text: &str, kind: &'static str| {
            if out.len() < limit && seen.insert(text.to_string()) {
                out.push(Suggestion { text: text.to_string(), kind });
            }
        };
        let vocab = self.vocab();
        for o in vocab.occupations() {
            for w in &o.words {
                if out.len() < limit && w.starts_with(&q) && !seen.contains(w) && finds(w)? {
                    push(&mut out, &mut seen, w, "occupation");
                }
            }
        }
        let mut places: Vec<&str> = vocab.place_names().filter(|p| p.starts_with(&q)).collect();
        places.sort_by_key(|p| (p.chars().count(), *p));
        for p in places {
            if out.len() < limit && !seen.contains(p) && finds(p)? {
                push(&mut out, &mut seen, p, "place");
            }
        }
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
                push(&mut out, &mut seen, title, "title");
            }
        }
        for o in vocab.occupations() {
            for w in &o.words {
                if out.len() < limit && !w.starts_with(&q) && w.contains(&q) && !seen.contains(w) && finds(w)? {
                    push(&mut out, &mut seen, w, "occupation");
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
        let search = search_over(&[posting(1, "品检员", None, None), posting(2, "中式烹调师", None, None)], &[]);
        assert_eq!(search.complete("中式", 1, today()).unwrap().len(), 1);
        let got = search.complete("  QC ", 10, today()).unwrap();
        assert_eq!((got[0].text.as_str(), got[0].kind), ("qc", "occupation"));
        assert!(search.complete("没有这个词", 10, today()).unwrap().is_empty());
    }

    #[test]
    fn a_word_is_offered_only_when_searching_for_it_finds_a_posting_taking_applications() {
        let mut closed = posting(2, "维修电工", None, None);
        closed.posting.data.status = "closed".parse().unwrap();
        let search = search_over(&[posting(1, "保安员", None, None), closed.clone()], &[]);
        let words = |search: &crate::search::Search, typed: &str| -> Vec<String> {
            search.complete(typed, 10, today()).unwrap().into_iter().map(|s| s.text).collect()
        };
        assert!(!words(&search, "电").contains(&"电工".to_string()), "{:?}", words(&search, "电"));
        assert!(words(&search, "保").contains(&"保安".to_string()), "{:?}", words(&search, "保"));
        closed.posting.data.status = "open".parse().unwrap();
        let search = search_over(&[posting(1, "保安员", None, None), closed], &[]);
        assert!(words(&search, "电").contains(&"电工".to_string()), "{:?}", words(&search, "电"));
    }
}
