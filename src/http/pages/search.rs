//! `/`: the job search for phones, the posting page, saving a search and
//! a trainee's `我的推荐`. The search reads its parameters by the API's
//! rules ([`api::search::posting_search`]) and runs the same search.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::session::Viewer;
use super::{page, Chrome};
use crate::auth::Role;
use crate::db::models::search as store;
use crate::domain::{Benefit, GenderRequirement};
use crate::error::AppError;
use crate::http::api::search::{matches_of, posting_search, run_search, SearchQuery};
use crate::http::state::AppState;
use crate::messages::Thing;
use crate::search::query::{FacetCount, MatchHit, SearchHit};
use crate::search::schema::PostingSummary;

/// Hits per page on a phone.
const PAGE: usize = 10;

/// What was asked, as the form shows it again.
#[derive(Default, Clone)]
pub struct Asked {
    q: String,
    region: String,
    salary_min: String,
    benefits: Vec<String>,
    offset: usize,
}

impl Asked {
    /// Whether any filter (place, pay, benefit) narrows the search.
    fn has_filters(&self) -> bool {
        !self.region.is_empty() || !self.salary_min.is_empty() || !self.benefits.is_empty()
    }

    fn of(pairs: &[(String, String)]) -> Asked {
        let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
        Asked {
            q: one("q"),
            region: one("region"),
            salary_min: one("salary_min"),
            benefits: pairs.iter().filter(|(n, v)| n == "benefits" && !v.is_empty()).map(|(_, v)| v.clone()).collect(),
            offset: one("offset").parse().unwrap_or(0),
        }
    }

    fn query(&self) -> SearchQuery {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        SearchQuery {
            q: some(&self.q),
            region: some(&self.region),
            salary_min: some(&self.salary_min),
            benefits: some(&self.benefits.join(",")),
            limit: Some(PAGE.to_string()),
            offset: Some(self.offset.to_string()),
            ..SearchQuery::default()
        }
    }

    /// The query string of this search at another offset, or with a
    /// filter changed.
    fn link(&self, offset: usize, region: Option<&str>, benefit: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", self.q.clone())];
        let region = region.map(str::to_string).unwrap_or_else(|| self.region.clone());
        if !region.is_empty() {
            pairs.push(("region", region));
        }
        if !self.salary_min.is_empty() {
            pairs.push(("salary_min", self.salary_min.clone()));
        }
        for b in self.benefits.iter().map(String::as_str).chain(benefit) {
            pairs.push(("benefits", b.to_string()));
        }
        if offset > 0 {
            pairs.push(("offset", offset.to_string()));
        }
        format!("/?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }

    fn has(&self, benefit: &str) -> bool {
        self.benefits.iter().any(|b| b == benefit)
    }
}

/// A facet value as a link that narrows the search.
pub struct FacetLink {
    label: String,
    count: u64,
    href: Option<String>,
}

/// The results part of the page (also the htmx fragment).
#[derive(Template)]
#[template(path = "search_results.html")]
pub struct Results {
    asked: Asked,
    error: Option<String>,
    /// Why the words typed chose nothing (all common ones such as 工作 and
    /// 招聘, or no word at all, as an emoji): every posting is listed.
    no_words: Option<String>,
    total: usize,
    hits: Vec<SearchHit>,
    provinces: Vec<FacetLink>,
    occupations: Vec<FacetLink>,
    benefit_facets: Vec<FacetLink>,
    prev: Option<String>,
    next: Option<String>,
    can_save: bool,
    login_to_save: Option<String>,
    /// What became of 保存搜索, in words.
    saved: Option<&'static str>,
    csrf: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    asked: Asked,
    results_html: String,
    benefit_choices: Vec<(&'static str, &'static str, bool)>,
    regions: Vec<(&'static str, &'static str, bool)>,
    recommended: Option<Vec<MatchHit>>,
}

/// The places the filter offers (prefixes of region codes).
const REGIONS: [(&str, &str); 5] = [
    ("44", "广东省"),
    ("4407", "广东省江门市"),
    ("440704", "江门市江海区"),
    ("45", "广西壮族自治区"),
    ("451424", "崇左市大新县"),
];

/// The search page's address for these words and filters (a saved
/// search's 查看结果).
pub fn search_link(q: &str, region: &str, salary_min: &str, benefits: &[String]) -> String {
    let asked = Asked {
        q: q.to_string(),
        region: region.to_string(),
        salary_min: salary_min.to_string(),
        benefits: benefits.to_vec(),
        offset: 0,
    };
    asked.link(0, None, None)
}

/// A region filter (2, 4 or 6 digits of a code) in words: 广东省江门市 for
/// `4407`; the code itself when no table names it.
pub fn place_label(code: &str) -> String {
    if let Some((_, name)) = REGIONS.iter().find(|(c, _)| *c == code) {
        return (*name).to_string();
    }
    let six = format!("{code:0<6}");
    crate::domain::region::region_full_name(&six).unwrap_or_else(|| code.to_string())
}

/// Why `q` chose no posting, when it has no word to search by.
fn no_words(state: &AppState, q: &str) -> Option<String> {
    let q = q.trim();
    if q.is_empty() || !state.search.analyzer().query_words(q).is_empty() {
        return None;
    }
    Some(if q.chars().any(char::is_alphanumeric) {
        format!("“{q}”里只有“工作”“招聘”这样的常用词，没有按它筛选，下面是全部岗位。换成工种（如 厨师、普工）、地名或单位名称再搜，结果会更准。")
    } else {
        format!("“{q}”里没有可以搜索的字词，没有按它筛选，下面是全部岗位。请输入工种、地名或单位名称。")
    })
}

/// What the page says after 保存搜索 (`saved=` of its address).
fn saved_notice(outcome: &str) -> Option<&'static str> {
    match outcome {
        "1" => Some("已保存此搜索，有新岗位时会发邮件通知您。"),
        "again" => Some("这个搜索已经保存过了，有新岗位时会通知您，不用再保存。"),
        "again_no_mail" => Some("这个搜索已经保存过了。您的账户还没有登记电子邮箱，有新岗位时暂时无法通知您：请联系经办人员为账户登记邮箱。"),
        "no_mail" => {
            Some("已保存此搜索。您的账户还没有登记电子邮箱，有新岗位时暂时无法通知您：请联系经办人员为账户登记邮箱。")
        }
        _ => None,
    }
}

async fn results_for(
    state: &AppState,
    viewer: &Viewer,
    asked: Asked,
    saved: Option<&'static str>,
) -> Result<Results, AppError> {
    let staff = viewer.caller.as_ref().is_some_and(|c| c.is(crate::http::auth::REGISTRY));
    let can_save = viewer.caller.is_some() && !asked.q.is_empty();
    let mut r = Results {
        asked: asked.clone(),
        error: None,
        no_words: no_words(state, &asked.q),
        total: 0,
        hits: vec![],
        provinces: vec![],
        occupations: vec![],
        benefit_facets: vec![],
        prev: None,
        next: None,
        can_save,
        login_to_save: (viewer.caller.is_none() && !asked.q.is_empty()).then(|| {
            let here = asked.link(0, None, None);
            format!("/login?{}", serde_urlencoded::to_string([("next", here.as_str())]).unwrap_or_default())
        }),
        saved,
        csrf: viewer.csrf.clone(),
    };
    let s = match posting_search(asked.query(), staff) {
        Ok(s) => s,
        Err(e) => {
            // The field by its label when its message does not name it
            // (应在 0 到 1000000 之间 said of nothing).
            r.error = Some(e.field_errors().first().map_or_else(
                || e.detail().zh,
                |f| {
                    // The page's own word for the pay filter (a posting's
                    // 最低月薪 is another thing).
                    let named = crate::messages::field_label(&f.field);
                    let label = if f.field == "salary_min" { "月薪可达" } else { named };
                    if f.message.zh.contains(named) {
                        f.message.zh.replace(named, label)
                    } else {
                        format!("“{label}”{}", f.message.zh)
                    }
                },
            ));
            return Ok(r);
        }
    };
    let found = run_search(state, s).await?;
    let links = |list: &[FacetCount], href: &dyn Fn(&str) -> Option<String>| -> Vec<FacetLink> {
        list.iter().map(|f| FacetLink { label: f.label.clone(), count: f.count, href: href(&f.value) }).collect()
    };
    r.provinces = links(&found.facets.province, &|v| Some(asked.link(0, Some(v), None)));
    r.occupations = links(&found.facets.occupation, &|_| None);
    r.benefit_facets = links(&found.facets.benefits, &|v| (!asked.has(v)).then(|| asked.link(0, None, Some(v))));
    r.total = found.total;
    // Past the end (an old link, a typed offset), 上一页 is the last page.
    let before = if asked.offset >= found.total {
        (found.total.saturating_sub(1) / PAGE) * PAGE
    } else {
        asked.offset.saturating_sub(PAGE)
    };
    r.prev = (asked.offset > 0 && found.total > 0).then(|| asked.link(before, None, None));
    r.next = (asked.offset + PAGE < found.total).then(|| asked.link(asked.offset + PAGE, None, None));
    r.hits = found.hits;
    Ok(r)
}

/// `GET /`: the search page; with a query, its first results.
pub async fn home(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let asked = Asked::of(&q);
    let saved = q.iter().find(|(k, _)| k == "saved").and_then(|(_, v)| saved_notice(v));
    let results = results_for(&state, &viewer, asked.clone(), saved).await?;
    let recommended = match &viewer.caller {
        Some(c) if c.role == Role::Trainee => match c.labourer_id {
            Some(id) => Some(matches_of(&state, id, 5, false).await?.hits),
            None => None,
        },
        _ => None,
    };
    let benefit_choices = Benefit::ALL.iter().map(|b| (b.as_str(), b.label_zh(), asked.has(b.as_str()))).collect();
    let regions = REGIONS.iter().map(|(code, name)| (*code, *name, asked.region == *code)).collect();
    let title = if asked.q.is_empty() { "岗位搜索".to_string() } else { format!("{} - 岗位搜索", asked.q) };
    let results_html = super::html(&results)?;
    page(
        &viewer,
        &SearchPage { chrome: Chrome::new(&viewer, title), asked, results_html, benefit_choices, regions, recommended },
    )
}

/// `GET /search/results`: the results fragment (htmx).
pub async fn results(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let r = results_for(&state, &viewer, Asked::of(&q), None).await?;
    page(&viewer, &r)
}

#[derive(Template)]
#[template(source = "{% for s in suggestions %}<option value=\"{{ s }}\"></option>{% endfor %}", ext = "html")]
struct Suggestions {
    suggestions: Vec<String>,
}

/// `GET /search/complete?q=`: typeahead options for the search box's
/// datalist, from the API's typeahead.
pub async fn complete(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let typed = Asked::of(&q).q;
    let count = typed.chars().count();
    let suggestions = if count == 0 || count > 50 {
        vec![]
    } else {
        let search = state.search.clone();
        web::block(move || search.complete(&typed, 8, crate::clock::today()))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("typeahead task failed: {e}")))??
            .into_iter()
            .map(|s| s.text)
            .collect()
    };
    page(&viewer, &Suggestions { suggestions })
}

#[derive(Template)]
#[template(path = "posting.html")]
struct PostingPage {
    chrome: Chrome,
    p: PostingSummary,
    benefits: Vec<&'static str>,
    /// 性别要求 (none when anyone may apply) and 学历要求, in words.
    gender: Option<&'static str>,
    education: Option<&'static str>,
}

/// `GET /postings/{id}`: one posting; anonymous visitors see open ones only
/// (as in search).
pub async fn posting(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let doc = state.db.run(move |c| Ok(store::postings_by_ids(c, &[id])?)).await?.pop();
    let doc = doc.ok_or(AppError::NotFound(Thing::Posting))?;
    // "Taking applications today" by the one rule every view uses.
    let p = PostingSummary::of(state.search.vocab(), &doc).on(crate::clock::today());
    if viewer.caller.is_none() && !p.taking_applications {
        return Err(AppError::NotFound(Thing::Posting));
    }
    let data = &doc.posting.data;
    let benefits = data.benefits.0.iter().map(|b| b.label_zh()).collect();
    let gender = (data.gender_requirement != GenderRequirement::Any).then(|| data.gender_requirement.label_zh());
    let education = data.education_min.map(|e| e.label_zh());
    let chrome = Chrome::new(&viewer, p.title.clone());
    page(&viewer, &PostingPage { chrome, p, benefits, gender, education })
}
