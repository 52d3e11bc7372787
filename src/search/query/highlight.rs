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
