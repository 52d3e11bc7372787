//! The SQL of duplicate review: candidate pairs (people with the same
//! name), dismissed pairs, and moving one record's history onto another.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{
    duplicate_dismissals as dd, enrolments, job_fair_attendees as att, job_fair_intentions as int, labourers,
    placements, users, vocational_enrolments as ve,
};
use crate::db::DbConnection;
use crate::domain::{IdNumber, LabourerId};

/// One side of a candidate pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Id.
    pub id: LabourerId,
    /// ID number.
    pub id_number: IdNumber,
    /// Birth date.
    pub birth_date: NaiveDate,
}

/// Pairs of people with the same name, `a.id < b.id`, `a.id > after`, in
/// id order, at most `limit`: the candidates the duplicate rules sift.
pub fn same_name_pairs(
    c: &mut DbConnection,
    after: (i64, i64),
    limit: i64,
) -> QueryResult<Vec<(String, Candidate, Candidate)>> {
    let (a, b) = diesel::alias!(labourers as a, labourers as b);
    let rows: Vec<(String, LabourerId, IdNumber, NaiveDate, LabourerId, IdNumber, NaiveDate)> = a
        .inner_join(
            b.on(b
                .field(labourers::name)
                .eq(a.field(labourers::name))
                .and(b.field(labourers::id).gt(a.field(labourers::id)))),
        )
        .filter(
            a.field(labourers::id)
                .gt(after.0)
                .or(a.field(labourers::id).eq(after.0).and(b.field(labourers::id).gt(after.1))),
        )
        .select((
            a.field(labourers::name),
            a.field(labourers::id),
            a.field(labourers::id_number),
            a.field(labourers::birth_date),
            b.field(labourers::id),
            b.field(labourers::id_number),
            b.field(labourers::birth_date),
        ))
        .order((a.field(labourers::id).asc(), b.field(labourers::id).asc()))
        .limit(limit)
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(name, ai, an, ab, bi, bn, bb)| {
            (
                name,
                Candidate { id: ai, id_number: an, birth_date: ab },
                Candidate { id: bi, id_number: bn, birth_date: bb },
            )
        })
        .collect())
}

/// Which of `pairs` (smaller id first) were dismissed as two people.
pub fn dismissed(c: &mut DbConnection, pairs: &[(i64, i64)]) -> QueryResult<Vec<(i64, i64)>> {
    let firsts: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    if firsts.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64)> =
        dd::table.filter(dd::labourer_a.eq_any(&firsts)).select((dd::labourer_a, dd::labourer_b)).load(c)?;
    Ok(rows.into_iter().filter(|r| pairs.contains(r)).collect())
}

/// Records that `a < b` are two people; `false` if already recorded.
pub fn dismiss(c: &mut DbConnection, a: i64, b: i64, by: &str) -> QueryResult<bool> {
    let exists = dd::table.find((a, b)).count().get_result::<i64>(c)? > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(dd::table)
        .values((
            dd::labourer_a.eq(a),
            dd::labourer_b.eq(b),
            dd::dismissed_by.eq(by),
            dd::dismissed_at.eq(super::now()),
        ))
        .execute(c)?;
    Ok(true)
}

/// Training sessions both people are enrolled in.
pub fn shared_sessions(c: &mut DbConnection, one: LabourerId, other: LabourerId) -> QueryResult<Vec<i64>> {
    let of = |c: &mut DbConnection, who: LabourerId| -> QueryResult<Vec<i64>> {
        enrolments::table.filter(enrolments::labourer_id.eq(who.get())).select(enrolments::session_id).load(c)
    };
    let mine = of(c, one)?;
    Ok(of(c, other)?.into_iter().filter(|s| mine.contains(s)).collect())
}

/// (fair, posting) intentions both people have.
pub fn shared_intentions(c: &mut DbConnection, one: LabourerId, other: LabourerId) -> QueryResult<Vec<(i64, i64)>> {
    let of = |c: &mut DbConnection, who: LabourerId| -> QueryResult<Vec<(i64, i64)>> {
        int::table.filter(int::labourer_id.eq(who.get())).select((int::job_fair_id, int::posting_id)).load(c)
    };
    let mine = of(c, one)?;
    Ok(of(c, other)?.into_iter().filter(|s| mine.contains(s)).collect())
}

/// How many records of each kind were moved.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Moved {
    /// 就业登记.
    pub placements: usize,
    /// 培训报名.
    pub enrolments: usize,
    /// 招聘会签到 (a second check-in at a fair the kept person attended is dropped).
    pub attendances: usize,
    /// 求职意向.
    pub intentions: usize,
    /// 职业院校就读.
    pub vocational_enrolments: usize,
    /// Trainee accounts.
    pub users: usize,
}

/// How many records of each kind [`move_history`] would move from `who`
/// (a merge's confirm page says so before anything moves).
pub fn history_of(c: &mut DbConnection, who: LabourerId) -> QueryResult<Moved> {
    let w = who.get();
    let n = |v: i64| usize::try_from(v).unwrap_or(0);
    Ok(Moved {
        placements: n(placements::table.filter(placements::labourer_id.eq(who)).count().get_result(c)?),
        enrolments: n(enrolments::table.filter(enrolments::labourer_id.eq(w)).count().get_result(c)?),
        attendances: n(att::table.filter(att::labourer_id.eq(w)).count().get_result(c)?),
        intentions: n(int::table.filter(int::labourer_id.eq(w)).count().get_result(c)?),
        vocational_enrolments: n(ve::table.filter(ve::labourer_id.eq(w)).count().get_result(c)?),
        users: n(users::table.filter(users::labourer_id.eq(w)).count().get_result(c)?),
    })
}

/// Moves every placement, enrolment, check-in, intention, study and
/// account of `from` onto `to`; check-ins at fairs `to` attended too are
/// dropped (the person came once). Callers check the conflicts first.
pub fn move_history(c: &mut DbConnection, from: LabourerId, to: LabourerId) -> QueryResult<Moved> {
    let (f, t) = (from.get(), to.get());
    let fairs_of_to: Vec<i64> = att::table.filter(att::labourer_id.eq(t)).select(att::job_fair_id).load(c)?;
    diesel::delete(att::table.filter(att::labourer_id.eq(f)).filter(att::job_fair_id.eq_any(&fairs_of_to)))
        .execute(c)?;
    Ok(Moved {
        placements: diesel::update(placements::table.filter(placements::labourer_id.eq(from)))
            .set(placements::labourer_id.eq(to))
            .execute(c)?,
        enrolments: diesel::update(enrolments::table.filter(enrolments::labourer_id.eq(f)))
            .set(enrolments::labourer_id.eq(t))
            .execute(c)?,
        attendances: diesel::update(att::table.filter(att::labourer_id.eq(f)))
            .set(att::labourer_id.eq(t))
            .execute(c)?,
        intentions: diesel::update(int::table.filter(int::labourer_id.eq(f))).set(int::labourer_id.eq(t)).execute(c)?,
        vocational_enrolments: diesel::update(ve::table.filter(ve::labourer_id.eq(f)))
            .set(ve::labourer_id.eq(t))
            .execute(c)?,
        users: diesel::update(users::table.filter(users::labourer_id.eq(f)))
            .set(users::labourer_id.eq(t))
            .execute(c)?,
    })
}
