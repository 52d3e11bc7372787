//! The append-only audit trail: every write, and every unmasked ID view.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::audit_log;
use crate::db::DbConnection;

/// Who did something: a user (with the role and unit the registry's
/// object checks need), or the command line, which acts with full rights.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The username, or `cli:<command>` for the command line.
    pub name: String,
    /// `users.id`, when a user acted.
    pub id: Option<i64>,
    /// The user's role; `None` for the command line.
    pub role: Option<crate::auth::Role>,
    /// The user's unit (bureau, organising unit).
    pub unit: Option<String>,
    /// The import this write belongs to, when a roster is being imported;
    /// written to the trail with every entry (DESIGN §8).
    pub import_id: Option<i64>,
}

impl Actor {
    /// The command line, acting as `what`.
    pub fn cli(what: &str) -> Actor {
        Actor { name: format!("cli:{what}"), id: None, role: None, unit: None, import_id: None }
    }

    /// The same actor, writing on behalf of import `import_id`.
    pub fn importing(&self, import_id: i64) -> Actor {
        Actor { import_id: Some(import_id), ..self.clone() }
    }

    /// Whether this is an organiser (who sees masked ID numbers and manages
    /// only their unit's fairs).
    pub fn is_organiser(&self) -> bool {
        self.role == Some(crate::auth::Role::Organiser)
    }

    /// Whether the actor may see full ID numbers (admins, clerks, the CLI).
    pub fn sees_full_id_numbers(&self) -> bool {
        matches!(self.role, None | Some(crate::auth::Role::Admin) | Some(crate::auth::Role::Clerk))
    }
}

impl From<&crate::auth::Caller> for Actor {
    fn from(c: &crate::auth::Caller) -> Actor {
        Actor {
            name: c.username.clone(),
            id: Some(c.user_id),
            role: Some(c.role),
            unit: c.unit.clone(),
            import_id: None,
        }
    }
}

/// One row of the trail as read back.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// Row id, in the order written.
    pub id: i64,
    /// Username or `cli:…`.
    pub actor: String,
    /// `users.id` of the actor, if a user.
    pub actor_id: Option<i64>,
    /// `create`, `update`, `delete`, `view_unmasked`, `login`, …
    pub action: String,
    /// Resource name, e.g. `labourer`.
    pub resource: String,
    /// The record's id.
    pub resource_id: Option<i64>,
    /// When (UTC).
    pub at: chrono::NaiveDateTime,
    /// JSON of the record before the change.
    pub before: Option<String>,
    /// JSON of the record after the change.
    pub after: Option<String>,
    /// The import that made the change, if one did.
    pub import_id: Option<i64>,
}

// NULL for None, so that every entry is the same statement (cached on SQLite).
#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_null = true)]
struct NewAudit<'a> {
    actor: &'a str,
    actor_id: Option<i64>,
    action: &'a str,
    resource: &'a str,
    resource_id: Option<i64>,
    at: chrono::NaiveDateTime,
    before: Option<String>,
    after: Option<String>,
    import_id: Option<i64>,
}

/// Appends one entry. Call it inside the transaction that makes the change,
/// so a change and its entry commit or fail together.
pub fn record<B: Serialize, A: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    resource: &str,
    resource_id: Option<i64>,
    before: Option<&B>,
    after: Option<&A>,
) -> QueryResult<()> {
    let json = |v: &dyn erased::Json| v.to_json();
    diesel::insert_into(audit_log::table)
        .values(NewAudit {
            actor: &actor.name,
            actor_id: actor.id,
            action,
            resource,
            resource_id,
            at: super::now(),
            before: before.map(|b| json(b)),
            after: after.map(|a| json(a)),
            import_id: actor.import_id,
        })
        .execute(conn)
        .map(|_| ())
}

/// Appends one `action` entry per record of `resource`, each with the
/// record as `after`, in multi-row statements: for bulk writes (imports),
/// inside their transaction. `records` are `(id, record)`.
pub fn record_many<A: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    resource: &str,
    records: &[(i64, A)],
) -> QueryResult<()> {
    let at = super::now();
    let rows: Vec<NewAudit<'_>> = records
        .iter()
        .map(|(id, after)| NewAudit {
            actor: &actor.name,
            actor_id: actor.id,
            action,
            resource,
            resource_id: Some(*id),
            at,
            before: None,
            after: Some(serde_json::to_string(after).unwrap_or_default()),
            import_id: actor.import_id,
        })
        .collect();
    match conn {
        DbConnection::Pg(c) => {
            for chunk in rows.chunks(500) {
                diesel::insert_into(audit_log::table).values(chunk).execute(c)?;
            }
        }
        // One cached single-row statement: cheaper per row on SQLite than a
        // multi-row one, which is compiled anew each time.
        DbConnection::Sqlite(c) => {
            for row in &rows {
                diesel::insert_into(audit_log::table).values(row).execute(c)?;
            }
        }
    }
    Ok(())
}

mod erased {
    /// Lets `record` take differently typed before/after values.
    pub trait Json {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

/// Entries for one resource (or one record of it), newest first.
pub fn list(
    conn: &mut DbConnection,
    resource: Option<&str>,
    resource_id: Option<i64>,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut q = audit_log::table.select(AuditRow::as_select()).into_boxed();
    if let Some(r) = resource {
        q = q.filter(audit_log::resource.eq(r.to_string()));
    }
    if let Some(id) = resource_id {
        q = q.filter(audit_log::resource_id.eq(id));
    }
    if let Some(b) = before_id {
        q = q.filter(audit_log::id.lt(b));
    }
    q.order(audit_log::id.desc()).limit(limit).load(conn)
}
