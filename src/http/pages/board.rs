//! `/fairs/{id}/board`: the fair's postings, printable, each with a QR code
//! that opens the posting's page on a phone.

use actix_web::{web, HttpResponse};
use askama::Template;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::fair_postings::{fair_postings, FairPosting};
use super::session::Viewer;
use super::{page, Chrome};
use crate::db::models::audit::Actor;
use crate::db::models::job_fair::JobFairRow;
use crate::domain::JobFairId;
use crate::error::AppError;
use crate::http::auth::MANAGERS;
use crate::http::state::AppState;
use crate::registry::fairs::managed;

/// One posting on the board.
struct Card {
    title: String,
    employer: String,
    pay: String,
    headcount: i32,
    url: String,
    qr: String,
}

#[derive(Template)]
#[template(path = "fair_board.html")]
struct BoardPage {
    chrome: Chrome,
    fair: JobFairRow,
    cards: Vec<Card>,
    /// The address the codes open is this machine's own (`public_url` not
    /// set): a phone scanning them reaches nothing.
    loopback: Option<String>,
}

/// A QR code for `url` as inline SVG.
pub fn qr_svg(url: &str) -> Result<String, AppError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr code: {e}")))?;
    Ok(code.render::<svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build())
}

/// `GET /fairs/{id}/board`.
pub async fn show(state: web::Data<AppState>, viewer: Viewer, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(MANAGERS, ("打印招聘会岗位", "print a fair's board"))?;
    let (fair, actor) = (JobFairId(path.into_inner()), Actor::from(&caller));
    let (row, postings) = state
        .db
        .run(move |c| {
            let row = managed(c, &actor, fair)?;
            let postings = fair_postings(c, fair, row.data.held_on)?;
            Ok((row, postings))
        })
        .await?;
    let base = state.settings.public_url.trim_end_matches('/').to_string();
    let host = base.split("://").nth(1).unwrap_or(&base).split(['/', ':']).next().unwrap_or_default();
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "0.0.0.0").then(|| base.clone());
    let mut cards = Vec::new();
    for FairPosting { row: p, employer, .. } in postings.into_iter().filter(|p| p.taking) {
        let url = format!("{base}/postings/{}", p.id.get());
        let pay = match (p.data.salary_min, p.data.salary_max) {
            (Some(lo), Some(hi)) => format!("{lo}–{hi} 元/月"),
            (Some(lo), None) => format!("{lo} 元/月起"),
            _ => "面议".to_string(),
        };
        cards.push(Card { qr: qr_svg(&url)?, title: p.data.title, employer, pay, headcount: p.data.headcount, url });
    }
    let chrome = Chrome::new(&viewer, format!("{} · 岗位", row.data.name));
    page(&viewer, &BoardPage { chrome, fair: row, cards, loopback })
}
