//! Deleting an employer, a posting or a job (就业登记) registered in error
//! from the desk: a page that asks to confirm (no script needed), then the
//! registry's delete, which is audited and refused in words while anything
//! still refers to the record (the API's rule: an employer with postings,
//! placements or fairs; a posting a placement fills — close it instead).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::session::{Posted, Viewer};
use super::{page, see_other, Chrome};
use crate::db::models::audit::Actor;
use crate::db::models::employer::EmployerRow;
use crate::db::models::placement::PlacementRow;
use crate::db::models::posting::PostingRow;
use crate::domain::{EmployerId, LabourerId, PlacementId, PostingId};
use crate::error::AppError;
use crate::http::auth::REGISTRY;
use crate::http::state::AppState;
use crate::messages::Thing;
use crate::registry::{employers, kinds, load, placements, postings};

#[derive(Template)]
#[template(path = "confirm_delete.html")]
struct ConfirmPage {
    chrome: Chrome,
    /// What is deleted, e.g. 用人单位“某厂”.
    what: String,
    /// What deleting means and when it is refused.
    consequence: &'static str,
    /// Where 确认删除 posts.
    action: String,
    /// Where 取消 leads.
    back: String,
    /// Why the deletion was just refused (it is still referred to).
    refused: Option<String>,
}

/// The page asking to confirm deleting `what`.
fn confirm(
    viewer: &Viewer,
    what: String,
    consequence: &'static str,
    action: String,
    back: String,
) -> Result<HttpResponse, AppError> {
    let chrome = Chrome::new(viewer, format!("删除{what}"));
    page(viewer, &ConfirmPage { chrome, what, consequence, action, back, refused: None })
}

/// The same page after the registry refused the deletion (409): why, in
/// words, beside what to do instead and the way back — a bare error page
/// with only 返回首页 sent the clerk away from the record.
fn refused(
    viewer: &Viewer,
    done: Result<HttpResponse, AppError>,
    what: String,
    consequence: &'static str,
    action: String,
    back: String,
) -> Result<HttpResponse, AppError> {
    match done {
        Err(AppError::Conflict { detail, .. }) => {
            let chrome = Chrome::new(viewer, format!("删除{what}"));
            let p = ConfirmPage { chrome, what, consequence, action, back, refused: Some(detail.zh) };
            let mut res = page(viewer, &p)?;
            *res.status_mut() = actix_web::http::StatusCode::CONFLICT;
            Ok(res)
        }
        other => other,
    }
}

const EMPLOYER_RULE: &str = "删除后不能恢复；仍有岗位、就业登记或招聘会引用该单位时不能删除，请先处理这些记录。";
const PLACEMENT_RULE: &str =
    "只用于删除登记错了的就业登记（如同一份工作登记了两次），删除后不能恢复，台账随之改变；工作结束了请在这一行登记离职时间，不要删除。";
const POSTING_RULE: &str = "删除后不能恢复；已有人通过该岗位就业时不能删除，可把岗位状态改为“已关闭”。";

/// `GET /desk/employers/{id}/delete`: asks to confirm.
pub async fn employer_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("删除用人单位", "delete employers"))?;
    let id = path.into_inner();
    let e = state.db.run(move |c| load::<EmployerRow>(c, kinds::EMPLOYER, EmployerId(id))).await?;
    let what = format!("用人单位“{}”", e.data.name);
    confirm(&viewer, what, EMPLOYER_RULE, format!("/desk/employers/{id}/delete"), format!("/desk/employers/{id}"))
}

/// `POST /desk/employers/{id}/delete`: deletes, then the list.
pub async fn employer(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("删除用人单位", "delete employers"))?;
    let (id, actor) = (EmployerId(path.into_inner()), Actor::from(&caller));
    let name = state.db.run(move |c| Ok(load::<EmployerRow>(c, kinds::EMPLOYER, id)?.data.name)).await?;
    let done =
        state.db.write(move |c| employers::delete(c, &actor, id)).await.map(|_| see_other("/desk/employers?deleted=1"));
    let n = id.get();
    let (action, back) = (format!("/desk/employers/{n}/delete"), format!("/desk/employers/{n}"));
    refused(&viewer, done, format!("用人单位“{name}”"), EMPLOYER_RULE, action, back)
}

/// `GET /desk/postings/{id}/delete`: asks to confirm.
pub async fn posting_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("删除岗位", "delete postings"))?;
    let id = path.into_inner();
    let row = state.db.run(move |c| load::<PostingRow>(c, kinds::POSTING, PostingId(id))).await?;
    let what = format!("岗位“{}”", row.data.title);
    let back = format!("/desk/employers/{}#postings", row.data.employer_id.get());
    confirm(&viewer, what, POSTING_RULE, format!("/desk/postings/{id}/delete"), back)
}

/// `POST /desk/postings/{id}/delete`: deletes, then its employer's page.
pub async fn posting(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("删除岗位", "delete postings"))?;
    let (id, actor) = (PostingId(path.into_inner()), Actor::from(&caller));
    let row = state.db.run(move |c| load::<PostingRow>(c, kinds::POSTING, id)).await?;
    let employer = row.data.employer_id.get();
    let done = state
        .db
        .write(move |c| postings::delete(c, &actor, id))
        .await
        .map(|_| see_other(&format!("/desk/employers/{employer}?posting_deleted=1#postings")));
    let (action, back) =
        (format!("/desk/postings/{}/delete", id.get()), format!("/desk/employers/{employer}#postings"));
    refused(&viewer, done, format!("岗位“{}”", row.data.title), POSTING_RULE, action, back)
}

/// The job `job` of person `id`, or 404 (a page's address names both).
fn job_of(c: &mut crate::db::DbConnection, id: i64, job: i64) -> Result<PlacementRow, AppError> {
    let row: PlacementRow = load(c, kinds::PLACEMENT, PlacementId(job))?;
    if row.data.labourer_id != LabourerId(id) {
        return Err(AppError::NotFound(Thing::Placement));
    }
    Ok(row)
}

/// `GET /desk/labourers/{id}/placements/{placement}/delete`: asks to confirm.
pub async fn placement_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("删除就业登记", "delete placements"))?;
    let (id, job) = path.into_inner();
    let (row, employer) = state
        .db
        .run(move |c| {
            let row = job_of(c, id, job)?;
            // The registered employer's name, else the name typed.
            let registered = match row.data.employer_id {
                Some(e) => crate::db::models::employer::names_by_id(c, &[e.get()])?.pop().map(|(_, n)| n),
                None => None,
            };
            let employer = registered.or_else(|| row.data.employer_name.clone()).unwrap_or_default();
            Ok((row, employer))
        })
        .await?;
    let what = format!(
        "就业登记（{}起{}）",
        row.data.started_on,
        if employer.is_empty() { String::new() } else { format!("，{employer}") }
    );
    let action = format!("/desk/labourers/{id}/placements/{job}/delete");
    confirm(&viewer, what, PLACEMENT_RULE, action, format!("/desk/labourers/{id}#placements"))
}

/// `POST /desk/labourers/{id}/placements/{placement}/delete`: deletes (the
/// registry's delete: audited, the person's east spells worked out again),
/// then the person's page.
pub async fn placement(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("删除就业登记", "delete placements"))?;
    let ((id, job), actor) = (path.into_inner(), Actor::from(&caller));
    state
        .db
        .write(move |c| {
            job_of(c, id, job)?;
            placements::delete(c, &actor, PlacementId(job))
        })
        .await?;
    Ok(see_other(&format!("/desk/labourers/{id}?job_deleted=1#placements")))
}
