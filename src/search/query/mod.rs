//! Answering: posting search with facets and highlights, typeahead,
//! labourer → posting matches and posting → labourer candidates, each hit
//! with the reasons a person can read.
//!
//! One file per seam: [`build`] makes tantivy queries and filters,
//! [`groups`] turns words into synonym groups, [`search`] answers posting
//! search with its [`facets`] (counted from [`tags`]) and [`highlight`]s, [`complete`] answers
//! typeahead, [`matching`] ranks postings for people (a tier at a time, see
//! [`tier`]) and people for postings, and [`reasons`] says why in words.

mod build;
mod cache;
mod complete;
mod facets;
mod facts;
mod fallback;
mod groups;
mod highlight;
mod kept;
mod matching;
mod open_set;
mod reasons;
mod search;
mod tags;
mod tier;

use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

pub use self::cache::ResultCache;
pub use self::complete::Suggestion;
pub use self::facets::{FacetCount, Facets};
pub use self::facts::PostingFacts;
pub use self::highlight::Highlights;
pub use self::matching::{Candidate, EmployedOf, Filtered, HiresOf, MatchHit, MatchResults};
pub use self::open_set::OpenSets;
pub use self::reasons::Reason;
pub use self::search::{PostingSearch, SearchHit, SearchResults};
pub use self::tags::PostingTags;
use super::schema::{PostingFields, PostingSummary};

/// The stored public view of a posting hit, saying whether it takes
/// applications on `today`.
fn summary(
    searcher: &Searcher,
    f: &PostingFields,
    addr: DocAddress,
    today: chrono::NaiveDate,
) -> anyhow::Result<PostingSummary> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let view = doc.get_first(f.view).and_then(|v| v.as_str()).unwrap_or("{}");
    Ok(serde_json::from_str::<PostingSummary>(view)?.on(today))
}

/// `searcher.search` on the asking thread: for the small searches of
/// matching and typeahead, whose few hits per segment cost less than
/// handing the segments to the search threads (`LB_SEARCH_THREADS`) and
/// waking them; posting search, which walks many hits, uses them.
fn on_this_thread<C: tantivy::collector::Collector>(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    let scoring = match collector.requires_scoring() {
        true => tantivy::query::EnableScoring::enabled_from_searcher(searcher),
        false => tantivy::query::EnableScoring::disabled_from_searcher(searcher),
    };
    searcher.search_with_executor(query, collector, &tantivy::Executor::single_thread(), scoring)
}
