//! Facet counts of a posting search: province, occupation, salary band
//! and benefits, over all hits (not only the page shown).

use serde::Serialize;
use utoipa::ToSchema;

use super::tags::TagCounts;
use crate::domain::region_name;

/// One facet value with its count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    /// The value to filter by.
    pub value: String,
    /// Its name.
    pub label: String,
    /// Hits with it.
    pub count: u64,
}

/// Counts over all hits (not only this page).
#[derive(Debug, Clone, Serialize, ToSchema)]
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

/// The values under root `root` (an index into [`super::tags::ROOTS`]),
/// most frequent first (then by value).
fn list(counts: &TagCounts, root: usize, label: &dyn Fn(&str) -> String) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = counts
        .iter()
        .filter(|((r, _), _)| *r == root)
        .map(|((_, value), &count)| FacetCount { label: label(value), value: value.clone(), count })
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
    pub(super) fn of(counts: &TagCounts) -> Facets {
        Facets {
            province: list(counts, 0, &|code| {
                region_name(&format!("{code}0000")).map(String::from).unwrap_or_else(|| code.to_string())
            }),
            occupation: list(counts, 1, &|v| v.to_string()),
            salary_band: list(counts, 2, &|v| format!("{v}元/月")),
            benefits: list(counts, 3, &benefit_label),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::FacetCount;
    use crate::search::testkit::{ask, posting, search_over, with_benefits};

    fn seen(list: &[FacetCount]) -> Vec<(&str, &str, u64)> {
        list.iter().map(|c| (c.value.as_str(), c.label.as_str(), c.count)).collect()
    }

    #[test]
    fn facets_count_every_hit_by_province_occupation_pay_and_benefit() {
        let mut chef = with_benefits(posting(1, "中式烹调师", None, None), &["housing", "meals"]);
        chef.posting.data.salary_min = Some(5000);
        chef.posting.data.salary_max = Some(6500);
        let mut wok = posting(2, "炒锅", None, None);
        wok.posting.data.region_code = "450103".into();
        wok.posting.data.salary_min = Some(3500);
        wok.posting.data.salary_max = Some(4500);
        let mut cook = posting(3, "粤菜厨师", None, None);
        cook.posting.data.region_code = "440781".into();
        let mut guard = with_benefits(posting(4, "门卫", None, None), &["housing"]);
        guard.posting.data.salary_min = Some(3000);
        let search = search_over(&[chef, wok, cook, guard], &[]);
        let mut s = ask("厨师");
        s.limit = 1;
        let r = search.search_postings(&s).unwrap();
        assert_eq!((r.total, r.hits.len()), (3, 1), "counts cover all hits, not the page");
        let f = &r.facets;
        assert_eq!(seen(&f.province), [("44", "广东省", 2), ("45", "广西壮族自治区", 1)], "most first");
        assert_eq!(seen(&f.occupation), [("厨师", "厨师", 3)]);
        assert_eq!(
            seen(&f.salary_band),
            [("3000-4999", "3000-4999元/月", 1), ("5000-6999", "5000-6999元/月", 1), ("面议", "面议元/月", 1)]
        );
        assert_eq!(seen(&f.benefits), [("housing", "包住", 1), ("meals", "包吃", 1)]);
        // Over everything: the guard's housing counts too.
        let all = search.search_postings(&ask("")).unwrap();
        assert_eq!(seen(&all.facets.benefits), [("housing", "包住", 2), ("meals", "包吃", 1)]);
        assert_eq!(all.facets.occupation.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["厨师", "保安员"]);
    }

    #[test]
    fn no_hits_no_counts() {
        let search = search_over(&[posting(1, "门卫", None, None)], &[]);
        let r = search.search_postings(&ask("焊工")).unwrap();
        assert_eq!(r.total, 0);
        let f = &r.facets;
        assert!(f.province.is_empty() && f.occupation.is_empty() && f.salary_band.is_empty() && f.benefits.is_empty());
    }
}
