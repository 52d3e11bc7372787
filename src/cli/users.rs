//! `labour-bridge user add`: an account made from the command line, with
//! an API token printed once (DESIGN §8 users).

use std::io::Read;

use clap::Subcommand;

use super::cli_error;
use crate::auth::{hash_password, Role};
use crate::config::Settings;
use crate::db::models::audit::Actor;
use crate::db::write_tx;

/// `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user and print a new API token alone on the last line.
    Add {
        /// Login name.
        name: String,
        /// admin, clerk, organiser or trainee.
        #[arg(long)]
        role: Role,
        /// Bureau or organising unit.
        #[arg(long)]
        unit: Option<String>,
        /// For a trainee: their labourer record.
        #[arg(long)]
        labourer_id: Option<i64>,
        /// Read a password from standard input (for `auth/login`).
        #[arg(long)]
        password_stdin: bool,
        /// Where the user's own mail (job alerts) goes.
        #[arg(long)]
        email: Option<String>,
        /// When the printed token stops working: a number of days, a date
        /// (`2027-06-30`), or `never` for a service account's token. Without
        /// it the token lasts as long as a login session (`session_hours`).
        #[arg(long)]
        expires: Option<TokenExpiry>,
    },
}

/// `user add --expires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenExpiry {
    /// A number of days from now.
    Days(i64),
    /// The end of this day (UTC).
    On(chrono::NaiveDate),
    /// Never (a service account's token).
    Never,
}

impl std::str::FromStr for TokenExpiry {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("never") {
            return Ok(TokenExpiry::Never);
        }
        if let Ok(days) = s.trim_end_matches('d').parse::<i64>() {
            return if days > 0 {
                Ok(TokenExpiry::Days(days))
            } else {
                Err("the number of days must be positive".into())
            };
        }
        s.parse::<chrono::NaiveDate>()
            .map(TokenExpiry::On)
            .map_err(|_| format!("`{s}` is neither a number of days, a date (YYYY-MM-DD) nor `never`"))
    }
}

impl TokenExpiry {
    /// The moment the token stops working; `None` for never.
    pub fn at(self, now: chrono::NaiveDateTime) -> Option<chrono::NaiveDateTime> {
        match self {
            TokenExpiry::Days(d) => Some(now + chrono::TimeDelta::days(d)),
            TokenExpiry::On(day) => day.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)),
            TokenExpiry::Never => None,
        }
    }
}

impl clap::ValueEnum for Role {
    fn value_variants<'a>() -> &'a [Self] {
        &[Role::Admin, Role::Clerk, Role::Organiser, Role::Trainee]
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

/// Runs a `user` subcommand.
pub fn run(settings: &Settings, action: UserAction) -> anyhow::Result<()> {
    match action {
        UserAction::Add { name, role, unit, labourer_id, password_stdin, email, expires } => {
            match (role, labourer_id) {
                (Role::Trainee, None) => anyhow::bail!("a trainee needs --labourer-id (their own labourer record)"),
                (Role::Trainee, Some(_)) | (_, None) => {}
                (_, Some(_)) => anyhow::bail!("--labourer-id is only for trainees"),
            }
            if let Some(m) = email.as_deref() {
                crate::registry::checks::mailbox(m).map_err(|_| anyhow::anyhow!("`{m}` is not an e-mail address"))?;
            }
            let db = crate::startup::open_existing_database(settings)?;
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                let s = s.trim_end_matches(['\r', '\n']).to_string();
                // The rule the API applies (权限与脱敏 §5.1): at least 10
                // characters, not all of them blank.
                let least = crate::registry::users::MIN_PASSWORD_CHARS;
                if (s.chars().count() as u64) < least || s.trim().is_empty() {
                    anyhow::bail!("the password must have at least {least} characters (not all spaces)");
                }
                Some(hash_password(&s)?)
            } else {
                None
            };
            let now = crate::db::models::now();
            let expires_at = match expires {
                Some(e) => e.at(now),
                None => Some(now + chrono::TimeDelta::hours(settings.session_hours)),
            };
            if let Some(at) = expires_at.filter(|at| *at <= now) {
                anyhow::bail!(
                    "--expires {} is already past: the token could never be used",
                    at.format("%Y-%m-%d %H:%M UTC")
                );
            }
            let account = Account { name: &name, role, unit: unit.as_deref(), labourer_id, email: email.as_deref() };
            let token = add_user(&db, account, password.as_deref(), expires_at)?;
            match expires_at {
                Some(at) => println!(
                    "created {} user `{name}`; its API token (shown once, valid until {} UTC):",
                    role,
                    at.format("%Y-%m-%d %H:%M")
                ),
                None => println!("created {} user `{name}`; its API token (shown once, never expires):", role),
            }
            println!("{token}");
            Ok(())
        }
    }
}

/// Who `user add` creates.
struct Account<'a> {
    name: &'a str,
    role: Role,
    unit: Option<&'a str>,
    labourer_id: Option<i64>,
    email: Option<&'a str>,
}

fn add_user(
    db: &crate::db::Db,
    a: Account<'_>,
    password_hash: Option<&str>,
    token_expires_at: Option<chrono::NaiveDateTime>,
) -> anyhow::Result<String> {
    let new = crate::registry::accounts::NewAccount {
        username: a.name.trim().to_string(),
        role: a.role,
        unit: a.unit.map(str::to_string),
        labourer_id: a.labourer_id.map(crate::domain::LabourerId),
        password_hash: password_hash.map(str::to_string),
        email: a.email.map(str::to_string),
    };
    let mut conn = db.get()?;
    let actor = Actor::cli("user add");
    write_tx(&mut conn, |c| crate::registry::accounts::create(c, &actor, new, Some(token_expires_at)))
        .map_err(cli_error)?
        .ok_or_else(|| anyhow::anyhow!("no token was made"))
}
