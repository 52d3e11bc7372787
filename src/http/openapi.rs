//! The OpenAPI document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api::{
    audit, deadlines, duplicates, employers, enrolments, fair_desk, fairs, imports, labourers, ledgers, placements,
    postings, reconciliations, saved_searches, search, session, submissions, targets, training, users, vocational,
};

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = api.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// Every route of the service.
#[derive(OpenApi)]
#[openapi(
    info(title = "labour-bridge", description = "East–west labour cooperation registry (粤桂劳务协作). Roles per route are in each description."),
    paths(
        super::healthz, super::ops::readyz, super::ops::metrics_admin,
        openapi_json,
        session::login, session::logout, session::me, users::change_password,
        users::create, users::list, users::get, users::patch,
        labourers::create, labourers::list, labourers::get, labourers::patch, labourers::delete,
        duplicates::list, duplicates::merge, duplicates::dismiss,
        employers::create, employers::list, employers::get, employers::patch, employers::delete,
        postings::create, postings::list, postings::get, postings::patch, postings::delete,
        placements::create, placements::list, placements::get, placements::patch, placements::delete,
        audit::list,
        fairs::create, fairs::list, fairs::get, fairs::patch, fairs::delete,
        fairs::add_employer, fairs::employers, fairs::remove_employer,
        fair_desk::check_in, fair_desk::attendees, fair_desk::add_intention, fair_desk::intentions, fair_desk::set_outcome,
        training::create_programme, training::programmes, training::programme, training::patch_programme, training::delete_programme,
        training::create_session, training::sessions, training::session, training::patch_session, training::delete_session,
        enrolments::enrol, enrolments::enrolments, enrolments::set_outcome,
        vocational::create, vocational::list, vocational::get, vocational::patch, vocational::delete,
        targets::create_target, targets::targets, targets::progress, targets::target, targets::patch_target, targets::delete_target,
        deadlines::create_deadline, deadlines::deadlines, deadlines::deadline, deadlines::patch_deadline, deadlines::delete_deadline,
        ledgers::ledger, ledgers::bundle_xlsx,
        submissions::create, submissions::list, submissions::get, submissions::retry, submissions::attachment,
        search::search, search::complete, search::matches, search::candidates,
        saved_searches::create, saved_searches::list, saved_searches::unsubscribe, saved_searches::delete,
        imports::create, imports::get, imports::rejected, imports::template, reconciliations::create,
    ),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

/// This document (anyone).
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3 document")),
    description = "No authentication needed.")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(document())
}

/// The document served: generated, then tidied ([`super::openapi_tidy`]).
pub fn document() -> &'static serde_json::Value {
    static DOC: std::sync::LazyLock<serde_json::Value> = std::sync::LazyLock::new(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        super::openapi_tidy::tidy(&mut doc);
        doc
    });
    &DOC
}
