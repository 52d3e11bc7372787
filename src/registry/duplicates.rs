//! Duplicate review (DESIGN §8): the pairs of records that are likely one
//! person registered twice, merging such a pair, and dismissing a pair
//! that is two people.
//!
//! A pair is two records with the same name and either the same birth date
//! (different ID numbers), or ID numbers one character apart, or two
//! neighbouring characters swapped — the typing slips of a desk. A merge
//! moves every placement, enrolment, check-in, intention, study and
//! trainee account onto the kept record in one transaction, refusing (409,
//! with the reason) one that would make two full-time jobs overlap, put
//! the person twice in one training class or at one posting, or give them
//! two current schools; both records are audited.

use serde::Serialize;
use utoipa::ToSchema;

use super::{kinds, load};
use crate::db::models::audit::{self, Actor};
use crate::db::models::duplicates::{self as model, Candidate, Moved};
use crate::db::models::labourer::{self, LabourerRow};
use crate::db::models::outbox::{self, Op};
use crate::db::models::placement;
use crate::db::DbConnection;
use crate::domain::rules::{first_overlap, Span};
use crate::domain::LabourerId;
use crate::error::AppError;
use crate::messages::duplicates as msg;

/// Why two records look like one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Likeness {
    /// Same name, ID numbers differing in one character.
    OneCharacter,
    /// Same name, ID numbers with two neighbouring characters swapped.
    Transposition,
    /// Same name and birth date, other ID numbers.
    SameBirthDate,
}

/// How two ID numbers relate, if as a typing slip: one character apart,
/// or two neighbouring characters swapped, in the 17-character body (GB
/// 11643 §6). The check character is left out: it catches every such slip,
/// so two valid numbers a slip apart always differ in it as well.
pub fn slip(a: &str, b: &str) -> Option<Likeness> {
    let body = |s: &str| -> Vec<char> { s.chars().take(17).collect() };
    let (a, b) = (body(a), body(b));
    if a.len() != b.len() {
        return None;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [_] => Some(Likeness::OneCharacter),
        [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => Some(Likeness::Transposition),
        _ => None,
    }
}

/// Whether a same-name pair is a likely duplicate, and why.
pub fn likeness(a: &Candidate, b: &Candidate) -> Option<Likeness> {
    slip(a.id_number.as_str(), b.id_number.as_str())
        .or_else(|| (a.birth_date == b.birth_date).then_some(Likeness::SameBirthDate))
}

/// A likely duplicate pair.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Pair {
    /// The older record.
    pub a: i64,
    /// The newer record.
    pub b: i64,
    /// 姓名 (the same on both).
    pub name: String,
    /// Why they look like one person.
    pub likeness: Likeness,
    /// ID number of `a`, masked.
    pub a_id_number: String,
    /// ID number of `b`, masked.
    pub b_id_number: String,
    /// Positions (1–18) where the two ID numbers differ.
    pub differs_at: Vec<usize>,
}

/// A pair's place in the list: the ids `(a, b)`, `a < b`.
pub type PairKey = (i64, i64);

/// Up to `limit` likely pairs after the pair `after`, in id order, leaving
/// out dismissed ones; and where the next page starts.
pub fn pairs(c: &mut DbConnection, after: PairKey, limit: usize) -> Result<(Vec<Pair>, Option<PairKey>), AppError> {
    let mut out = Vec::new();
    let mut cursor = after;
    loop {
        let batch = model::same_name_pairs(c, cursor, 2000)?;
        let Some(last) = batch.last() else { return Ok((out, None)) };
        let exhausted = batch.len() < 2000;
        let end = (last.1.id.get(), last.2.id.get());
        let likely: Vec<(String, Candidate, Candidate, Likeness)> =
            batch.into_iter().filter_map(|(name, a, b)| likeness(&a, &b).map(|l| (name, a, b, l))).collect();
        let keys: Vec<(i64, i64)> = likely.iter().map(|(_, a, b, _)| (a.id.get(), b.id.get())).collect();
        let dismissed = model::dismissed(c, &keys)?;
        for (name, a, b, l) in likely {
            if dismissed.contains(&(a.id.get(), b.id.get())) {
                continue;
            }
            let differs_at = a
                .id_number
                .as_str()
                .chars()
                .zip(b.id_number.as_str().chars())
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(|(i, _)| i + 1)
                .collect();
            out.push(Pair {
                a: a.id.get(),
                b: b.id.get(),
                name,
                likeness: l,
                a_id_number: a.id_number.masked(),
                b_id_number: b.id_number.masked(),
                differs_at,
            });
            if out.len() == limit {
                let next = out.last().map(|p| (p.a, p.b));
                return Ok((out, next));
            }
        }
        if exhausted {
            return Ok((out, None));
        }
        cursor = end;
    }
}

/// What a merge did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Merged {
    /// The record kept.
    pub kept: i64,
    /// The record merged into it and deleted.
    pub removed: i64,
    /// What was moved.
    pub moved: Moved,
}

/// Refuses (422, `not_a_pair`) to merge two records the review would not
/// list as one person registered twice — another name, or numbers that
/// are neither a slip apart nor of one birth day: the merge deletes one of
/// them for good, and it took any two ids.
pub fn likely_pair(a: &LabourerRow, b: &LabourerRow) -> Result<(), AppError> {
    let candidate =
        |r: &LabourerRow| Candidate { id: r.id, id_number: r.data.id_number.clone(), birth_date: r.data.birth_date };
    if a.data.name == b.data.name && likeness(&candidate(a), &candidate(b)).is_some() {
        return Ok(());
    }
    Err(AppError::invalid("b", "not_a_pair", msg::not_a_pair(a.id.get(), b.id.get())))
}

/// Merges the pair `(a, b)` into `keep` (one of them), in the caller's
/// transaction. 404 if either is gone; 422 if `keep` is neither; 409 with
/// the reason when the two histories cannot be one person's.
pub fn merge(
    c: &mut DbConnection,
    actor: &Actor,
    a: LabourerId,
    b: LabourerId,
    keep: LabourerId,
) -> Result<Merged, AppError> {
    if a == b {
        return Err(AppError::invalid("b", "same_record", msg::same_record()));
    }
    if keep != a && keep != b {
        return Err(AppError::invalid("keep", "not_in_pair", msg::keep_one_of(a.get(), b.get())));
    }
    let other = if keep == a { b } else { a };
    // Lock both in id order, then read them.
    for id in [a.min(b), a.max(b)] {
        labourer::lock(c, id)?;
    }
    let kept: LabourerRow = load(c, kinds::LABOURER, keep)?;
    let gone: LabourerRow = load(c, kinds::LABOURER, other)?;
    likely_pair(&kept, &gone)?;
    check_histories(c, keep, other)?;
    let moved = model::move_history(c, other, keep)?;
    // The moved placements join the kept person's east spells.
    crate::db::models::east_spells::restamp(c, &[keep.get()])?;
    labourer::delete(c, other)?;
    let what = serde_json::json!({ "merged_from": other.get(), "moved": moved });
    audit::record(c, actor, "merge", kinds::LABOURER.audit_name, Some(keep.get()), Some(&kept), Some(&what))?;
    audit::record(c, actor, "delete", kinds::LABOURER.audit_name, Some(other.get()), Some(&gone), Some(&what))?;
    outbox::append(c, "labourer", other.get(), Op::Delete)?;
    outbox::append(c, "labourer", keep.get(), Op::Upsert)?;
    Ok(Merged { kept: keep.get(), removed: other.get(), moved })
}

/// The conflicts that make two histories impossible for one person.
fn check_histories(c: &mut DbConnection, keep: LabourerId, other: LabourerId) -> Result<(), AppError> {
    let spans = |c: &mut DbConnection, who| -> Result<Vec<(i64, Span)>, AppError> {
        Ok(placement::full_time_of(c, who, None)?
            .into_iter()
            .map(|p| (p.id.get(), Span { start: p.data.started_on, end: p.data.ended_on }))
            .collect())
    };
    let kept_jobs = spans(c, keep)?;
    for (id, span) in spans(c, other)? {
        if let Some((clash, _)) = first_overlap(&span, false, &kept_jobs) {
            return Err(AppError::conflict(msg::jobs_overlap(id, *clash)));
        }
    }
    if let Some(session) = model::shared_sessions(c, keep, other)?.first() {
        return Err(AppError::conflict(msg::same_session(*session)));
    }
    if let Some((fair, posting)) = model::shared_intentions(c, keep, other)?.first() {
        return Err(AppError::conflict(msg::same_intention(*fair, *posting)));
    }
    let studying = |c: &mut DbConnection, who| crate::db::models::vocational::studying(c, who, None);
    if let (Some(x), Some(y)) = (studying(c, keep)?, studying(c, other)?) {
        return Err(AppError::conflict(msg::two_schools(x, y)));
    }
    Ok(())
}

/// Records that `a` and `b` are two people, so the pair is no longer
/// listed; audited. Dismissing twice is no error.
pub fn dismiss(c: &mut DbConnection, actor: &Actor, a: LabourerId, b: LabourerId) -> Result<(), AppError> {
    if a == b {
        return Err(AppError::invalid("b", "same_record", msg::same_record()));
    }
    load::<LabourerRow>(c, kinds::LABOURER, a)?;
    load::<LabourerRow>(c, kinds::LABOURER, b)?;
    let (x, y) = (a.min(b).get(), a.max(b).get());
    if model::dismiss(c, x, y, &actor.name)? {
        let what = serde_json::json!({ "a": x, "b": y });
        audit::record(c, actor, "dismiss_duplicate", kinds::LABOURER.audit_name, Some(x), None::<&()>, Some(&what))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_slips_are_one_character_or_a_swap_of_neighbours() {
        // The check characters differ as a valid number's would; only the
        // body counts.
        let id = "45142419880312182X";
        assert_eq!(slip(id, "451424198803121835"), Some(Likeness::OneCharacter));
        assert_eq!(slip(id, "451424198803211827"), Some(Likeness::Transposition));
        assert_eq!(slip(id, "451424198803122811"), None, "a swap of characters apart is two slips");
        assert_eq!(slip(id, "451424198803121920"), Some(Likeness::OneCharacter));
        assert_eq!(slip(id, "451424198803131923"), None);
        assert_eq!(slip(id, "451424198803121824"), None, "a different check character alone is no slip of the body");
        assert_eq!(slip(id, id), None, "the same number is not a slip");
    }
}
