//! The pages' static files, compiled into the binary and served under a
//! name that carries a hash of their content (`/static/app.3f2a9c01d4.css`),
//! so a browser may keep them for a year: a changed file has a new name.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::messages::Thing;

/// One served file.
pub struct Asset {
    /// Its name in the source tree, e.g. `app.css`.
    pub name: &'static str,
    /// The URL it is served at, with the content hash.
    pub url: String,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $path:literal, $type:literal) => {
        ($name, $type, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/", $path)) as &'static [u8])
    };
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    [
        asset!("app.css", "app.css", "text/css; charset=utf-8"),
        asset!("app.js", "app.js", "text/javascript; charset=utf-8"),
        asset!("htmx.js", "vendor/htmx.min.js", "text/javascript; charset=utf-8"),
        asset!("echarts.js", "vendor/echarts.min.js", "text/javascript; charset=utf-8"),
    ]
    .into_iter()
    .map(|(name, content_type, body)| {
        let hash = hex::encode(&Sha256::digest(body)[..5]);
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        Asset { name, url: format!("/static/{stem}.{hash}.{ext}"), content_type, body }
    })
    .collect()
});

/// The URL of the file `name` (e.g. `app.css`); `#` for an unknown name,
/// which a test would notice.
pub fn url(name: &str) -> &'static str {
    ASSETS.iter().find(|a| a.name == name).map(|a| a.url.as_str()).unwrap_or("#")
}

/// `GET /static/{file}`: the file if the name carries its current hash.
pub async fn serve(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let wanted = format!("/static/{}", path.into_inner());
    let asset = ASSETS.iter().find(|a| a.url == wanted).ok_or(AppError::NotFound(Thing::Route))?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(asset.body))
}
