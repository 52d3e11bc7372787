//! The registry's one write path: one function per business operation.
//!
//! Every way in — the API, the pages, the fair desk, the import, the CLI and
//! the demo data — calls these functions, so a rule holds the same wherever
//! a record comes from. Each takes a connection inside the caller's
//! transaction (opened by `Db::write`, or by the import around many rows),
//! the acting user and a form (a `#[derive(Validate)]` struct of what was
//! typed); it validates the form, parses it into typed data, applies the
//! rules that need the database (which call the pure ones in
//! `domain::rules`), writes the record, its audit entry and, for indexed
//! records, its outbox entry together, and returns the record or an
//! [`AppError`] naming what to fix.

pub mod accounts;
pub mod birth;
pub mod checks;
pub mod duplicates;
pub mod employers;
pub mod enrolments;
pub mod fair_desk;
pub mod fairs;
pub mod forms;
pub mod labourers;
pub mod placements;
pub mod postings;
pub mod reads;
pub mod saved_searches;
pub mod targets;
pub mod training;
pub mod users;
pub mod vocational;

use serde::Serialize;

use crate::db::models::audit::{self, Actor};
use crate::db::models::outbox::{self, Op};
use crate::db::models::Versioned;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::messages::{general, Thing};

/// What the audit trail and the search index call a kind of record.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// `resource` in the audit trail, e.g. `labourer`.
    pub audit_name: &'static str,
    /// What messages call it.
    pub thing: Thing,
    /// The outbox resource, for records the search index holds.
    pub indexed: Option<&'static str>,
}

/// Kinds of the registry's records.
pub mod kinds {
    use super::Kind;
    use crate::messages::Thing;

    /// Labourers (indexed for candidates).
    pub const LABOURER: Kind = Kind { audit_name: "labourer", thing: Thing::Labourer, indexed: Some("labourer") };
    /// Employers.
    pub const EMPLOYER: Kind = Kind { audit_name: "employer", thing: Thing::Employer, indexed: None };
    /// Postings (indexed for search).
    pub const POSTING: Kind = Kind { audit_name: "posting", thing: Thing::Posting, indexed: Some("posting") };
    /// Placements.
    pub const PLACEMENT: Kind = Kind { audit_name: "placement", thing: Thing::Placement, indexed: None };
    /// Job fairs.
    pub const JOB_FAIR: Kind = Kind { audit_name: "job_fair", thing: Thing::JobFair, indexed: None };
    /// Intentions at fairs.
    pub const INTENTION: Kind = Kind { audit_name: "job_fair_intention", thing: Thing::Intention, indexed: None };
    /// Training programmes.
    pub const PROGRAMME: Kind = Kind { audit_name: "training_programme", thing: Thing::Programme, indexed: None };
    /// Training sessions.
    pub const SESSION: Kind = Kind { audit_name: "training_session", thing: Thing::Session, indexed: None };
    /// Enrolments.
    pub const ENROLMENT: Kind = Kind { audit_name: "enrolment", thing: Thing::Enrolment, indexed: None };
    /// Vocational enrolments.
    pub const VOCATIONAL: Kind =
        Kind { audit_name: "vocational_enrolment", thing: Thing::VocationalEnrolment, indexed: None };
    /// Targets.
    pub const TARGET: Kind = Kind { audit_name: "target", thing: Thing::Target, indexed: None };
    /// Deadlines.
    pub const DEADLINE: Kind = Kind { audit_name: "deadline", thing: Thing::Deadline, indexed: None };
}

/// Records a created record: its audit entry and, if indexed, its outbox
/// entry, in the caller's transaction.
pub(crate) fn record_created<R: Serialize>(
    c: &mut DbConnection,
    actor: &Actor,
    kind: Kind,
    id: i64,
    row: &R,
) -> Result<(), AppError> {
    audit::record(c, actor, "create", kind.audit_name, Some(id), None::<&()>, Some(row))?;
    if let Some(resource) = kind.indexed {
        outbox::append(c, resource, id, Op::Upsert)?;
    }
    Ok(())
}

/// Records a changed record (before and after).
pub(crate) fn record_updated<R: Serialize>(
    c: &mut DbConnection,
    actor: &Actor,
    kind: Kind,
    id: i64,
    before: &R,
    after: &R,
) -> Result<(), AppError> {
    audit::record(c, actor, "update", kind.audit_name, Some(id), Some(before), Some(after))?;
    if let Some(resource) = kind.indexed {
        outbox::append(c, resource, id, Op::Upsert)?;
    }
    Ok(())
}

/// Loads a record or answers 404 naming its kind.
pub fn load<R: Versioned>(c: &mut DbConnection, kind: Kind, id: R::Id) -> Result<R, AppError> {
    R::fetch(c, id)?.ok_or(AppError::NotFound(kind.thing))
}

/// Loads a record that a form refers to by id, or a 422 naming the field.
pub fn referenced<R: Versioned>(c: &mut DbConnection, thing: Thing, field: &str, id: R::Id) -> Result<R, AppError> {
    R::fetch(c, id)?.ok_or_else(|| AppError::invalid(field, "not_found", general::no_such(thing)))
}

/// Replaces a record's data if the client read its current version: the
/// version-checked update every resource shares. A stale version is a 409
/// that names the version stored now.
pub fn replace<R: Versioned>(
    c: &mut DbConnection,
    actor: &Actor,
    kind: Kind,
    before: &R,
    sent_version: i32,
    data: &R::Data,
) -> Result<R, AppError> {
    if before.version() != sent_version {
        return Err(AppError::stale(before.version()));
    }
    let Some(after) = R::replace(c, before.id(), sent_version, data)? else {
        // Changed between our read and our write: report what is there now.
        let now = R::fetch(c, before.id())?.ok_or(AppError::NotFound(kind.thing))?;
        return Err(AppError::stale(now.version()));
    };
    record_updated(c, actor, kind, before.id().into(), before, &after)?;
    Ok(after)
}

/// Deletes a record nothing refers to any more, audited; `refs` are the
/// non-zero counts of what still refers to it (409 listing them).
pub fn remove<R: Versioned>(
    c: &mut DbConnection,
    actor: &Actor,
    kind: Kind,
    before: &R,
    refs: &[(Thing, i64)],
) -> Result<(), AppError> {
    if !refs.is_empty() {
        return Err(AppError::conflict(general::referenced_by(kind.thing, before.id().into(), refs)));
    }
    R::remove(c, before.id())?;
    let id: i64 = before.id().into();
    audit::record(c, actor, "delete", kind.audit_name, Some(id), Some(before), None::<&()>)?;
    if let Some(resource) = kind.indexed {
        outbox::append(c, resource, id, Op::Delete)?;
    }
    Ok(())
}

/// Runs an insert in a savepoint and reports a unique-key collision as
/// `Ok(None)`, so the caller can name the record that holds the key. (On
/// PostgreSQL a failed statement would otherwise spoil the whole
/// transaction, and a race between two identical creates would answer a
/// bare 409 without `existing_id`.)
pub(crate) fn insert_unless_taken<T>(
    c: &mut DbConnection,
    insert: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<T>,
) -> Result<Option<T>, AppError> {
    use diesel::result::{DatabaseErrorKind, Error};
    use diesel::Connection;
    match c.transaction(insert) {
        Ok(v) => Ok(Some(v)),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
