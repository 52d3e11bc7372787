//! Reads that are themselves records: every view of full ID numbers is
//! audited (who saw whose number, when), and so is a read of the audit
//! trail, whose `before`/`after` hold full numbers. The API and the pages
//! call these functions rather than writing audit entries themselves.

use crate::db::models::audit::{self, Actor, AuditRow};
use crate::db::models::enrolment::{self, Certificate};
use crate::db::models::job_fair::{self, AttendeeRow};
use crate::db::models::labourer::{self, LabourerFilter, LabourerRow};
use crate::db::DbConnection;
use crate::domain::{JobFairId, LabourerId};
use crate::error::AppError;
use crate::messages::{access, Thing};

/// One person and their certificates, for an actor who may see them: a
/// trainee their own record, an organiser people checked in at their
/// unit's fairs, admins and clerks anyone (their full number audited).
/// The caller has already refused other roles.
pub fn labourer(
    c: &mut DbConnection,
    actor: &Actor,
    id: LabourerId,
) -> Result<(LabourerRow, Vec<Certificate>), AppError> {
    if actor.is_organiser() {
        let unit = actor.unit.as_deref().unwrap_or_default();
        if !job_fair::attended_fair_of(c, id, unit)? {
            return Err(AppError::Forbidden(access::refused(
                "组织方只能查看在本单位招聘会签到的人员",
                "an organiser sees only people checked in at their own fairs",
            )));
        }
    }
    let row = labourer::get(c, id)?.ok_or(AppError::NotFound(Thing::Labourer))?;
    let certificates = enrolment::certificates(c, id)?;
    if actor.sees_full_id_numbers() {
        audit::record(c, actor, "view_unmasked", "labourer", Some(id.get()), None::<&()>, None::<&()>)?;
    }
    Ok((row, certificates))
}

/// A page of the registry (full numbers: admins and clerks), audited.
pub fn labourers(
    c: &mut DbConnection,
    actor: &Actor,
    filter: &LabourerFilter,
    after: i64,
    limit: i64,
) -> Result<Vec<LabourerRow>, AppError> {
    let rows = labourer::list(c, filter, after, limit + 1)?;
    let shown: Vec<LabourerId> = rows.iter().take(limit as usize).map(|r| r.id).collect();
    if !shown.is_empty() && actor.sees_full_id_numbers() {
        let seen = serde_json::json!({ "labourer_ids": shown });
        audit::record(c, actor, "view_unmasked", "labourer", None, None::<&()>, Some(&seen))?;
    }
    Ok(rows)
}

/// A page of a fair's attendees, for an actor who manages the fair; the
/// view is audited when it shows full numbers.
pub fn attendees(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    after: i64,
    limit: i64,
) -> Result<Vec<(AttendeeRow, LabourerRow)>, AppError> {
    super::fairs::managed(c, actor, fair)?;
    let rows = job_fair::attendees(c, fair, after, limit + 1)?;
    audit_attendees_seen(c, actor, fair, rows.iter().take(limit as usize))?;
    Ok(rows)
}

/// Audits a view of `rows`' full ID numbers, when `actor` sees them.
fn audit_attendees_seen<'a>(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    rows: impl Iterator<Item = &'a (AttendeeRow, LabourerRow)>,
) -> Result<(), AppError> {
    let ids: Vec<LabourerId> = rows.map(|(_, l)| l.id).collect();
    if actor.sees_full_id_numbers() && !ids.is_empty() {
        let seen = serde_json::json!({ "labourer_ids": ids, "job_fair_id": fair });
        audit::record(c, actor, "view_unmasked", "labourer", None, None::<&()>, Some(&seen))?;
    }
    Ok(())
}

/// The fair's `limit` latest check-ins with their people, the latest
/// first, and how many it has in all (its desk); like [`attendees`], a
/// view of full ID numbers is audited.
pub fn latest_attendees(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    limit: i64,
) -> Result<(Vec<(AttendeeRow, LabourerRow)>, i64), AppError> {
    super::fairs::managed(c, actor, fair)?;
    let (rows, total) = job_fair::latest_attendees(c, fair, limit)?;
    audit_attendees_seen(c, actor, fair, rows.iter())?;
    Ok((rows, total))
}

/// A page of the audit trail, newest first; the read is itself audited,
/// since entries hold full ID numbers.
pub fn audit_trail(
    c: &mut DbConnection,
    actor: &Actor,
    resource: Option<&str>,
    resource_id: Option<i64>,
    before_id: Option<i64>,
    limit: i64,
    unmasked: bool,
) -> Result<Vec<AuditRow>, AppError> {
    let rows = audit::list(c, resource, resource_id, before_id, limit + 1)?;
    let what = serde_json::json!({
        "resource": resource, "resource_id": resource_id, "unmasked": unmasked,
        "entries": rows.iter().take(limit as usize).map(|r| r.id).collect::<Vec<_>>()
    });
    let action = if unmasked { "view_unmasked" } else { "view_audit" };
    audit::record(c, actor, action, "audit_log", None, None::<&()>, Some(&what))?;
    Ok(rows)
}

/// Records that `actor` was shown full ID numbers in something that is not
/// a registry record (a reconciliation, an import's rejected rows): which
/// `resource`, which one (`id`) and what it held (`what`).
pub fn unmasked_view(
    c: &mut DbConnection,
    actor: &Actor,
    resource: &str,
    id: Option<i64>,
    what: Option<&serde_json::Value>,
) -> Result<(), AppError> {
    audit::record(c, actor, "view_unmasked", resource, id, None::<&()>, what)?;
    Ok(())
}
