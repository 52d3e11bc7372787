//! A trainee's saved searches (job alerts): saving one, deleting one, and
//! the one-click unsubscribe from an alert e-mail.

use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms};
use crate::auth::{new_token, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::mail::{self as store, SavedSearchRow};
use crate::db::DbConnection;
use crate::domain::{Benefit, Education};
use crate::error::AppError;
use crate::mail::scheduler::AlertFilters;
use crate::messages::{access, Text, Thing};

/// What is saved: words, filters, and where alerts go.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSavedSearch {
    /// Words every matching posting contains (or one of their occupation synonyms).
    #[validate(required, length(max = 200), custom(function = "checks::not_blank"))]
    #[schema(example = "厨师")]
    pub q: Option<String>,
    /// Filters.
    pub filters: Option<AlertFilters>,
    /// Where to send alerts (default: the account's address).
    #[validate(custom(function = "checks::mailbox"))]
    #[schema(example = "trainee@example.com")]
    pub email: Option<String>,
}

/// Saves a search for the acting user; audited.
pub fn save(c: &mut DbConnection, actor: &Actor, form: NewSavedSearch) -> Result<SavedSearchRow, AppError> {
    let mut e = checks::collect(&form);
    let user_id = actor.id.ok_or_else(|| AppError::Forbidden(access::sign_in()))?;
    let filters = form.filters.unwrap_or_default();
    if let Some(r) = &filters.region {
        if r.len() > 6 || r.is_empty() || !r.bytes().all(|b| b.is_ascii_digit()) {
            e.push(
                "filters.region",
                "format",
                Text::new(
                    "应为地区代码或其前几位，如 44 或 4407",
                    "a region code or its leading digits, e.g. 44 or 4407",
                ),
            );
        }
    }
    for (i, b) in filters.benefits.iter().enumerate() {
        e.check(&format!("filters.benefits[{i}]"), b.parse::<Benefit>());
    }
    if let Some(ed) = &filters.education {
        e.check("filters.education", ed.parse::<Education>());
    }
    e.finish()?;
    let q = forms::text(form.q).unwrap_or_default();
    let email = forms::text(form.email);
    // Alerts to an address of the searcher's choosing made the service mail
    // anyone at all: a trainee's (or organiser's) go to their account's own
    // address, given here or not; staff may name another.
    let staff = matches!(actor.role, Some(Role::Admin) | Some(Role::Clerk));
    if let Some(given) = email.as_ref().filter(|_| !staff) {
        let own = crate::db::models::user::account(c, user_id)?.and_then(|a| a.email);
        if own.as_deref().map(str::to_lowercase) != Some(given.to_lowercase()) {
            return Err(AppError::invalid(
                "email",
                "not_own",
                crate::messages::users::alerts_not_to_own(own.as_deref()),
            ));
        }
    }
    // Not kept for them either: their alerts follow the account's address
    // when it changes (a kept copy went on to the old one).
    let email = if staff { email } else { None };
    let token = new_token()?;
    let filters_json = serde_json::to_string(&filters).map_err(|e| AppError::Internal(e.into()))?;
    let row = store::insert_saved_search(c, user_id, email.as_deref(), &q, &filters_json, &token)?;
    audit::record(c, actor, "create", "saved_search", Some(row.id), None::<&()>, Some(&row))?;
    Ok(row)
}

/// Deletes one of the actor's saved searches (an admin may delete any).
pub fn delete(c: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let row = store::saved_search(c, id)?.ok_or(AppError::NotFound(Thing::SavedSearch))?;
    if Some(row.user_id) != actor.id && actor.role != Some(Role::Admin) {
        return Err(AppError::Forbidden(access::refused("这是别人订阅的搜索", "this saved search is someone else's")));
    }
    store::delete_saved_search(c, id)?;
    audit::record(c, actor, "delete", "saved_search", Some(id), Some(&row), None::<&()>)?;
    Ok(())
}

/// Turns alerts off for the search whose link carries `token`; audited.
pub fn unsubscribe(c: &mut DbConnection, token: &str) -> Result<i64, AppError> {
    let id = store::unsubscribe(c, token)?.ok_or(AppError::NotFound(Thing::SavedSearch))?;
    let actor =
        Actor { name: "unsubscribe-link".into(), id: None, role: Some(Role::Trainee), unit: None, import_id: None };
    audit::record(c, &actor, "unsubscribe", "saved_search", Some(id), None::<&()>, None::<&()>)?;
    Ok(id)
}
