//! Each east placement's kept spell start (`placements.east_spell_started_on`)
//! and the rules it was worked out under (`east_spell_rules`).
//!
//! DESIGN §5: an east *spell* chains a person's east placements, taken in
//! order of (`started_on`, id), while each starts at most `max_gap_days`
//! after the spell so far ended (an open placement never ends). Which spell
//! a placement belongs to depends only on the placements begun before it,
//! never on the day a ledger is asked for, so the registry keeps it when a
//! placement is written ([`restamp`], called by `registry::placements` and
//! by merging duplicates) and stable-east reads it instead of chaining
//! every person's history again at each ledger.
//!
//! The chaining is written once here in SQL (window functions, both
//! backends) and once in Rust as the ledger's pure rule
//! (`ledger::rules::stable_east`); the ledger uses the kept starts only
//! while they were worked out under its own rules ([`kept_for`]), and the
//! test `stable_east_from_kept_spells_equals_the_rule` pins the two
//! together. Running max of the previous ends stands for "the spell so far
//! ended": a new spell starts only after every earlier placement has ended
//! (`ended_on ≥ started_on` is checked on every write), so the earlier
//! spells' ends are below the current one's.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::DbConnection;
use crate::ledger::rules::Rules;

/// The rules the kept spells were worked out under: the east's province
/// codes joined with `,`, and the longest gap in days.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SpellRules {
    /// Sorted two-digit codes joined with `,` (e.g. `11,12,13`).
    #[diesel(sql_type = Text)]
    pub east_provinces: String,
    /// Longest gap inside one spell, in days (≥ 0).
    #[diesel(sql_type = BigInt)]
    pub max_gap_days: i64,
}

impl SpellRules {
    /// The part of the ledger rules the spells depend on; `None` when they
    /// cannot be kept (a negative gap: a spell's placements could then
    /// overlap its predecessor's end, and the running max above no longer
    /// stands for the spell's own end).
    pub fn of(rules: &Rules) -> Option<SpellRules> {
        let codes = rules.east_provinces.codes();
        // Validated two-digit codes: safe to write into the statement.
        let valid = codes.iter().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit()));
        (rules.max_gap_days >= 0 && valid)
            .then(|| SpellRules { east_provinces: codes.join(","), max_gap_days: rules.max_gap_days })
    }

    fn in_list(&self) -> String {
        self.east_provinces.split(',').map(|c| format!("'{c}'")).collect::<Vec<_>>().join(",")
    }
}

/// The rules the kept spells were worked out under (`None`: never yet).
pub fn stamped(c: &mut DbConnection) -> QueryResult<Option<SpellRules>> {
    let q = diesel::sql_query("SELECT east_provinces, max_gap_days FROM east_spell_rules WHERE id = 1");
    match c {
        DbConnection::Pg(pg) => q.get_result(pg).optional(),
        DbConnection::Sqlite(lite) => q.get_result(lite).optional(),
    }
}

/// Whether the kept spells were worked out under `rules`: only then may a
/// ledger asked under them read them.
pub fn kept_for(c: &mut DbConnection, rules: &Rules) -> QueryResult<bool> {
    Ok(SpellRules::of(rules).is_some_and(|wanted| stamped(c).ok().flatten() == Some(wanted)))
}

/// Works every spell out again under `rules` and records them, unless they
/// already were (a restart with the same rules costs one read). Returns
/// whether anything was worked out. Called when the database is opened.
/// With rules that cannot be kept ([`SpellRules::of`]) the record is
/// removed and stable-east chains the spells itself.
pub fn keep_for(c: &mut DbConnection, rules: &Rules) -> QueryResult<bool> {
    let wanted = SpellRules::of(rules);
    if stamped(c)? == wanted {
        return Ok(false);
    }
    c.transaction::<_, diesel::result::Error, _>(|c| {
        // Instances opening one database together take turns (PostgreSQL:
        // a lock held to the end of this transaction; SQLite: the write
        // lock, taken by a first write that changes nothing); the later
        // ones find the work done.
        match c {
            DbConnection::Pg(_) => execute(c, format!("SELECT pg_advisory_xact_lock({SPELLS_LOCK})"))?,
            DbConnection::Sqlite(_) => execute(c, "DELETE FROM east_spell_rules WHERE id = 0".into())?,
        }
        if stamped(c)? == wanted {
            return Ok(false);
        }
        execute(c, "DELETE FROM east_spell_rules".into())?;
        if let Some(w) = &wanted {
            let now = crate::db::models::now().format("%Y-%m-%d %H:%M:%S%.6f");
            execute(
                c,
                format!(
                    "INSERT INTO east_spell_rules (id, east_provinces, max_gap_days, stamped_at) \
                     VALUES (1, '{}', {}, '{now}')",
                    w.east_provinces, w.max_gap_days
                ),
            )?;
            stamp(c, w, People::All)?;
        }
        Ok(true)
    })
}

/// The PostgreSQL advisory lock under which [`keep_for`] works.
const SPELLS_LOCK: i64 = 0x6c62_7370_656c;

/// Works out again the spells of these people's placements, under the
/// rules recorded (nothing before any are). Called inside the write's
/// transaction after any placement of theirs was added, changed, removed
/// or moved to them.
pub fn restamp(c: &mut DbConnection, people: &[i64]) -> QueryResult<()> {
    if people.is_empty() {
        return Ok(());
    }
    match stamped(c)? {
        Some(rules) => stamp(c, &rules, People::These(people)).map(drop),
        None => Ok(()),
    }
}

/// Works out again every placement's spell under the rules recorded (after
/// a bulk load that bypassed the write path, e.g. `gen`).
pub fn restamp_all(c: &mut DbConnection) -> QueryResult<()> {
    match stamped(c)? {
        Some(rules) => stamp(c, &rules, People::All).map(drop),
        None => Ok(()),
    }
}

/// People whose spells [`check_all`] works out in one transaction.
const CHECK_BATCH: i64 = 20_000;

/// Works every kept spell out again under the rules recorded, a range of
/// `CHECK_BATCH` people at a time, each range in its own short write
/// transaction (a running service's writes go in between), and returns how
/// many placements' kept starts were wrong and are now right. That is 0
/// unless placements were changed outside labour-bridge's write path (SQL
/// by hand, another program), which the write path cannot see; `labour-bridge
/// reindex` runs this. `progress(done, total)` follows the people's ids.
pub fn check_all(c: &mut DbConnection, mut progress: impl FnMut(u64, u64)) -> QueryResult<usize> {
    let Some(rules) = stamped(c)? else { return Ok(0) };
    let last = super::ledger_jobs::last_labourer_id(c)?;
    let mut corrected = 0;
    let mut first = 0;
    while first <= last {
        let end = first.saturating_add(CHECK_BATCH - 1);
        corrected += crate::db::write_tx(c, |c| stamp(c, &rules, People::Range(first, end)))?;
        progress(end.min(last).max(0) as u64, last.max(0) as u64);
        first = end.saturating_add(1);
    }
    Ok(corrected)
}

/// Whose placements [`stamp`] works on.
#[derive(Clone, Copy)]
enum People<'a> {
    /// Everyone.
    All,
    /// These ids.
    These(&'a [i64]),
    /// Ids from the first to the second, both included.
    Range(i64, i64),
}

/// Works the spells out for `people`; returns how many placements' kept
/// starts changed.
fn stamp(c: &mut DbConnection, rules: &SpellRules, people: People<'_>) -> QueryResult<usize> {
    let scope = match people {
        People::All => "1 = 1".to_string(),
        People::These(ids) => {
            format!("labourer_id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
        }
        People::Range(first, last) => format!("labourer_id BETWEEN {first} AND {last}"),
    };
    let east = rules.in_list();
    let gap = rules.max_gap_days;
    let pg = matches!(c, DbConnection::Pg(_));
    // Days from the previous end to this start, an open end as never.
    let (never, days, differs) = if pg {
        ("DATE '9999-12-31'", "started_on - prev_end", "IS DISTINCT FROM")
    } else {
        ("'9999-12-31'", "julianday(started_on) - julianday(prev_end)", "IS NOT")
    };
    let spells = format!(
        "SELECT id, max(fresh) OVER (PARTITION BY labourer_id ORDER BY started_on, id ROWS UNBOUNDED PRECEDING) AS spell \
         FROM (SELECT id, labourer_id, started_on, \
                 CASE WHEN prev_end IS NULL OR {days} > {gap} THEN started_on END AS fresh \
               FROM (SELECT id, labourer_id, started_on, \
                       max(coalesce(ended_on, {never})) OVER (PARTITION BY labourer_id ORDER BY started_on, id \
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end \
                     FROM placements WHERE work_province IN ({east}) AND {scope}) AS e) AS f"
    );
    // The scope again on the rows updated: without it PostgreSQL joined a
    // range of 20,000 people's spells to every placement (a sequential
    // scan of 3,000,000 rows per range, 41 s for a whole check at that
    // scale) instead of only to theirs.
    let changed = diesel::sql_query(format!(
        "UPDATE placements SET east_spell_started_on = s.spell FROM ({spells}) AS s \
         WHERE placements.id = s.id AND placements.east_spell_started_on {differs} s.spell AND {scope}"
    ))
    .execute(c)?;
    let left = diesel::sql_query(format!(
        "UPDATE placements SET east_spell_started_on = NULL WHERE {scope} AND east_spell_started_on IS NOT NULL \
         AND (work_province IS NULL OR work_province NOT IN ({east}))"
    ))
    .execute(c)?;
    Ok(changed + left)
}

fn execute(c: &mut DbConnection, sql: String) -> QueryResult<()> {
    c.batch_execute(&sql)
}
