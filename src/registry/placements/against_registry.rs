//! The rules a placement must meet against the registry before it is
//! saved, new or changed (DESIGN §4): dates in order and not ahead of
//! today, someone to work for, the records it names there and agreeing,
//! a start after the worker's 16th birthday, and no overlap of two
//! full-time jobs.

use crate::db::models::enrolment;
use crate::db::models::labourer;
use crate::db::models::placement::{self as model, PlacementData, PlacementRow};
use crate::db::models::posting::PostingRow;
use crate::db::DbConnection;
use crate::domain::rules::{self, Span};
use crate::domain::PlacementId;
use crate::error::{AppError, Errors, FieldError};
use crate::messages::{general, registry as msg, Thing};

/// The rules a new placement must meet against the registry (those of
/// [`check_whole`]); the posting it names fills in employer and occupation.
pub fn check_new(c: &mut DbConnection, d: &mut PlacementData) -> Result<(), AppError> {
    check_whole(c, d, None)
}

/// The rules on a placement as it would be saved: dates in order, someone
/// to work for, the records it names exist and agree, and a full-time job
/// that overlaps no other full-time job of the person (DESIGN §4).
pub(super) fn check_whole(
    c: &mut DbConnection,
    d: &mut PlacementData,
    except: Option<PlacementId>,
) -> Result<(), AppError> {
    let mut e = Errors::default();
    if !rules::ends_in_order(d.started_on, d.ended_on) {
        e.push("ended_on", "date_order", general::date_order("ended_on", "started_on"));
    }
    // The day someone left is known once they have: 2027 typed for 2021
    // was kept, and the job then counted as held for years to come.
    let today = crate::clock::today();
    if let Some(ended) = d.ended_on.filter(|d| *d > today) {
        e.push("ended_on", "future", msg::ended_in_future(ended, today));
    }
    if d.employer_id.is_none() && d.employer_name.is_none() && d.posting_id.is_none() {
        e.push("employer_id", "required", msg::employer_needed());
    }
    // The person's row lock serialises checks across their placements.
    if !labourer::lock(c, d.labourer_id)? {
        e.push("labourer_id", "not_found", general::no_such(Thing::Labourer));
    } else if let Some(person) = labourer::get(c, d.labourer_id)? {
        // A job begun before its worker was born (or was 16) is a
        // mistyped year (1800-01-01 was once saved, and then every real
        // job of the person overlapped it).
        crate::registry::birth::check_job_start(&mut e, "started_on", d.started_on, person.data.birth_date);
    }
    if let Some(pid) = d.posting_id {
        match crate::db::models::posting::get(c, pid)? {
            None => e.push("posting_id", "not_found", general::no_such(Thing::Posting)),
            Some(p) => fill_from_posting(&mut e, d, &p),
        }
    }
    if let Some(eid) = d.employer_id {
        if crate::db::models::employer::get(c, eid)?.is_none() {
            e.push("employer_id", "not_found", general::no_such(Thing::Employer));
        }
    }
    if let Some(fid) = d.job_fair_id {
        if crate::db::models::job_fair::get(c, fid)?.is_none() {
            e.push("job_fair_id", "not_found", general::no_such(Thing::JobFair));
        }
    }
    if let Some(eid) = d.enrolment_id {
        match enrolment::get(c, eid)? {
            None => e.push("enrolment_id", "not_found", general::no_such(Thing::Enrolment)),
            Some(en) if en.labourer_id != d.labourer_id => {
                e.push("enrolment_id", "mismatch", msg::enrolment_of_another(eid.get()))
            }
            Some(_) => {}
        }
    }
    e.finish()?;
    let others: Vec<(PlacementRow, Span)> = model::full_time_of(c, d.labourer_id, except)?
        .into_iter()
        .map(|p| {
            let span = Span { start: p.data.started_on, end: p.data.ended_on };
            (p, span)
        })
        .collect();
    let spans: Vec<(usize, Span)> = others.iter().enumerate().map(|(i, (_, s))| (i, *s)).collect();
    let new = Span { start: d.started_on, end: d.ended_on };
    if let Some((i, _)) = rules::first_overlap(&new, d.part_time, &spans) {
        let other = &others[*i].0;
        return Err(AppError::Conflict {
            detail: msg::overlap(d.labourer_id.get(), other.id.get(), other.data.started_on, other.data.ended_on),
            errors: vec![FieldError::new(
                "started_on",
                "overlap",
                msg::overlap_field(other.id.get(), other.data.started_on, other.data.ended_on),
            )],
            existing_id: Some(other.id.get()),
        });
    }
    Ok(())
}

/// A posting fills in the employer and occupation; a different employer
/// than the posting's is a mistake.
fn fill_from_posting(e: &mut Errors, d: &mut PlacementData, p: &PostingRow) {
    match d.employer_id {
        None => d.employer_id = Some(p.data.employer_id),
        Some(eid) if eid != p.data.employer_id => {
            e.push("employer_id", "mismatch", msg::posting_of_another(p.id.get(), p.data.employer_id.get()))
        }
        Some(_) => {}
    }
    if d.occupation.is_none() {
        d.occupation = p.data.occupation.clone();
    }
}
