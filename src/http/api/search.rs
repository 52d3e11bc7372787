//! Search and matching (DESIGN §6):
//! `GET /api/v1/postings/search`, `GET /api/v1/postings/complete` (anyone,
//! anonymous callers see open postings only and never personal data),
//! `GET /api/v1/labourers/{id}/matches` (admin, clerk; a trainee their own),
//! `GET /api/v1/postings/{id}/candidates` (admin, clerk).

use std::collections::{HashMap, HashSet};

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::db::models::search as store;
use crate::db::models::{enrolment, labourer};
use crate::domain::{mask_id_number, Benefit, Education, LabourerId};
use crate::error::AppError;
use crate::http::auth::{require, MaybeCaller, REGISTRY};
use crate::http::input::{param, text, Query};
use crate::http::state::AppState;
use crate::messages::{access, general, Text, Thing};
use crate::search::query::{MatchResults, PostingSearch, Reason, SearchResults, Suggestion};
use crate::search::schema::{availability, region_filter_facet, NotTakingReason, Profile};

/// Query of `GET /postings/search` (the search page reads the same).
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// What to look for, e.g. `江门 厨师 包住`; synonyms are searched too.
    pub q: Option<String>,
    /// Work place: 2, 4 or 6 digits of a region code (`44`, `4407`, `440704`).
    pub region: Option<String>,
    /// Lowest acceptable monthly pay (CNY): postings paying at most less are left out.
    pub salary_min: Option<String>,
    /// Benefits every hit must offer, comma-separated: housing, meals, transport, insurance.
    pub benefits: Option<String>,
    /// The searcher's education: postings asking for more are left out.
    pub education: Option<String>,
    /// Only postings taking applications today: open, between `opens_on`
    /// and `closes_on` where set, places left (always true for callers
    /// other than admins and clerks).
    pub open_only: Option<String>,
    /// Hits per page, 1–100 (default 20).
    pub limit: Option<String>,
    /// Hits to skip, 0–10000.
    pub offset: Option<String>,
}

fn bool_param(name: &str, raw: &Option<String>) -> Result<Option<bool>, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(other) => Err(AppError::bad_param(
            name,
            Text::new(format!("“{other}”应为 true 或 false"), format!("`{other}` is not true or false")),
        )),
    }
}

fn bounded(name: &str, raw: &Option<String>, default: usize, max: usize, min: usize) -> Result<usize, AppError> {
    match param::<usize>(name, raw)? {
        None => Ok(default),
        Some(n) if (min..=max).contains(&n) => Ok(n),
        Some(_) => Err(AppError::bad_param(name, general::out_of_range(Some(min as f64), Some(max as f64)))),
    }
}

/// Search postings (anyone).
#[utoipa::path(get, path = "/api/v1/postings/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = crate::error::Problem)),
    description = "Roles: anyone, no token needed. Callers other than admins and clerks search postings taking applications today only (open, between opens_on and closes_on, places left); every hit says `taking_applications` and, when false, `not_taking` (code and words). Chinese text is segmented with jieba; occupation synonyms (厨师 ≈ 中式烹调师 ≈ 粤菜师傅 …) are searched too. Hits carry highlights (`<b>`), facets count all hits. No personal data is ever returned.")]
pub async fn search(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    q: Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let staff = caller.0.as_ref().is_some_and(|c| c.is(REGISTRY));
    let s = posting_search(q.0, staff)?;
    // The API answers from the per-commit cache of serialised bodies.
    let search = state.search.clone();
    let body = web::block(move || search.search_postings_body(&s))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("search task failed: {e}")))??;
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}

/// Reads a search's parameters by the API's rules (400 naming the
/// parameter). Only the registry's staff (`staff`: admins and clerks) may
/// look past "taking applications today" to find a closed or full posting;
/// everyone else, signed in or not, sees the same open postings.
pub fn posting_search(q: SearchQuery, staff: bool) -> Result<PostingSearch, AppError> {
    let region = text(q.region);
    if let Some(r) = &region {
        let known = match r.len() {
            2 => crate::domain::region_name(&format!("{r}0000")).is_some(),
            4 => crate::domain::region_name(&format!("{r}00")).is_some(),
            6 => crate::domain::region_name(r).is_some(),
            _ => false,
        };
        if !known || region_filter_facet(r).is_none() {
            return Err(AppError::bad_param(
                "region",
                Text::new(
                    "请填写地区代码的前2、4或6位，如 44、4407、440704",
                    "give 2, 4 or 6 digits of a region code, e.g. 44, 4407, 440704",
                ),
            ));
        }
    }
    // 5,000 as people write money: the thousands separators are not part of it.
    let salary_typed = q.salary_min.as_ref().map(|s| s.replace([',', '，'], ""));
    let salary_min = param::<i64>("salary_min", &salary_typed)?;
    if salary_min.is_some_and(|s| !(0..=1_000_000).contains(&s)) {
        return Err(AppError::bad_param("salary_min", general::out_of_range(Some(0.0), Some(1_000_000.0))));
    }
    let mut benefits = Vec::new();
    for b in text(q.benefits).iter().flat_map(|s| s.split([',', '，'])).map(str::trim).filter(|b| !b.is_empty()) {
        // The code or an office's word for it (包住, 五险…); refused in the
        // closed list's own words, its Chinese choices.
        let benefit = b.parse::<Benefit>().map_err(|e| AppError::bad_param("benefits", e.message))?;
        benefits.push(benefit.as_str().to_string());
    }
    let education = match text(q.education) {
        None => None,
        Some(e) => Some(
            e.parse::<Education>()
                .map_err(|_| AppError::bad_param("education", general::bad_param("education", &e)))?
                .as_str()
                .to_string(),
        ),
    };
    let asked_open_only = bool_param("open_only", &q.open_only)?.unwrap_or(false);
    let open_only = !staff || asked_open_only;
    let query = text(q.q).unwrap_or_default();
    if query.chars().count() > 200 {
        return Err(AppError::bad_param("q", general::too_long(200)));
    }
    Ok(PostingSearch {
        q: query,
        region,
        salary_min,
        benefits,
        education,
        open_only,
        limit: bounded("limit", &q.limit, 20, 100, 1)?,
        offset: bounded("offset", &q.offset, 0, 10_000, 0)?,
        today: crate::clock::today(),
    })
}

/// Runs a search off the async threads.
pub async fn run_search(state: &AppState, s: PostingSearch) -> Result<SearchResults, AppError> {
    let search = state.search.clone();
    web::block(move || search.search_postings(&s))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("search task failed: {e}")))?
        .map_err(AppError::Internal)
}

/// Query of `GET /postings/complete`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CompleteQuery {
    /// What has been typed so far.
    q: Option<String>,
    /// Suggestions, 1–20 (default 8).
    limit: Option<String>,
}

/// Typeahead answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Completions {
    /// What was typed.
    pub q: String,
    /// Suggestions, best first.
    pub suggestions: Vec<Suggestion>,
}

/// Typeahead for the search box (anyone).
#[utoipa::path(get, path = "/api/v1/postings/complete", tag = "search", params(CompleteQuery),
    responses((status = 200, body = Completions), (status = 400, body = crate::error::Problem)),
    description = "Roles: anyone, no token needed. Occupations and their synonyms, places of both sides, and posting titles starting with what was typed.")]
pub async fn complete(state: web::Data<AppState>, q: Query<CompleteQuery>) -> Result<HttpResponse, AppError> {
    let q = q.0;
    let typed = text(q.q).ok_or_else(|| AppError::bad_param("q", general::too_short(1)))?;
    if typed.chars().count() > 50 {
        return Err(AppError::bad_param("q", general::too_long(50)));
    }
    let limit = bounded("limit", &q.limit, 8, 20, 1)?;
    let search = state.search.clone();
    let t = typed.clone();
    let suggestions = web::block(move || search.complete(&t, limit, crate::clock::today()))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("typeahead task failed: {e}")))??;
    Ok(HttpResponse::Ok().json(Completions { q: typed, suggestions }))
}

/// Query of `GET /labourers/{id}/matches`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct MatchQuery {
    /// Hits, 1–100 (default 20).
    limit: Option<String>,
    /// Also list postings the person's profile matched but a hard filter
    /// (closed, no headcount left, age, gender, education) left out, and why.
    explain_filtered: Option<String>,
}

/// Postings for a person, with reasons (admin, clerk; a trainee their own).
#[utoipa::path(get, path = "/api/v1/labourers/{id}/matches", tag = "search", params(("id" = i64, Path), MatchQuery),
    responses((status = 200, body = MatchResults), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; trainee: own record only. Ranked by certificates, desired occupations, skills, desired regions, the paired district and housing; postings the person cannot take (closed, full, age, gender, education) are left out, and listed with reasons when `explain_filtered=true`.")]
pub async fn matches(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    q: Query<MatchQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    if !(caller.is(REGISTRY) || caller.owns_labourer(id)) {
        return Err(AppError::Forbidden(access::refused(
            "您只能查看为自己推荐的岗位",
            "you may see matches only for your own labourer record",
        )));
    }
    let limit = bounded("limit", &q.0.limit, 20, 100, 1)?;
    let explain = bool_param("explain_filtered", &q.0.explain_filtered)?.unwrap_or(false);
    let results = matches_of(&state, id, limit, explain).await?;
    Ok(HttpResponse::Ok().json(results))
}

/// Postings for labourer `id`, with reasons; the caller has been checked.
pub async fn matches_of(state: &AppState, id: i64, limit: usize, explain: bool) -> Result<MatchResults, AppError> {
    let search = state.search.clone();
    state
        .db
        .run(move |c| {
            let row = labourer::get(c, LabourerId(id))?.ok_or(AppError::NotFound(Thing::Labourer))?;
            let certs = enrolment::certificates(c, LabourerId(id))?;
            let profile = Profile::of(&row, &certs);
            let mut hires = |ids: &[i64]| -> anyhow::Result<HashMap<i64, i64>> {
                Ok(store::hires_of(c, ids)?.into_iter().collect())
            };
            search.matches(&profile, limit, explain, crate::clock::today(), &mut hires).map_err(AppError::Internal)
        })
        .await
}

/// Query of `GET /postings/{id}/candidates`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CandidateQuery {
    /// Hits, 1–100 (default 20).
    limit: Option<String>,
    /// Keep people who are in an ongoing placement (default false).
    include_employed: Option<String>,
}

/// A person ranked for a posting.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateHit {
    /// Labourer id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// ID number, masked.
    pub id_number: String,
    /// Rank score.
    pub score: f32,
    /// Reasons.
    pub why: Vec<Reason>,
}

/// Candidates.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateResults {
    /// Whether the posting takes applications today (the rule every view
    /// uses); people are ranked for it either way.
    pub taking_applications: bool,
    /// Why it does not, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_taking: Option<NotTakingReason>,
    /// People, best first.
    pub hits: Vec<CandidateHit>,
}

/// People for a posting, with reasons (admin, clerk).
#[utoipa::path(get, path = "/api/v1/postings/{id}/candidates", tag = "search", params(("id" = i64, Path), CandidateQuery),
    responses((status = 200, body = CandidateResults), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. ID numbers masked. People in an ongoing placement are left out unless `include_employed=true`; the posting's gender, age and education requirements are applied.")]
pub async fn candidates(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    q: Query<CandidateQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看岗位的推荐人选", "see candidates for a posting"))?;
    let id = path.into_inner();
    let limit = bounded("limit", &q.0.limit, 20, 100, 1)?;
    let include_employed = bool_param("include_employed", &q.0.include_employed)?.unwrap_or(false);
    let search = state.search.clone();
    let (not_taking, hits) = state
        .db
        .run(move |c| {
            let doc = store::postings_by_ids(c, &[id])?.pop().ok_or(AppError::NotFound(Thing::Posting))?;
            let today = crate::clock::today();
            let p = &doc.posting.data;
            let not_taking = availability(p.status.as_str(), p.opens_on, p.closes_on, p.headcount, doc.hired, today);
            let found = {
                let mut check = |ids: &[i64]| -> anyhow::Result<HashSet<i64>> {
                    Ok(store::employed_of(c, ids, today)?.into_iter().collect())
                };
                let employed: Option<&mut crate::search::query::EmployedOf<'_>> =
                    if include_employed { None } else { Some(&mut check) };
                search.candidates(&doc, limit, today, employed).map_err(AppError::Internal)?
            };
            let ids: Vec<i64> = found.iter().map(|f| f.id).collect();
            let people: HashMap<i64, (String, String)> = store::labourers_by_ids(c, &ids)?
                .into_iter()
                .map(|r| (r.id.get(), (r.data.name, mask_id_number(r.data.id_number.as_str()))))
                .collect();
            let hits = found
                .into_iter()
                .filter_map(|f| {
                    // Someone deleted since the index last saw them is skipped.
                    let (name, id_number) = people.get(&f.id)?.clone();
                    Some(CandidateHit { id: f.id, name, id_number, score: f.score, why: f.why })
                })
                .collect::<Vec<_>>();
            Ok((not_taking, hits))
        })
        .await?;
    Ok(HttpResponse::Ok().json(CandidateResults { taking_applications: not_taking.is_none(), not_taking, hits }))
}
