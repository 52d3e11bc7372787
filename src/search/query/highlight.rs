//! Highlights: the words of a search marked with `<b>` in a hit's title
//! and in the best fragment of its description.

use std::ops::Range;

use serde::Serialize;
use tantivy::query::Query;
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::Searcher;
use utoipa::ToSchema;

use crate::search::schema::{PostingFields, PostingSummary};
use crate::search::text::{char_ceil, char_floor};

/// Window for finding matches in a title, in bytes (tantivy counts bytes):
/// titles are short, and are shown whole in any case.
const TITLE_WINDOW: usize = 400;
/// Longest description fragment, in bytes: about 40 Chinese characters.
const DESCRIPTION_WINDOW: usize = 120;

/// Highlighted fragments (HTML, matches in `<b>`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Highlights {
    /// The title with matches marked.
    pub title: String,
    /// The best fragment of the description, if it matched.
    pub description: Option<String>,
}

/// Text as HTML.
pub(super) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `text[range]` as HTML with the `marks` (byte ranges of `text`) in
/// `<b>`. Marks are cut to the range, widened to whole characters and
/// merged where they overlap, so every character of the range is written
/// once, in order, whatever the marks are.
fn render(text: &str, range: Range<usize>, marks: impl Iterator<Item = Range<usize>>) -> String {
    let (start, end) = (char_floor(text, range.start), char_ceil(text, range.end));
    let mut marks: Vec<Range<usize>> = marks
        .map(|m| char_floor(text, m.start.max(start))..char_ceil(text, m.end.min(end)))
        .filter(|m| m.start < m.end)
        .collect();
    marks.sort_by_key(|m| (m.start, m.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(marks.len());
    for m in marks {
        match merged.last_mut() {
            Some(last) if m.start < last.end => last.end = last.end.max(m.end),
            _ => merged.push(m),
        }
    }
    let piece = |a: usize, b: usize| html_escape(text.get(a..b).unwrap_or_default());
    let mut html = String::new();
    let mut at = start;
    for m in merged {
        html.push_str(&piece(at, m.start));
        html.push_str("<b>");
        html.push_str(&piece(m.start, m.end));
        html.push_str("</b>");
        at = m.end;
    }
    html.push_str(&piece(at, end));
    html
}

/// `text` (all of it, or only `snippet`'s fragment) with the snippet's
/// matches marked; `None` when nothing in it matched.
fn marked(text: &str, snippet: &Snippet, whole: bool) -> Option<String> {
    if snippet.is_empty() {
        return None;
    }
    let fragment = snippet.fragment_range();
    let at = fragment.start;
    let marks = snippet.highlighted().iter().map(|m| at + m.start..at + m.end);
    let range = if whole { 0..text.len() } else { fragment };
    Some(render(text, range, marks))
}

/// Marks the words of one search in its hits.
pub(super) struct Highlighter {
    title: Option<SnippetGenerator>,
    description: Option<SnippetGenerator>,
}

impl Highlighter {
    /// For the text part of a search (`None` when nothing was typed: then
    /// nothing is marked).
    pub(super) fn new(searcher: &Searcher, text: Option<&dyn Query>, f: &PostingFields) -> tantivy::Result<Self> {
        let Some(text) = text else { return Ok(Highlighter { title: None, description: None }) };
        let mut title = SnippetGenerator::create(searcher, text, f.title)?;
        title.set_max_num_chars(TITLE_WINDOW);
        let mut description = SnippetGenerator::create(searcher, text, f.description)?;
        description.set_max_num_chars(DESCRIPTION_WINDOW);
        Ok(Highlighter { title: Some(title), description: Some(description) })
    }

    /// A hit's highlights: its whole title always (marked where it
    /// matched), and where the description matched, the best fragment of
    /// it (all of it when it fits the window).
    pub(super) fn of(&self, posting: &PostingSummary) -> Highlights {
        let title = self
            .title
            .as_ref()
            .and_then(|g| marked(&posting.title, &g.snippet(&posting.title), true))
            .unwrap_or_else(|| html_escape(&posting.title));
        let description = match (&self.description, &posting.description) {
            (Some(g), Some(d)) => marked(d, &g.snippet(d), d.len() <= DESCRIPTION_WINDOW),
            _ => None,
        };
        Highlights { title, description }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::Highlights;
    use crate::search::corpus::{corpus, vocabulary_words};
    use crate::search::testkit::{ask, posting, search_over};
    use crate::search::Search;

    /// Highlight HTML back to text: tags dropped, entities decoded the way
    /// our escaping encodes them.
    fn strip_tags(html: &str) -> String {
        let bare = html.replace("<b>", "").replace("</b>", "");
        assert!(!bare.contains(['<', '>']), "unescaped markup in {html:?}");
        html.replace("<b>", "")
            .replace("</b>", "")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    fn highlights(search: &Search, q: &str, id: i64) -> Highlights {
        let r = search.search_postings(&ask(q)).unwrap();
        r.hits.into_iter().find(|h| h.posting.id == id).map(|h| h.highlights).expect("the posting is a hit")
    }

    #[test]
    fn the_words_that_matched_are_marked_synonyms_too() {
        let search = search_over(
            &[
                posting(1, "中式烹调师", None, Some("负责粤式小炒出品，要求两年以上经验")),
                posting(2, "粤菜厨师", None, Some("店在江门市江海区，包吃住")),
            ],
            &[],
        );
        assert_eq!(highlights(&search, "厨师", 1).title, "<b>中式烹调师</b>");
        let h = highlights(&search, "小炒", 1);
        assert_eq!(h.title, "中式烹调师", "an unmatched title is shown plain");
        assert!(h.description.as_deref().unwrap().contains("<b>小炒</b>"), "{h:?}");
        let h = highlights(&search, "厨师", 2);
        assert!(h.title.contains("<b>"), "{h:?}");
        assert_eq!(h.description, None, "a description that did not match has no fragment");
    }

    #[test]
    fn nothing_typed_marks_nothing_and_text_is_escaped() {
        let search = search_over(&[posting(1, "电工（高压&低压）<急>", None, Some("持\"电工证\""))], &[]);
        let h = highlights(&search, "", 1);
        assert_eq!(h.title, "电工（高压&amp;低压）&lt;急&gt;");
        assert_eq!(h.description, None);
        let h = highlights(&search, "电工", 1);
        assert!(h.title.starts_with("<b>电工</b>（高压&amp;低压）"), "{h:?}");
        // 电工 is found as a part of 电工证, and marked as that whole word.
        assert_eq!(h.description.as_deref(), Some("持&quot;<b>电工证</b>&quot;"));
    }

    #[test]
    fn a_word_of_many_parts_is_highlighted_wherever_a_long_description_has_it() {
        let filler: Vec<char> = "负责新生儿护理、产妇月子餐及日常照料。须持育婴员或母婴护理证书，有经验者工资面议。公司免费岗前培训，月休四天，"
            .chars()
            .collect();
        // 包吃住 at every place relative to the fragment window.
        let docs: Vec<_> = (0..filler.len())
            .map(|k| {
                let text: String = filler[..k]
                    .iter()
                    .chain("包吃住".chars().collect::<Vec<_>>().iter())
                    .chain(filler[k..].iter())
                    .collect();
                posting(k as i64 + 1, "育婴员（月嫂）", None, Some(&text))
            })
            .collect();
        let search = search_over(&docs, &[]);
        let mut s = ask("包吃住");
        s.limit = docs.len();
        let r = search.search_postings(&s).unwrap();
        // Jieba may join 包吃住 with a neighbour here and there (护包…).
        assert!(r.total + 3 >= docs.len(), "{} of {}", r.total, docs.len());
        for hit in r.hits {
            let d = hit.highlights.description.unwrap_or_default();
            assert!(d.contains("<b>包吃住</b>"), "posting {}: {d:?}", hit.posting.id);
        }
        let h = highlights(&search, "月嫂", 1);
        assert_eq!(h.title, "<b>育婴员</b>（<b>月嫂</b>）", "the closing bracket stays");
    }

    #[test]
    fn rendering_writes_every_character_once_whatever_the_marks() {
        let text = "育婴员（月嫂）<急>";
        #[allow(clippy::reversed_empty_ranges)]
        let marks = [12..18, 0..9, 3..7, 15..14, 100..200, 16..30, 0..0];
        let html = super::render(text, 0..text.len(), marks.into_iter());
        assert_eq!(html, "<b>育婴员</b>（<b>月嫂）&lt;急&gt;</b>");
        assert_eq!(strip_tags(&html), text);
        assert_eq!(super::render(text, 2..13, std::iter::once(12..18)), "育婴员（<b>月</b>");
    }

    /// Every vocabulary word searched over postings made of every corpus
    /// text: highlighting never panics, a title comes back whole and a
    /// description fragment is a piece of the description.
    #[test]
    fn highlighting_never_loses_or_invents_text() {
        let texts = corpus(400);
        let docs: Vec<_> =
            texts.iter().enumerate().map(|(i, t)| posting(i as i64 + 1, t, None, Some(t.as_str()))).collect();
        let search = search_over(&docs, &[]);
        let mut checked = 0;
        for word in vocabulary_words() {
            let mut s = ask(&word);
            s.limit = docs.len();
            for hit in search.search_postings(&s).unwrap().hits {
                let text = &texts[hit.posting.id as usize - 1];
                let h = hit.highlights;
                assert_eq!(&strip_tags(&h.title), text, "{word}: title {:?}", h.title);
                if let Some(d) = h.description {
                    assert!(text.contains(&strip_tags(&d)), "{word}: fragment {d:?} is not in {text:?}");
                    assert!(d.contains("<b>"), "{word}: a fragment marks what matched: {d:?}");
                }
                checked += 1;
            }
        }
        assert!(checked > 5_000, "only {checked} hits checked");
    }
}
