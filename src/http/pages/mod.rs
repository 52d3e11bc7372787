//! The people's pages (DESIGN §9): server-rendered Chinese HTML from askama
//! templates (`templates/`), a little htmx, assets from the binary. Every
//! page reads and writes through the same registry and model functions as
//! the API handlers, with the same roles, object checks and masking.

pub mod assets;
pub mod board;
pub mod dashboard;
pub mod dashboard_figures;
pub mod desk;
pub mod desk_delete;
pub mod desk_duplicates;
pub mod desk_employers;
pub mod desk_import;
pub mod desk_person;
pub mod desk_postings;
pub mod employer_choice;
pub mod errors;
pub mod fair_desk;
pub mod fair_postings;
pub mod forms;
pub mod saved_searches;
pub mod search;
pub mod session;
pub mod sign_in;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::auth::Role;
use crate::error::AppError;
use session::Viewer;

/// The `year` a page's query asks for, when it is one a ledger takes
/// (2000–2100); anything else is as if none was asked.
///
/// Errors: a `year` that is not a year from 2000 to 2100 (`year=abc`,
/// `year=1800`) is a 400 naming it, rather than quietly another year's page.
pub fn year_asked(q: &[(String, String)]) -> Result<Option<i32>, AppError> {
    let Some((_, given)) = q.iter().find(|(k, _)| k == "year") else { return Ok(None) };
    let given = given.trim();
    if given.is_empty() {
        return Ok(None);
    }
    match given.parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(AppError::bad_param(
            "year",
            crate::messages::Text::new(
                format!("年度应为 2000 到 2100 之间的年份，现在是“{given}”"),
                format!("the year must be from 2000 to 2100, got '{given}'"),
            ),
        )),
    }
}

/// Registers the pages' routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // Only the public, immutable assets are compressed (htmx and ECharts
    // are most of a first load's bytes); pages are not, since they carry a
    // CSRF token beside text a visitor typed (BREACH).
    cfg.service(
        web::scope("/static")
            .wrap(actix_web::middleware::Compress::default())
            .route("/{file}", web::get().to(assets::serve)),
    )
    .route("/login", web::get().to(sign_in::form))
    .route("/login", web::post().to(sign_in::submit))
    .route("/logout", web::post().to(sign_in::sign_out))
    .route("/", web::get().to(search::home))
    .route("/search/results", web::get().to(search::results))
    .route("/search/complete", web::get().to(search::complete))
    .route("/postings/{id}", web::get().to(search::posting))
    .route("/saved-searches", web::post().to(saved_searches::save))
    .route("/saved-searches", web::get().to(saved_searches::list))
    .route("/saved-searches/{id}/delete", web::post().to(saved_searches::delete))
    .route("/fairs", web::get().to(fair_desk::list))
    .route("/fairs/{id}/desk", web::get().to(fair_desk::show))
    .route("/fairs/{id}/check-ins", web::post().to(fair_desk::check_in))
    .route("/fairs/{id}/intentions", web::post().to(fair_desk::add_intention))
    .route("/fairs/{id}/intentions/{intention_id}/hire", web::post().to(fair_desk::hire))
    .route("/fairs/{id}/board", web::get().to(board::show))
    .route("/desk", web::get().to(desk::find))
    .route("/desk/labourers/new", web::get().to(desk::new_form))
    .route("/desk/labourers/new", web::post().to(desk::create))
    .route("/desk/labourers/{id}", web::get().to(desk_person::show))
    .route("/desk/labourers/{id}/edit", web::get().to(desk::edit_form))
    .route("/desk/labourers/{id}/edit", web::post().to(desk::update))
    .route("/desk/labourers/{id}/placements", web::post().to(desk_person::add_placement))
    .route("/desk/labourers/{id}/placements/{placement}/end", web::post().to(desk_person::end_placement))
    .route("/desk/labourers/{id}/placements/{placement}/delete", web::get().to(desk_delete::placement_form))
    .route("/desk/labourers/{id}/placements/{placement}/delete", web::post().to(desk_delete::placement))
    .route("/desk/employers", web::get().to(desk_employers::list))
    .route("/desk/employers/options", web::get().to(employer_choice::employer_options))
    .route("/desk/employers/new", web::get().to(desk_employers::new_form))
    .route("/desk/employers/new", web::post().to(desk_employers::create))
    .route("/desk/employers/{id}", web::get().to(desk_employers::show))
    .route("/desk/employers/{id}/edit", web::get().to(desk_employers::edit_form))
    .route("/desk/employers/{id}/edit", web::post().to(desk_employers::update))
    .route("/desk/employers/{id}/delete", web::get().to(desk_delete::employer_form))
    .route("/desk/employers/{id}/delete", web::post().to(desk_delete::employer))
    .route("/desk/postings/{id}/delete", web::get().to(desk_delete::posting_form))
    .route("/desk/postings/{id}/delete", web::post().to(desk_delete::posting))
    .route("/desk/postings/new", web::get().to(desk_postings::new_form))
    .route("/desk/postings/new", web::post().to(desk_postings::create))
    .route("/desk/postings/{id}/edit", web::get().to(desk_postings::edit_form))
    .route("/desk/postings/{id}/edit", web::post().to(desk_postings::update))
    .route("/desk/duplicates", web::get().to(desk_duplicates::list))
    .route("/desk/duplicates/{a}/{b}/merge", web::get().to(desk_duplicates::merge_form))
    .route("/desk/duplicates/{a}/{b}/merge", web::post().to(desk_duplicates::merge))
    .route("/desk/duplicates/{a}/{b}/dismiss", web::post().to(desk_duplicates::dismiss))
    .route("/desk/imports", web::get().to(desk_import::form))
    .route("/desk/imports", web::post().to(desk_import::dry_run))
    .route("/desk/imports/commit", web::post().to(desk_import::commit))
    .route("/desk/imports/templates/{file}", web::get().to(desk_import::template))
    .route("/desk/imports/{id}/rejected.xlsx", web::get().to(desk_import::rejected))
    .route("/dashboard", web::get().to(dashboard::show))
    .route("/dashboard/bundle", web::get().to(dashboard::bundle))
    .route("/dashboard/submissions", web::post().to(dashboard::submit))
    .route("/dashboard/submissions/{id}/retry", web::post().to(dashboard::retry))
    .route("/dashboard/ledgers/{kind}", web::get().to(dashboard::ledger));
}

/// What every page's frame shows: title, assets, who is signed in, the
/// navigation for their role and the CSRF token for its forms.
pub struct Chrome {
    /// The page's title.
    pub title: String,
    /// Stylesheet URL.
    pub css: &'static str,
    /// htmx URL.
    pub htmx: &'static str,
    /// Our own script's URL.
    pub js: &'static str,
    /// Signed-in username.
    pub username: Option<String>,
    /// Their role, in Chinese.
    pub role_label: &'static str,
    /// Links for their role.
    pub nav: Vec<(&'static str, &'static str)>,
    /// The CSRF token.
    pub csrf: String,
}

impl Chrome {
    /// The frame of a page titled `title` for `viewer`.
    pub fn new(viewer: &Viewer, title: impl Into<String>) -> Chrome {
        let role = viewer.caller.as_ref().map(|c| c.role);
        let nav = match role {
            Some(Role::Admin) | Some(Role::Clerk) => {
                vec![("/", "岗位搜索"), ("/desk", "服务台"), ("/fairs", "招聘会"), ("/dashboard", "数据看板")]
            }
            Some(Role::Organiser) => vec![("/", "岗位搜索"), ("/fairs", "招聘会")],
            Some(Role::Trainee) => vec![("/", "岗位搜索"), ("/saved-searches", "我的订阅")],
            None => vec![("/", "岗位搜索")],
        };
        Chrome {
            title: title.into(),
            css: assets::url("app.css"),
            htmx: assets::url("htmx.js"),
            js: assets::url("app.js"),
            username: viewer.caller.as_ref().map(|c| c.username.clone()),
            role_label: role.map(Role::label_zh).unwrap_or(""),
            nav,
            csrf: viewer.csrf.clone(),
        }
    }
}

impl Chrome {
    /// The frame of a page shown to nobody in particular (error pages).
    pub fn bare(title: &str) -> Chrome {
        Chrome {
            title: title.to_string(),
            css: assets::url("app.css"),
            htmx: assets::url("htmx.js"),
            js: assets::url("app.js"),
            username: None,
            role_label: "",
            nav: vec![("/", "岗位搜索")],
            csrf: String::new(),
        }
    }
}

/// Renders a template into HTML.
pub fn html(t: &impl Template) -> Result<String, AppError> {
    t.render().map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))
}

/// A whole page (or fragment) as a 200 answer, never cached (it may show
/// personal data), with the CSRF cookie when the browser had none.
pub fn page(viewer: &Viewer, t: &impl Template) -> Result<HttpResponse, AppError> {
    let body = html(t)?;
    Ok(viewer.finish(
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(body),
    ))
}

/// A 303 to `to` (after a form post).
pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_string())).finish()
}

/// The registry's field errors, in Chinese, by field: a form shows each
/// beside its field.
#[derive(Default)]
pub struct FieldMessages {
    list: Vec<(String, String)>,
    /// The record a duplicate ID number or USCC already names.
    existing: Option<i64>,
    /// The refusal is of a stale version (someone else saved the record
    /// after the form was read).
    stale: bool,
}

impl FieldMessages {
    /// From a 422's field errors.
    pub fn of(list: &[crate::error::FieldError]) -> FieldMessages {
        FieldMessages {
            list: list.iter().map(|e| (e.field.clone(), e.message.zh.clone())).collect(),
            existing: None,
            stale: false,
        }
    }

    /// One field's message.
    pub fn one(field: &str, message: String) -> FieldMessages {
        FieldMessages { list: vec![(field.to_string(), message)], existing: None, stale: false }
    }

    /// The same messages, saying that they are about a duplicate of the
    /// record `id` (a form page links to it).
    pub fn about_existing(self, id: Option<i64>) -> FieldMessages {
        FieldMessages { existing: id, ..self }
    }

    /// The same messages, saying that the record changed after its form
    /// was read.
    pub fn stale(self) -> FieldMessages {
        FieldMessages { stale: true, ..self }
    }

    /// Whether the record changed after its form was read.
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// The record a duplicate already names, if these are about one.
    pub fn existing(&self) -> Option<i64> {
        self.existing
    }

    /// The message for `field`, if it failed.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.list.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// Whether no field failed.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether `field` failed.
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Messages of fields the form does not show (listed above it), each
    /// after its field's Chinese name; a message about the whole record alone.
    pub fn others(&self, shown: &[&str]) -> Vec<String> {
        self.list
            .iter()
            .filter(|(f, _)| !shown.contains(&f.as_str()))
            .map(|(f, m)| if f.is_empty() { m.clone() } else { format!("{}：{m}", crate::messages::field_label(f)) })
            .collect()
    }
}
