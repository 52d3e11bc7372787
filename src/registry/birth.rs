//! A person's records begin after their birth, and a job at working age:
//! a record dated before the birth (1800-01-01 for 2018) or a job of a
//! child is a mistyped year, which once went straight into the ledgers.
//! Checked where a dated record is written (jobs, training, schools) and
//! where a changed ID number moves the birth date under records on file.

use chrono::{Months, NaiveDate};
use diesel::dsl::min;
use diesel::prelude::*;

use crate::db::schema::{enrolments, placements, training_sessions, vocational_enrolments};
use crate::db::DbConnection;
use crate::domain::LabourerId;
use crate::error::{AppError, Errors};
use crate::messages::registry as msg;

/// The youngest age at which anyone may be employed (劳动法 第十五条:
/// 禁止用人单位招用未满十六周岁的未成年人).
pub const WORKING_AGE_YEARS: u32 = 16;

/// The day someone born on `birth` reaches working age (their 16th
/// birthday; 29 February's falls on 28 February).
pub fn working_age_on(birth: NaiveDate) -> NaiveDate {
    birth.checked_add_months(Months::new(WORKING_AGE_YEARS * 12)).unwrap_or(NaiveDate::MAX)
}

/// A job beginning on `started_on` for someone born on `birth`: before the
/// birth (`before_birth`) or before working age (`under_working_age`), on
/// `field`.
pub fn check_job_start(e: &mut Errors, field: &str, started_on: NaiveDate, birth: NaiveDate) {
    if started_on < birth {
        e.push(field, "before_birth", msg::started_before_birth(started_on, birth));
    } else if started_on < working_age_on(birth) {
        e.push(field, "under_working_age", msg::started_under_working_age(started_on, birth));
    }
}

/// A record dated `on` (a training class's start, a school enrolment) for
/// someone born on `birth`: refused on `field` when before the birth.
pub fn check_record_date(e: &mut Errors, field: &str, on: NaiveDate, birth: NaiveDate) {
    if on < birth {
        e.push(field, "before_birth", msg::record_before_birth(on, birth));
    }
}

/// The records of person `id` that a birth on `birth` (from a changed ID
/// number) would leave impossible: a job begun before working age, a class
/// or school begun before the birth. Refused on `id_number`, naming them.
///
/// Errors: 422 `birth_after_records`; database errors.
pub fn check_new_birth(c: &mut DbConnection, id: LabourerId, birth: NaiveDate) -> Result<(), AppError> {
    let first_job: Option<NaiveDate> =
        placements::table.filter(placements::labourer_id.eq(id)).select(min(placements::started_on)).first(c)?;
    let first_class: Option<NaiveDate> = enrolments::table
        .inner_join(training_sessions::table)
        .filter(enrolments::labourer_id.eq(id))
        .select(min(training_sessions::starts_on))
        .first(c)?;
    let first_school: Option<NaiveDate> = vocational_enrolments::table
        .filter(vocational_enrolments::labourer_id.eq(id))
        .select(min(vocational_enrolments::enrolled_on))
        .first(c)?;
    let mut e = Errors::default();
    if let Some(job) = first_job.filter(|d| *d < working_age_on(birth)) {
        e.push("id_number", "birth_after_records", msg::birth_after_records("就业登记", job, birth));
    } else if let Some(day) = [first_class, first_school].into_iter().flatten().filter(|d| *d < birth).min() {
        e.push("id_number", "birth_after_records", msg::birth_after_records("培训或职业院校记录", day, birth));
    }
    e.finish()
}
