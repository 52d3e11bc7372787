//! Highlights: the words of a search marked with `<b>` in a hit's title
//! and in the best fragment of its description.

use serde::Serialize;
use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;
use utoipa::ToSchema;

use crate::search::schema::{PostingFields, PostingSummary};

/// Longest title fragment: titles are short, so it is the whole title.
const TITLE_WINDOW: usize = 400;
/// Longest description fragment.
const DESCRIPTION_WINDOW: usize = 120;

/// Highlighted fragments (HTML, matches in `<b>`).
#[derive(Debug, Serialize, ToSchema)]
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

    /// A hit's highlights: its title always (marked where it matched), its
    /// description fragment where the description matched.
    pub(super) fn of(&self, posting: &PostingSummary) -> Highlights {
        let title = self
            .title
            .as_ref()
            .map(|g| g.snippet(&posting.title))
            .filter(|s| !s.is_empty())
            .map(|s| s.to_html())
            .unwrap_or_else(|| html_escape(&posting.title));
        let description = match (&self.description, &posting.description) {
            (Some(g), Some(d)) => Some(g.snippet(d)).filter(|s| !s.is_empty()).map(|s| s.to_html()),
            _ => None,
        };
        Highlights { title, description }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::Highlights;
    use crate::search::testkit::{ask, posting, search_over};
    use crate::search::Search;

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
        assert!(h.description.as_deref().unwrap().contains("&quot;<b>电工证</b>"), "{h:?}");
    }
}
