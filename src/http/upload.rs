//! Reading an uploaded file (multipart/form-data, field `file`) within the
//! upload limit: a body larger than `max_upload_bytes` is a 413 as soon as
//! its declared length or its bytes say so, before it is all read.

use actix_multipart::{Multipart, MultipartError};
use actix_web::{http::header, HttpRequest};
use futures_util::TryStreamExt;

use crate::error::{AppError, FieldError};
use crate::messages::Text;

/// A file as uploaded.
#[derive(Debug)]
pub struct Upload {
    /// The file name the browser sent, if any.
    pub file_name: Option<String>,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

fn not_multipart(e: MultipartError) -> AppError {
    let why = Text::new(
        format!("请以 multipart/form-data 方式上传文件，文件放在“file”字段（{e}）"),
        format!("upload the file as multipart/form-data in the field `file` ({e})"),
    );
    AppError::BadRequest { detail: why.clone(), errors: vec![FieldError::new("file", "multipart", why)] }
}

/// Reads the `file` field of a multipart body; other fields are skipped.
pub async fn read(req: &HttpRequest, mut form: Multipart, limit: usize) -> Result<Upload, AppError> {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    // The multipart envelope adds a little to the file itself.
    if declared.is_some_and(|n| n > limit.saturating_add(64 * 1024)) {
        return Err(AppError::PayloadTooLarge(limit));
    }
    while let Some(mut field) = form.try_next().await.map_err(not_multipart)? {
        if field.name() != Some("file") {
            while field.try_next().await.map_err(not_multipart)?.is_some() {}
            continue;
        }
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(not_multipart)? {
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Upload { file_name, bytes });
    }
    let why = Text::new("请选择要上传的文件（字段“file”）", "attach the file in the multipart field `file`");
    Err(AppError::Validation(vec![FieldError::new("file", "required", why)]))
}

/// Reads every field of a multipart form: the `file` (as [`read`] does,
/// within `limit`) and the small text fields beside it (a page's CSRF
/// token and choices; at most 4 KiB each). A missing file is `None`.
pub async fn read_all(
    req: &HttpRequest,
    mut form: Multipart,
    limit: usize,
) -> Result<(Option<Upload>, Vec<(String, String)>), AppError> {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit.saturating_add(64 * 1024)) {
        return Err(AppError::PayloadTooLarge(limit));
    }
    let (mut file, mut fields) = (None, Vec::new());
    while let Some(mut field) = form.try_next().await.map_err(not_multipart)? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == "file";
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string());
        let cap = if is_file { limit } else { 4096 };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(not_multipart)? {
            if bytes.len() + chunk.len() > cap {
                return Err(AppError::PayloadTooLarge(cap));
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            if !bytes.is_empty() {
                file = Some(Upload { file_name, bytes });
            }
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok((file, fields))
}
