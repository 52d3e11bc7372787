//! The command line: `serve`, `migrate`, `seed-demo`, `import`, `ledger`,
//! `user add`, `gen`, `reindex`, `backup`, `restore`.

mod import;
mod ops;
mod serve;
mod users;

pub use users::{TokenExpiry, UserAction};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{FileSettings, Overrides, Settings};
use crate::db::models::audit::{self, Actor};
use crate::error::AppError;

/// labour-bridge: east–west labour cooperation registry.
#[derive(Debug, Parser)]
#[command(name = "labour-bridge", version, about)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Directory for the SQLite file and the search index.
    #[arg(long, env = "LB_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: `postgres://…` for PostgreSQL; default the SQLite file in the data dir.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Settings file.
    #[arg(long, env = "LB_CONFIG", global = true, default_value = "labour-bridge.toml")]
    pub config: PathBuf,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LB_BIND")]
        bind: Option<String>,
        /// Load the demo data first if the database is empty.
        #[arg(long)]
        demo: bool,
        /// Also serve `GET /metrics`, without a token, on this address
        /// (on the API's address it needs an admin's token).
        #[arg(long, env = "LB_METRICS_BIND")]
        metrics_bind: Option<String>,
    },
    /// Run pending database migrations and exit.
    Migrate {
        /// Also revert every migration and run them again (checks that
        /// each `down.sql` undoes its `up.sql`).
        #[arg(long)]
        check_reversible: bool,
    },
    /// Load the demo data (refuses a database that already has a registry).
    SeedDemo,
    /// Write a consistent copy of the SQLite database to FILE while the
    /// service runs (PostgreSQL: use pg_dump).
    Backup {
        /// The file to write (must not exist yet).
        #[arg(long)]
        out: PathBuf,
    },
    /// Copy a backup over the database; a database with records is
    /// overwritten only with --force. The search index is rebuilt at the
    /// next start.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Overwrite a database that holds records.
        #[arg(long)]
        force: bool,
    },
    /// Rebuild the search index from the database into a fresh directory
    /// and swap it in (a running service follows within a second); then
    /// check each east placement's kept spell (stable-east's) and correct
    /// those that changes made outside labour-bridge left wrong.
    Reindex,
    /// Write a large synthetic registry for benchmarks.
    Gen {
        /// Number of labourers (placements ≈ 3×, postings ≈ ⅕, employers ≈ 1/50).
        #[arg(long)]
        scale: usize,
        /// Random seed (the same seed gives the same data).
        #[arg(long, default_value_t = 2019)]
        seed: u64,
    },
    /// Write a ledger (the same bytes as `GET /api/v1/ledgers/{kind}`).
    Ledger {
        /// new-transfers-east, stable-east, vocational-students-east,
        /// graduates-employed, job-fairs, trainings, summary, or bundle.
        kind: String,
        /// The year.
        #[arg(long)]
        year: String,
        /// Counted up to this day (default: the earlier of today and 31 December).
        #[arg(long)]
        as_of: Option<String>,
        /// json (default), csv, xlsx or html; the bundle is xlsx only.
        #[arg(long)]
        format: Option<String>,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only people registered in this county.
        #[arg(long)]
        county: Option<String>,
        /// Full ID numbers (audited).
        #[arg(long)]
        unmasked: bool,
        /// The unit named on the ledger (default from settings).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Import a roster (xlsx, xls or csv) into the registry, as
    /// `POST /api/v1/imports` does, with a progress bar; prints the summary.
    Import {
        /// The roster file.
        file: PathBuf,
        /// labourers, employers, postings, placements or vocational_enrolments.
        #[arg(long)]
        kind: String,
        /// Check every row and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the good rows even if some are rejected.
        #[arg(long)]
        accept_partial: bool,
        /// A CSV's encoding: utf-8, gbk or gb18030 (default: detected).
        #[arg(long)]
        encoding: Option<String>,
        /// Print the summary as JSON (the API's shape) instead of a report.
        #[arg(long)]
        json: bool,
    },
    /// Manage users.
    User {
        /// What to do with users.
        #[command(subcommand)]
        action: UserAction,
    },
}

/// Resolves the settings for this invocation.
pub fn settings(cli: &Cli) -> anyhow::Result<Settings> {
    let file = FileSettings::load(&cli.global.config)?;
    let (bind, metrics_bind) = match &cli.command {
        Command::Serve { bind, metrics_bind, .. } => (bind.clone(), metrics_bind.clone()),
        _ => (None, None),
    };
    Ok(Settings::resolve(
        file,
        Overrides {
            data_dir: cli.global.data_dir.clone(),
            database_url: cli.global.database_url.clone(),
            bind,
            metrics_bind,
        },
    ))
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = settings(&cli)?;
    if let Some(day) = settings.today {
        crate::clock::fix_today(day);
    }
    match cli.command {
        Command::Serve { demo, .. } => serve::serve(settings, demo),
        Command::Migrate { check_reversible } => {
            let db = crate::startup::open_database(&settings)?;
            if check_reversible {
                db.revert_all()?;
                db.migrate()?;
                eprintln!("migrations reverted and re-applied cleanly");
            }
            eprintln!("database at {} is up to date", crate::db::redact(&settings.database_url));
            Ok(())
        }
        Command::SeedDemo => {
            let db = crate::startup::open_database(&settings)?;
            let mut conn = db.get()?;
            if !crate::demo::is_empty(&mut conn)? {
                anyhow::bail!("the registry already has data; seed-demo loads only into an empty database");
            }
            let s = crate::demo::seed(&mut conn, &settings.ledger_recipients)?;
            eprintln!(
                "loaded {} labourers and {} vocational students, {} employers, {} postings, {} placements, \
                 the 2019 joint fair, the 粤菜师傅 class, targets and deadlines, {} demo accounts",
                s.labourers, s.students, s.employers, s.postings, s.placements, s.users
            );
            Ok(())
        }
        Command::Backup { out } => ops::backup(&settings, &out),
        Command::Restore { file, force } => ops::restore(&settings, &file, force),
        Command::Reindex => {
            let db = crate::startup::open_existing_database(&settings)?;
            let total = crate::search::registry_size(&db)?;
            let bar = progress_bar("indexing [{bar:40}] {pos}/{len} records ({per_sec}, {eta})")?;
            bar.set_length(total);
            let started = std::time::Instant::now();
            let name = crate::search::reindex(&settings.data_dir.join("index"), &db, &Bar(bar.clone()))?;
            bar.finish_and_clear();
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "indexed {total} postings and labourers in {secs:.1} s ({:.0} records/s); {} is now in use",
                total as f64 / secs.max(1e-9),
                settings.data_dir.join("index").join(name).display()
            );
            // The other record derived from the registry: each east
            // placement's kept spell, stale only after changes made
            // outside labour-bridge.
            let bar = progress_bar("east spells [{bar:40}] {pos}/{len} people ({eta})")?;
            let started = std::time::Instant::now();
            let corrected = crate::db::models::east_spells::check_all(&mut *db.get()?, |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })?;
            bar.finish_and_clear();
            eprintln!(
                "checked every east placement's kept spell in {:.1} s: {corrected} corrected",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Gen { scale, seed } => {
            if scale == 0 {
                anyhow::bail!("--scale must be at least 1");
            }
            let db = crate::startup::open_database(&settings)?;
            let mut conn = db.get()?;
            let started = std::time::Instant::now();
            let bar = progress_bar("{msg:>11} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")?;
            let step = |name: &str, done: usize, total: usize| {
                bar.set_message(name.to_string());
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            };
            let g = crate::db::write_tx(&mut conn, |c| crate::demo::gen::generate(c, scale, seed, &step))
                .map_err(cli_error)?;
            bar.finish_and_clear();
            let what =
                serde_json::json!({"scale": scale, "seed": seed, "labourers": g.labourers, "placements": g.placements});
            audit::record(&mut conn, &Actor::cli("gen"), "generate", "registry", None, None::<&()>, Some(&what))?;
            eprintln!(
                "generated {} labourers, {} employers, {} postings, {} placements, {} students in {:.1} s",
                g.labourers,
                g.employers,
                g.postings,
                g.placements,
                g.students,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Ledger { kind, year, as_of, format, out, county, unmasked, unit } => {
            let db = crate::startup::open_existing_database(&settings)?;
            let raw = crate::ledger::export::RawParams {
                year: Some(year),
                as_of,
                format,
                unmasked: Some(unmasked.to_string()),
                county,
            };
            if kind == "bundle" {
                crate::ledger::export::refuse_options(&raw, true).map_err(cli_error)?;
            }
            let p = crate::ledger::export::parse_params(&raw, crate::clock::today()).map_err(cli_error)?;
            let unit = unit.unwrap_or_else(|| settings.unit_name.clone());
            let kind = match kind.as_str() {
                "bundle" => None,
                k => Some(k.parse::<crate::ledger::Kind>().map_err(|e: String| anyhow::anyhow!(e))?),
            };
            let mut conn = db.get()?;
            // Straight to the file (or stdout) a row at a time: a province's
            // ledger is never held whole in memory.
            let mut out: Box<dyn std::io::Write + Send> = match &out {
                Some(path) => Box::new(std::io::BufWriter::new(
                    // A ledger may be unmasked: readable by this user alone.
                    std::os::unix::fs::OpenOptionsExt::mode(
                        std::fs::OpenOptions::new().write(true).create(true).truncate(true),
                        0o600,
                    )
                    .open(path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout())),
            };
            match kind {
                None => crate::ledger::export::bundle_to(
                    &mut conn,
                    Some(&db),
                    p.year,
                    p.as_of,
                    &settings.ledger_rules,
                    &unit,
                    &mut out,
                ),
                Some(kind) => {
                    let actor = Actor::cli("ledger");
                    crate::ledger::export::one_to(
                        &mut conn,
                        Some(&db),
                        &actor,
                        kind,
                        &p,
                        &settings.ledger_rules,
                        &unit,
                        &mut out,
                    )
                }
            }
            .map_err(cli_error)?;
            std::io::Write::flush(&mut out)?;
            Ok(())
        }
        Command::Import { file, kind, dry_run, accept_partial, encoding, json } => {
            let db = crate::startup::open_existing_database(&settings)?;
            import::run(&db, import::Args { file, kind, dry_run, accept_partial, encoding, json })
        }
        Command::User { action } => users::run(&settings, action),
    }
}

/// A refused command's reason as a clerk reads it: the detail and each
/// failing field.
pub(crate) fn cli_error(e: AppError) -> anyhow::Error {
    let p = e.problem(crate::messages::Lang::Zh);
    if let AppError::Internal(cause) = e {
        // The operator at the terminal is the one to act on it (a full disk,
        // a lost connection): the cause is shown, not only "logged".
        return anyhow::anyhow!("{}：{cause:#}", p.detail);
    }
    if matches!(e, AppError::BadRequest { .. }) {
        // The shared readers name a query parameter (查询参数“as_of”); at the
        // terminal it was an option (--as-of).
        let options: Vec<String> =
            p.errors.iter().map(|f| format!("选项 --{}：{}", f.field.replace('_', "-"), f.message)).collect();
        if !options.is_empty() {
            return anyhow::anyhow!("{}", options.join("\n"));
        }
    }
    let fields: Vec<String> = p.errors.iter().map(|f| format!("\n  {}: {}", f.field, f.message)).collect();
    anyhow::anyhow!("{}{}", p.detail, fields.join(""))
}

/// A progress bar on standard error drawn by `template` (indicatif's
/// syntax), of no length until told; not drawn when standard error is not
/// a terminal.
fn progress_bar(template: &str) -> anyhow::Result<indicatif::ProgressBar> {
    let style =
        indicatif::ProgressStyle::with_template(template).map_err(|e| anyhow::anyhow!("{e}"))?.progress_chars("=> ");
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(style);
    Ok(bar)
}

/// A progress bar fed by the index builder.
struct Bar(indicatif::ProgressBar);

impl crate::search::Progress for Bar {
    fn advance(&self, rows: u64) {
        self.0.inc(rows);
    }
}
