//! The postings a fair offers: on its board (QR codes) and for the
//! intentions recorded at its desk.

use std::collections::HashMap;

use crate::db::models::employer as employer_model;
use crate::db::models::job_fair as model;
use crate::db::models::posting::{self as posting_model, PostingFilter, PostingRow};
use crate::domain::rules::{self, PostingTerms};
use crate::domain::{JobFairId, PostingStatus};
use crate::error::AppError;

/// A posting offered at a fair.
pub struct FairPosting {
    /// The posting.
    pub row: PostingRow,
    /// Its employer's name.
    pub employer: String,
    /// Whether it takes applications on the fair's day
    /// ([`rules::taking_applications`]: open, within its dates, places left).
    pub taking: bool,
}

/// The fair's postings: those announced with it, else its employers' open
/// ones (at most 100 each), each with its employer's name and whether it
/// takes applications on the fair's day `day`. Closed postings are left
/// out: an employer's first 100 postings ever registered are mostly closed
/// after a few years, and the board would print those instead of the jobs
/// it came to fill; the board and the intentions offer only the ones taking
/// applications (a posting past its closing day or with every place filled
/// was printed, and its code opened a page a visitor may not see).
pub fn fair_postings(
    c: &mut crate::db::DbConnection,
    fair: JobFairId,
    day: chrono::NaiveDate,
) -> Result<Vec<FairPosting>, AppError> {
    let mut rows = posting_model::list(c, &PostingFilter { job_fair_id: Some(fair), ..Default::default() }, 0, 500)?;
    if rows.is_empty() {
        for e in model::employers_of(c, fair)? {
            let open =
                PostingFilter { employer_id: Some(e.id), status: Some(PostingStatus::Open), ..Default::default() };
            rows.extend(posting_model::list(c, &open, 0, 100)?);
        }
    }
    let ids: Vec<i64> = rows.iter().map(|p| p.id.get()).collect();
    let hires: HashMap<i64, i64> = crate::db::models::search::hires_of(c, &ids)?.into_iter().collect();
    let employer_ids: Vec<i64> = rows.iter().map(|p| p.data.employer_id.get()).collect();
    let names: HashMap<i64, String> = employer_model::names_by_id(c, &employer_ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let terms = PostingTerms {
                status: row.data.status,
                opens_on: row.data.opens_on,
                closes_on: row.data.closes_on,
                headcount: row.data.headcount,
            };
            let hired = hires.get(&row.id.get()).copied().unwrap_or(0);
            FairPosting {
                employer: names.get(&row.data.employer_id.get()).cloned().unwrap_or_default(),
                taking: rules::taking_applications(&terms, hired, day).is_ok(),
                row,
            }
        })
        .collect())
}
