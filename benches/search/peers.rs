//! The peers search is measured against, on the same postings and the
//! same queries: SQLite FTS5 (over the same jieba words, so it can find
//! Chinese at all) and PostgreSQL `pg_trgm` with a GIN index (`LIKE
//! '%word%'`, as a trigram index is used). Each answers what the obvious
//! SQL answers: how many open postings have the word, and the first 20
//! (FTS5 by its bm25 rank). Neither knows synonyms, places or facets.
//!
//! The peer tables are built once from the registry's postings and kept
//! (FTS5 in `peers-fts5.sqlite3` beside the registry, PostgreSQL in the
//! database `lb_bench_peers`); a table with another row count is rebuilt.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::SqliteConnection;

use labour_bridge::search::text::Analyzer;

/// A posting as the peers see it.
#[derive(QueryableByName)]
pub struct Row {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub occupation: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub description: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub closes_on: Option<String>,
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn sql_opt(s: &Option<String>) -> String {
    s.as_deref().map(sql_text).unwrap_or_else(|| "NULL".into())
}

/// SQLite FTS5 over the words jieba gives (search mode), ranked by bm25.
pub fn fts5(
    path: &str,
    rows: &[Row],
    analyzer: &Analyzer,
    queries: &[&str],
    rounds: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mut c = SqliteConnection::establish(path)?;
    let have = diesel::sql_query("SELECT COUNT(*) AS n FROM peer").get_result::<N>(&mut c).map(|n| n.n).unwrap_or(-1);
    if have != rows.len() as i64 {
        let t = Instant::now();
        c.batch_execute(
            "DROP TABLE IF EXISTS peer; \
             CREATE VIRTUAL TABLE peer USING fts5(words, status UNINDEXED, closes_on UNINDEXED, tokenize = 'unicode61');",
        )?;
        for chunk in rows.chunks(1_000) {
            let mut sql = String::from("BEGIN; ");
            for r in chunk {
                let text = format!(
                    "{} {} {}",
                    r.title,
                    r.occupation.as_deref().unwrap_or(""),
                    r.description.as_deref().unwrap_or("")
                );
                let words: Vec<String> = analyzer.index_terms(&text).into_iter().collect();
                sql.push_str(&format!(
                    "INSERT INTO peer(rowid, words, status, closes_on) VALUES ({}, {}, {}, {}); ",
                    r.id,
                    sql_text(&words.join(" ")),
                    sql_text(&r.status),
                    sql_opt(&r.closes_on)
                ));
            }
            sql.push_str("COMMIT;");
            c.batch_execute(&sql)?;
        }
        eprintln!("built the FTS5 peer ({} rows) in {:.1} s", rows.len(), t.elapsed().as_secs_f64());
    }
    let mut times = Vec::new();
    for _ in 0..rounds {
        for q in queries {
            let words: Vec<String> = analyzer.query_words(q).iter().map(|w| format!("\"{w}\"")).collect();
            let m = sql_text(&words.join(" AND "));
            let open = "status = 'open' AND (closes_on IS NULL OR closes_on >= date('now'))";
            let t = Instant::now();
            let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM peer WHERE peer MATCH {m} AND {open}"))
                .get_result::<N>(&mut c)?;
            let page = diesel::sql_query(format!(
                "SELECT rowid AS id FROM peer WHERE peer MATCH {m} AND {open} ORDER BY rank LIMIT 20"
            ))
            .load::<Id>(&mut c)?;
            times.push(t.elapsed());
            std::hint::black_box((n.n, page.iter().map(|p| p.id).sum::<i64>()));
        }
    }
    Ok(times)
}

/// PostgreSQL with `pg_trgm` and a GIN index on the three texts.
pub fn pg_trgm(base_url: &str, rows: &[Row], queries: &[&str], rounds: usize) -> anyhow::Result<Vec<Duration>> {
    let mut admin = PgConnection::establish(base_url)?;
    let exists = diesel::sql_query("SELECT COUNT(*) AS n FROM pg_database WHERE datname = 'lb_bench_peers'")
        .get_result::<N>(&mut admin)?
        .n
        > 0;
    if !exists {
        admin.batch_execute("CREATE DATABASE lb_bench_peers ENCODING 'UTF8' TEMPLATE template0")?;
    }
    let url = match base_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/lb_bench_peers"),
        None => anyhow::bail!("LB_BENCH_PG_URL should end in /database"),
    };
    let mut c = PgConnection::establish(&url)?;
    let have = diesel::sql_query("SELECT COUNT(*) AS n FROM peer").get_result::<N>(&mut c).map(|n| n.n).unwrap_or(-1);
    if have != rows.len() as i64 {
        let t = Instant::now();
        c.batch_execute(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm; DROP TABLE IF EXISTS peer; \
             CREATE TABLE peer (id bigint PRIMARY KEY, doc text NOT NULL, status text NOT NULL, closes_on date);",
        )?;
        for chunk in rows.chunks(1_000) {
            let values: Vec<String> = chunk
                .iter()
                .map(|r| {
                    let doc = format!(
                        "{} {} {}",
                        r.title,
                        r.occupation.as_deref().unwrap_or(""),
                        r.description.as_deref().unwrap_or("")
                    );
                    format!("({}, {}, {}, {})", r.id, sql_text(&doc), sql_text(&r.status), sql_opt(&r.closes_on))
                })
                .collect();
            c.batch_execute(&format!("INSERT INTO peer VALUES {}", values.join(", ")))?;
        }
        c.batch_execute("CREATE INDEX peer_doc_trgm ON peer USING gin (doc gin_trgm_ops); ANALYZE peer;")?;
        eprintln!("built the pg_trgm peer ({} rows) in {:.1} s", rows.len(), t.elapsed().as_secs_f64());
    }
    let open = "status = 'open' AND (closes_on IS NULL OR closes_on >= CURRENT_DATE)";
    let mut times = Vec::new();
    for _ in 0..rounds {
        for q in queries {
            let likes: Vec<String> =
                q.split_whitespace().map(|w| format!("doc LIKE {}", sql_text(&format!("%{w}%")))).collect();
            let cond = likes.join(" AND ");
            let t = Instant::now();
            let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM peer WHERE {cond} AND {open}"))
                .get_result::<N>(&mut c)?;
            let page = diesel::sql_query(format!("SELECT id FROM peer WHERE {cond} AND {open} ORDER BY id LIMIT 20"))
                .load::<Id>(&mut c)?;
            times.push(t.elapsed());
            std::hint::black_box((n.n, page.iter().map(|p| p.id).sum::<i64>()));
        }
    }
    Ok(times)
}
