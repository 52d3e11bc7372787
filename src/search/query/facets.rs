//! Facet counts of a posting search: province, occupation, salary band
//! and benefits, over all hits (not only the page shown).

use serde::Serialize;
use tantivy::collector::{FacetCollector, FacetCounts};
use utoipa::ToSchema;

use crate::domain::region_name;

/// The facet roots counted, under the `tags` field.
const ROOTS: [&str; 4] = ["/province", "/occupation", "/salary_band", "/benefits"];

/// One facet value with its count.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    /// The value to filter by.
    pub value: String,
    /// Its name.
    pub label: String,
    /// Hits with it.
    pub count: u64,
}

/// Counts over all hits (not only this page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Facets {
    /// By province of the work place.
    pub province: Vec<FacetCount>,
    /// By occupation of the vocabulary.
    pub occupation: Vec<FacetCount>,
    /// By monthly pay.
    pub salary_band: Vec<FacetCount>,
    /// By benefit offered.
    pub benefits: Vec<FacetCount>,
}

/// Collects the counts of every root.
pub(super) fn collector() -> FacetCollector {
    let mut c = FacetCollector::for_field("tags");
    for root in ROOTS {
        c.add_facet(root);
    }
    c
}

/// The values under `root`, most frequent first (then by value).
fn list(counts: &FacetCounts, root: &str, label: &dyn Fn(&str) -> String) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = counts
        .get(root)
        .map(|(facet, count)| {
            let value = facet.to_path().last().map(|s| s.to_string()).unwrap_or_default();
            FacetCount { label: label(&value), value, count }
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

fn benefit_label(v: &str) -> String {
    match v {
        "housing" => "包住",
        "meals" => "包吃",
        "transport" => "交通补贴",
        "insurance" => "五险",
        other => other,
    }
    .to_string()
}

impl Facets {
    /// The counts collected, with their labels.
    pub(super) fn of(counts: &FacetCounts) -> Facets {
        Facets {
            province: list(counts, "/province", &|code| {
                region_name(&format!("{code}0000")).map(String::from).unwrap_or_else(|| code.to_string())
            }),
            occupation: list(counts, "/occupation", &|v| v.to_string()),
            salary_band: list(counts, "/salary_band", &|v| format!("{v}元/月")),
            benefits: list(counts, "/benefits", &benefit_label),
        }
    }
}
