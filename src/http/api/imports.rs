//! `/api/v1/imports`: rosters from Excel, WPS and CSV into the registry
//! (DESIGN §8), their summaries, their rejected rows as a workbook, and
//! empty templates. Roles: admin and clerk; an import is seen by whoever
//! ran it and by admins.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::ledgers::disposition;
use crate::auth::{Caller, Role};
use crate::db::models::audit::Actor;
use crate::db::models::import::{self as model, ImportRow};
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::{param, Query};
use crate::http::state::AppState;
use crate::http::upload;
use crate::import::{self, source, workbooks, ImportKind, Mode, Options, RowIssue, Summary};
use crate::messages::{Lang, Thing};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Query of an import.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `labourers`, `employers`, `postings`, `placements` or `vocational_enrolments` (required).
    kind: Option<String>,
    /// `dry_run` (default: check every row, write nothing) or `commit`.
    mode: Option<String>,
    /// `true`: write the good rows even if some are rejected.
    accept_partial: Option<String>,
    /// A CSV's encoding: `utf-8`, `gbk`/`gb18030`; default: detected.
    encoding: Option<String>,
}

/// The multipart body of an upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The roster: xlsx, xls, or csv (UTF-8 with or without BOM, GBK/GB18030).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

fn mode_of(raw: &Option<String>) -> Result<Mode, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") | Some("dry_run") => Ok(Mode::DryRun),
        Some("commit") => Ok(Mode::Commit),
        Some(other) => {
            Err(AppError::bad_param("mode", crate::messages::general::not_one_of(other, &["dry_run", "commit"])))
        }
    }
}

fn options(q: &ImportQuery, file_name: Option<String>) -> Result<Options, AppError> {
    let kind = match q.kind.as_deref() {
        None | Some("") => return Err(AppError::bad_param("kind", crate::messages::general::required("kind"))),
        Some(k) => k.parse::<ImportKind>().map_err(|m| AppError::bad_param("kind", m))?,
    };
    let encoding = match q.encoding.as_deref() {
        None | Some("") => source::Encoding::Detect,
        Some(e) => {
            e.parse().map_err(|m: String| AppError::bad_param("encoding", crate::messages::Text::new(m.clone(), m)))?
        }
    };
    Ok(Options {
        kind,
        mode: mode_of(&q.mode)?,
        accept_partial: param::<bool>("accept_partial", &q.accept_partial)?.unwrap_or(false),
        file_name,
        encoding,
    })
}

/// The answer to a commit that rejected rows and wrote nothing: 422
/// problem+json carrying the whole summary.
fn refused(summary: &Summary, lang: Lang) -> HttpResponse {
    let rows = summary.rejected_rows();
    let detail = crate::messages::imports::refused(rows);
    let errors: Vec<serde_json::Value> = summary
        .rejected
        .iter()
        .map(|r| serde_json::json!({"field": format!("rows[{}].{}", r.row, r.field), "code": r.code, "message": if lang == Lang::En { &r.message_en } else { &r.message }}))
        .collect();
    let mut body = serde_json::to_value(summary).unwrap_or_default();
    if let Some(obj) = body.as_object_mut() {
        obj.insert("type".into(), "https://labour-bridge.invalid/problems/422".into());
        obj.insert("title".into(), if lang == Lang::En { "Rows rejected" } else { "有行被拒绝" }.into());
        obj.insert("status".into(), 422.into());
        obj.insert("detail".into(), detail.get(lang).into());
        obj.insert("errors".into(), errors.into());
        obj.insert("outcome".into(), summary.status.clone().into());
    }
    HttpResponse::UnprocessableEntity().content_type("application/problem+json").json(body)
}

/// Import a roster (admin, clerk).
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(ImportQuery),
    request_body(content = UploadForm, content_type = "multipart/form-data", description = "the roster in the field `file`"),
    responses((status = 200, description = "dry run, or commit written", body = Summary),
        (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
        (status = 409, description = "a row meets a record written meanwhile; nothing written", body = crate::error::Problem),
        (status = 413, body = crate::error::Problem),
        (status = 422, description = "the file cannot be read (not what its name says, no header), or a commit rejected rows and wrote nothing (problem+json with the summary's fields)", body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. Upload up to `max_upload_bytes` (default 20 MiB).")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    q: Query<ImportQuery>,
    form: Multipart,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("导入名册", "import rosters"))?;
    // The query is checked before the upload is read.
    options(&q.0, None)?;
    let file = upload::read(&req, form, state.settings.max_upload_bytes).await?;
    let opts = options(&q.0, file.file_name)?;
    let (db, actor) = (state.db.clone(), Actor::from(&caller));
    let summary = web::block(move || import::run(&db, &actor, &file.bytes, &opts, &mut |_| {}))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("import task failed: {e}")))??;
    if summary.status == "refused" {
        return Ok(refused(&summary, lang));
    }
    Ok(HttpResponse::Ok().json(summary))
}

/// An import the caller may see: their own, or any for an admin.
async fn visible(state: &AppState, caller: &Caller, id: i64) -> Result<ImportRow, AppError> {
    require(caller, REGISTRY, ("查看导入", "read imports"))?;
    let row = state.db.run(move |c| Ok(model::get(c, id)?)).await?.ok_or(AppError::NotFound(Thing::Import))?;
    if caller.role != Role::Admin && row.actor_id != Some(caller.user_id) {
        return Err(AppError::NotFound(Thing::Import));
    }
    Ok(row)
}

/// An import's summary (admin; a clerk their own).
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports", params(("id" = i64, Path, description = "import id")),
    responses((status = 200, body = Summary), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin; clerk: imports they ran.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let row = visible(&state, &caller, path.into_inner()).await?;
    let summary: serde_json::Value = row.summary.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_else(
        || serde_json::json!({ "import_id": row.id, "kind": row.kind, "mode": row.mode, "status": row.status }),
    );
    Ok(HttpResponse::Ok().json(summary))
}

/// An import's rejected rows as they came, with a red 错误原因 column
/// (admin; a clerk their own). Audited: the rows hold ID numbers.
#[utoipa::path(get, path = "/api/v1/imports/{id}/rejected.xlsx", tag = "imports", params(("id" = i64, Path, description = "import id")),
    responses((status = 200, description = "xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin; clerk: imports they ran. Audited.")]
pub async fn rejected(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    rejected_workbook(&state, &caller, path.into_inner()).await
}

/// The rejected rows of import `id` as a workbook, for whoever may see the
/// import (the pages offer the same download); audited.
pub async fn rejected_workbook(state: &AppState, caller: &Caller, id: i64) -> Result<HttpResponse, AppError> {
    let row = visible(state, caller, id).await?;
    let (id, actor) = (row.id, Actor::from(caller));
    let headers: Vec<String> = row.headers.as_deref().and_then(|h| serde_json::from_str(h).ok()).unwrap_or_default();
    let kind = row.kind.parse::<crate::import::ImportKind>().ok();
    let bytes = state
        .db
        .write(move |c| {
            let _labels = kind.map(|k| crate::messages::Labels::of(k.thing()));
            let mut rows = Vec::new();
            let mut after = 0;
            loop {
                let staged = model::staged(c, id, &["rejected"], after, 1000)?;
                let Some(last) = staged.last() else { break };
                after = last.row_no;
                for s in staged {
                    let cells = s.cells.as_deref().and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default();
                    let issues: Vec<RowIssue> =
                        s.errors.as_deref().and_then(|e| serde_json::from_str(e).ok()).unwrap_or_default();
                    rows.push((s.row_no as u32, cells, issues));
                }
            }
            crate::registry::reads::unmasked_view(c, &actor, "import_rejected_rows", Some(id), None)?;
            workbooks::rejected(&headers, &rows)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header((
            header::CONTENT_DISPOSITION,
            disposition(&format!("import-{id}-rejected.xlsx"), &format!("导入{id}被拒绝的行.xlsx")),
        ))
        .body(bytes))
}

/// An empty template of a roster (admin, clerk).
#[utoipa::path(get, path = "/api/v1/imports/templates/{file}", tag = "imports",
    params(("file" = String, Path, description = "`{kind}.xlsx`, e.g. `labourers.xlsx`")),
    responses((status = 200, description = "xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn template(caller: Caller, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("下载模板", "download templates"))?;
    template_file(path.into_inner()).await
}

/// The template `file` (`{kind}.xlsx`) names, as a download; 404 for any
/// other name. The caller checks who is asking.
pub async fn template_file(file: String) -> Result<HttpResponse, AppError> {
    let kind: ImportKind =
        file.strip_suffix(".xlsx").and_then(|k| k.parse().ok()).ok_or(AppError::NotFound(Thing::Route))?;
    let bytes = web::block(move || workbooks::template(kind))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template task failed: {e}")))??;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header((
            header::CONTENT_DISPOSITION,
            disposition(&format!("{}-template.xlsx", kind.as_str()), &format!("{}模板.xlsx", kind.label_zh())),
        ))
        .body(bytes))
}
