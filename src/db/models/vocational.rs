//! `vocational_enrolments`: poor students at vocational schools.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::vocational_enrolments as ve;
use crate::db::DbConnection;
use crate::domain::{LabourerId, StudyStatus};

/// A row of `vocational_enrolments`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ve)]
pub struct VocationalRow {
    /// Id.
    pub id: i64,
    /// The study.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: VocationalData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a vocational enrolment a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = ve, treat_none_as_null = true)]
pub struct VocationalData {
    /// The student.
    pub labourer_id: LabourerId,
    /// 学校名称.
    pub school_name: String,
    /// Where the school is.
    pub school_region_code: String,
    /// 专业.
    pub major: Option<String>,
    /// 入学时间.
    pub enrolled_on: NaiveDate,
    /// Studying, graduated or left.
    pub status: StudyStatus,
    /// 毕业时间.
    pub graduated_on: Option<NaiveDate>,
    /// 离校时间.
    pub left_on: Option<NaiveDate>,
}

crate::db::models::versioned_table!(ve, i64, VocationalRow, VocationalData);

/// A page of vocational enrolments, filtered.
pub fn list(
    c: &mut DbConnection,
    labourer_id: Option<LabourerId>,
    status: Option<StudyStatus>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<VocationalRow>> {
    let mut q = ve::table.select(VocationalRow::as_select()).into_boxed();
    if let Some(l) = labourer_id {
        q = q.filter(ve::labourer_id.eq(l));
    }
    if let Some(s) = status {
        q = q.filter(ve::status.eq(s));
    }
    q.filter(ve::id.gt(after)).order(ve::id.asc()).limit(limit).load(c)
}

/// The study a person is in now, other than `except`: one school at a time.
pub fn studying(c: &mut DbConnection, labourer_id: LabourerId, except: Option<i64>) -> QueryResult<Option<i64>> {
    let mut q = ve::table
        .filter(ve::labourer_id.eq(labourer_id))
        .filter(ve::status.eq(StudyStatus::Studying))
        .select(ve::id)
        .into_boxed();
    if let Some(e) = except {
        q = q.filter(ve::id.ne(e));
    }
    q.first(c).optional()
}

/// The study of this person at this school that began on this day, if any:
/// how an imported row finds the record it repeats.
pub fn find_same(
    c: &mut DbConnection,
    labourer_id: LabourerId,
    school_name: &str,
    enrolled_on: NaiveDate,
) -> QueryResult<Option<VocationalRow>> {
    ve::table
        .filter(ve::labourer_id.eq(labourer_id))
        .filter(ve::school_name.eq(school_name))
        .filter(ve::enrolled_on.eq(enrolled_on))
        .select(VocationalRow::as_select())
        .first(c)
        .optional()
}
