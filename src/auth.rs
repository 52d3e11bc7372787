//! Who is asking: roles, API tokens and passwords.
//!
//! Tokens are random 32-byte strings shown once; the database keeps only
//! their SHA-256, so a copy of the database cannot be used to log in.

use std::fmt;
use std::str::FromStr;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a user may do (DESIGN §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including the audit trail.
    Admin,
    /// The registry, imports and ledgers of their bureau.
    Clerk,
    /// Their own unit's job fairs.
    Organiser,
    /// Their own labourer record, and search.
    Trainee,
}

impl Role {
    /// The name used in the database, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clerk => "clerk",
            Role::Organiser => "organiser",
            Role::Trainee => "trainee",
        }
    }
}

impl Role {
    /// The role as people at the bureau name it (messages, pages).
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Clerk => "经办人员",
            Role::Organiser => "招聘会组织方",
            Role::Trainee => "学员",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "clerk" => Ok(Role::Clerk),
            "organiser" => Ok(Role::Organiser),
            "trainee" => Ok(Role::Trainee),
            other => Err(format!("unknown role `{other}`; expected admin, clerk, organiser or trainee")),
        }
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// `users.id`.
    pub user_id: i64,
    /// `users.username`, as written to the audit trail.
    pub username: String,
    /// The caller's role.
    pub role: Role,
    /// The bureau or organising unit the caller belongs to.
    pub unit: Option<String>,
    /// For trainees: their own labourer record.
    pub labourer_id: Option<i64>,
}

impl Caller {
    /// Whether the caller is one of `roles`.
    pub fn is(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }

    /// Admins and clerks see full ID numbers (their statutory duty); everyone
    /// else sees them masked.
    pub fn sees_full_id_numbers(&self) -> bool {
        self.is(&[Role::Admin, Role::Clerk])
    }

    /// Whether this caller is the trainee whose labourer record is `id`.
    pub fn owns_labourer(&self, id: i64) -> bool {
        self.role == Role::Trainee && self.labourer_id == Some(id)
    }
}

/// A fresh API token: `lb_` and 64 hex characters.
pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(format!("lb_{}", hex::encode(bytes)))
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An argon2id hash of `password` in PHC form.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
}

/// Whether `password` matches the stored PHC hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so a wrong
/// username costs as long as a wrong password and reveals nothing.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("labour-bridge-dummy").unwrap_or_default());
    &DUMMY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("粤菜师傅2019").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("粤菜师傅2019", &h));
        assert!(!verify_password("粤菜师傅2018", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 67);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
