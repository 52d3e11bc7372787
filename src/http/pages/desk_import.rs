//! `/desk/imports`: a clerk uploads a roster, reads the dry run's report,
//! commits it, and downloads the rejected rows — the API's import
//! ([`import::run`]) underneath. Between the dry run and the commit the
//! file waits under `<data-dir>/page-imports/`, named by a random token
//! and its owner's user id; the commit deletes it once written, and a file
//! left waiting longer than [`KEPT_FOR`] (a dry run nobody committed) is
//! deleted by the next upload: rosters carry ID numbers and do not linger.

use std::path::PathBuf;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::session::{check_csrf, Posted, Viewer, CSRF_FIELD};
use super::{page, Chrome};
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::error::AppError;
use crate::http::api::imports::rejected_workbook;
use crate::http::auth::REGISTRY;
use crate::http::state::AppState;
use crate::http::upload;
use crate::import::{self, source, ImportKind, Mode, Options, Summary};
use crate::messages::{field_label, Text};

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    kinds: Vec<(&'static str, &'static str)>,
    /// Each kind's headers as the page explains them, with its template.
    guides: Vec<Guide>,
    error: Option<String>,
    report: Option<Summary>,
    kind: String,
    kind_label: &'static str,
    file_name: String,
    token: String,
    committed: bool,
    /// What became of the file, in words ([`outcome_zh`]).
    outcome: String,
    rejected: Vec<IssueLine>,
    /// Rows a check lets through that the commit will refuse: a character
    /// that looks lost in an export (`?` in a name) only warns while
    /// checking and rejects its row when committing.
    refused_on_commit: Vec<IssueLine>,
    warnings: Vec<IssueLine>,
}

/// A kind of roster as the page explains it: its template and, per field,
/// the header a template writes and the other wordings read as it.
struct Guide {
    kind: &'static str,
    label: &'static str,
    /// (header, required, other wordings joined by 、).
    columns: Vec<(&'static str, bool, String)>,
}

impl Guide {
    fn all() -> Vec<Guide> {
        ImportKind::ALL
            .iter()
            .map(|&k| Guide {
                kind: k.as_str(),
                label: k.label_zh(),
                columns: crate::import::kinds::columns(k)
                    .iter()
                    .filter(|c| !c.field.is_empty())
                    .map(|c| {
                        // Chinese wordings only: the last is the API's field name.
                        let others: Vec<&str> = c.names.iter().skip(1).copied().filter(|n| !n.is_ascii()).collect();
                        (c.names[0], c.required, others.join("、"))
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A rejected row's or a warning's line: the row, the column as the
/// clerk knows it, the message.
struct IssueLine {
    row: u32,
    column: String,
    message: String,
}

impl IssueLine {
    fn all(issues: &[import::RowIssue]) -> Vec<IssueLine> {
        issues
            .iter()
            .map(|i| IssueLine {
                row: i.row,
                // A remark on the whole file names no column.
                column: if i.field == "file" { String::new() } else { field_label(&i.field).to_string() },
                message: i.message.clone(),
            })
            .collect()
    }
}

/// An import's status (`dry_run`, `applied`, `refused`, `failed`) as the
/// page says it.
fn outcome_zh(s: &Summary) -> String {
    match s.status.as_str() {
        "dry_run" => "只做了检查，尚未写入任何记录：核对无误后点“确认导入”。".into(),
        "applied" if s.rejected.is_empty() => "已写入。".into(),
        "applied" => "其余各行已写入；被拒绝的行没有写入。".into(),
        "refused" => "有行被拒绝，未写入任何记录：改正后重新上传，或勾选“跳过被拒绝的行”后再确认导入。".into(),
        "failed" => {
            format!("导入失败，未写入任何记录{}", s.detail.as_deref().map(|d| format!("：{d}")).unwrap_or_default())
        }
        other => other.to_string(),
    }
}

/// Puts `summary` on the page with its lines in words.
fn show(p: &mut ImportPage, summary: Summary) {
    p.outcome = outcome_zh(&summary);
    p.rejected = IssueLine::all(&summary.rejected);
    let (on_commit, warnings): (Vec<_>, Vec<_>) =
        summary.warnings.iter().cloned().partition(|w| summary.status == "dry_run" && w.code == "lost_character");
    p.refused_on_commit = IssueLine::all(&on_commit);
    p.warnings = IssueLine::all(&warnings);
    p.report = Some(summary);
}

fn blank(viewer: &Viewer) -> ImportPage {
    ImportPage {
        chrome: Chrome::new(viewer, "导入名册"),
        kinds: ImportKind::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
        guides: Guide::all(),
        error: None,
        report: None,
        kind: String::new(),
        kind_label: "",
        file_name: String::new(),
        token: String::new(),
        committed: false,
        outcome: String::new(),
        rejected: Vec::new(),
        refused_on_commit: Vec::new(),
        warnings: Vec::new(),
    }
}

fn clerk(viewer: &Viewer) -> Result<Caller, AppError> {
    let caller = viewer.allowed(REGISTRY, ("导入名册", "import rosters"))?;
    Ok(caller)
}

/// How long a dry run's file waits for its commit.
pub const KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Whether the file at `path` has waited longer than [`KEPT_FOR`].
fn stale(path: &std::path::Path) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > KEPT_FOR)
}

/// Deletes every waiting file older than [`KEPT_FOR`]; what cannot be
/// read or deleted now is left for the next upload.
fn prune(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if stale(&path) {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::warn!(error = %e, "cannot delete an expired page import");
            }
        }
    }
}

/// A directory only the service's own user may open (a roster holds full
/// ID numbers): created so, or narrowed to so.
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Writes a file only the service's own user may read.
fn private_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)
}

/// Where a waiting file is kept.
fn stash(state: &AppState, caller: &Caller, token: &str) -> Result<PathBuf, AppError> {
    if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::invalid(
            "token",
            "format",
            Text::new("导入已失效，请重新上传", "the upload has expired; upload again"),
        ));
    }
    Ok(state.settings.data_dir.join("page-imports").join(format!("{}-{token}", caller.user_id)))
}

async fn run(state: &AppState, caller: &Caller, bytes: Vec<u8>, opts: Options) -> Result<Summary, AppError> {
    let (db, actor) = (state.db.clone(), Actor::from(caller));
    web::block(move || import::run(&db, &actor, &bytes, &opts, &mut |_| {}))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("import task failed: {e}")))?
}

/// `GET /desk/imports`.
pub async fn form(viewer: Viewer) -> Result<HttpResponse, AppError> {
    clerk(&viewer)?;
    page(&viewer, &blank(&viewer))
}

/// `GET /desk/imports/templates/{kind}.xlsx`: a kind's template, as the
/// API gives it, for a signed-in clerk's browser (the API's address wants a
/// token and answered the page's link with 401).
pub async fn template(viewer: Viewer, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    clerk(&viewer)?;
    crate::http::api::imports::template_file(path.into_inner()).await
}

/// `POST /desk/imports` (multipart): the dry run and its report.
pub async fn dry_run(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: Multipart,
) -> Result<HttpResponse, AppError> {
    let (file, fields) = upload::read_all(&req, body, state.settings.max_upload_bytes).await?;
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.trim().to_string());
    check_csrf(&req, field(CSRF_FIELD).as_deref())?;
    let caller = clerk(&viewer)?;
    let mut p = blank(&viewer);
    let kind = match field("kind").unwrap_or_default().parse::<ImportKind>() {
        Ok(k) => k,
        Err(m) => {
            p.error = Some(m.zh);
            return page(&viewer, &p);
        }
    };
    let Some(file) = file else {
        p.error = Some("请选择要上传的文件".into());
        return page(&viewer, &p);
    };
    let opts = Options {
        kind,
        mode: Mode::DryRun,
        accept_partial: false,
        file_name: file.file_name.clone(),
        encoding: source::Encoding::Detect,
    };
    match run(&state, &caller, file.bytes.clone(), opts).await {
        Ok(summary) => {
            let token = super::session::random_token()?;
            let path = stash(&state, &caller, &token)?;
            if let Some(dir) = path.parent() {
                private_dir(dir).map_err(|e| AppError::Internal(e.into()))?;
                prune(dir);
            }
            private_file(&path, &file.bytes).map_err(|e| AppError::Internal(e.into()))?;
            show(&mut p, summary);
            p.token = token;
        }
        Err(e @ (AppError::Validation(_) | AppError::BadRequest { .. })) => {
            p.error = Some(e.field_errors().first().map(|f| f.message.zh.clone()).unwrap_or_else(|| e.detail().zh));
        }
        Err(e) => return Err(e),
    }
    p.kind = kind.as_str().into();
    p.kind_label = kind.label_zh();
    p.file_name = file.file_name.unwrap_or_default();
    page(&viewer, &p)
}

/// `POST /desk/imports/commit`: writes the waiting file (the good rows
/// only when `accept_partial` is ticked).
pub async fn commit(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = clerk(&viewer)?;
    let token = posted.get("token").unwrap_or_default();
    let path = stash(&state, &caller, &token)?;
    if stale(&path) {
        let _ = std::fs::remove_file(&path);
    }
    let Ok(bytes) = std::fs::read(&path) else {
        // Committed already, or waited too long: the clerk uploads again.
        let mut p = blank(&viewer);
        p.error = Some("导入已失效（已经导入过，或检查后超过一天未导入），请重新上传文件".into());
        let mut res = page(&viewer, &p)?;
        *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    };
    let kind = posted
        .get("kind")
        .unwrap_or_default()
        .parse::<ImportKind>()
        .map_err(|m| AppError::invalid("kind", "choice", m))?;
    let file_name = posted.get("file_name");
    let opts = Options {
        kind,
        mode: Mode::Commit,
        accept_partial: posted.get("accept_partial").is_some(),
        file_name: file_name.clone(),
        encoding: source::Encoding::Detect,
    };
    let summary = run(&state, &caller, bytes, opts).await?;
    if summary.status != "refused" {
        let _ = std::fs::remove_file(&path);
    }
    let mut p = blank(&viewer);
    p.committed = summary.status != "refused";
    p.kind = kind.as_str().into();
    p.kind_label = kind.label_zh();
    p.file_name = file_name.unwrap_or_default();
    p.token = if p.committed { String::new() } else { token };
    show(&mut p, summary);
    page(&viewer, &p)
}

/// `GET /desk/imports/{id}/rejected.xlsx`: the API's rejected-rows workbook.
pub async fn rejected(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let caller = clerk(&viewer)?;
    rejected_workbook(&state, &caller, path.into_inner()).await
}
