//! Search benchmark, in process, on a registry made by `gen` and indexed by
//! `reindex` (see `scripts/bench_search.sh`, which sets the variables):
//!
//!   LB_BENCH_DATABASE_URL  the database
//!   LB_BENCH_DATA_DIR      its data directory (the index is in `index/`)
//!
//!   LB_BENCH_PG_URL        optional: a PostgreSQL server for the pg_trgm
//!                          peer (e.g. postgres://postgres@127.0.0.1/postgres)
//!   LB_BENCH_PEERS=0       optional: leave the peers out (profiling our own
//!                          search and matching alone)
//!   LB_BENCH_PER_QUERY=1   optional: also each query's own p50/p99 (uncached)
//!
//! Reports p50/p99 of posting search (each query's first answer on a
//! commit, i.e. with the result cache off, and the cached answer), of
//! matching and candidates (profile, used headcount and employment read
//! from the database, as the endpoints do), and of the peers on the same
//! postings and queries: the obvious SQL (`LIKE '%word%'` over title,
//! occupation and description), SQLite FTS5 and PostgreSQL pg_trgm with a
//! GIN index, with the ratios. Figures only: nothing here passes or fails.

#[path = "search/peers.rs"]
mod peers;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use labour_bridge::db::models::search as store;
use labour_bridge::db::models::{enrolment, labourer};
use labour_bridge::db::Db;
use labour_bridge::domain::LabourerId;
use labour_bridge::search::query::PostingSearch;
use labour_bridge::search::schema::Profile;
use labour_bridge::search::Search;

const QUERIES: &[&str] = &[
    "厨师",
    "粤菜师傅",
    "普工",
    "电子厂",
    "保安",
    "家政",
    "司机",
    "江门 厨师",
    "包吃住 普工",
    "深圳 普工",
    "叉车",
    "服务员",
    "保洁",
    "月嫂",
    "焊工",
    "仓管",
    "收银",
    "大厨",
    "门卫",
    "操作工",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(label: &str, mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let (p50, p99) = (percentile(&times, 0.50), percentile(&times, 0.99));
    println!(
        "| {label} | {} | {:.3} ms | {:.3} ms |",
        times.len(),
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
    (p50, p99)
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn main() -> anyhow::Result<()> {
    let (Ok(url), Ok(dir)) = (std::env::var("LB_BENCH_DATABASE_URL"), std::env::var("LB_BENCH_DATA_DIR")) else {
        eprintln!("set LB_BENCH_DATABASE_URL and LB_BENCH_DATA_DIR (scripts/bench_search.sh does); nothing measured");
        return Ok(());
    };
    let rounds: usize = std::env::var("LB_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(50);
    let db = Db::connect(&url, 4)?;
    let search = Search::open(&std::path::Path::new(&dir).join("index"), &db, "440704")?;
    let today = Utc::now().date_naive();
    let ask = |q: &str| PostingSearch {
        q: q.to_string(),
        region: None,
        salary_min: None,
        benefits: Vec::new(),
        education: None,
        open_only: true,
        limit: 20,
        offset: 0,
        today,
    };
    println!("| measurement | runs | p50 | p99 |");
    println!("|---|---|---|---|");
    // Warm the page cache and the searcher.
    search.results.set_enabled(false);
    for q in QUERIES {
        search.search_postings(&ask(q))?;
    }
    let mut times = Vec::new();
    let mut totals = HashMap::new();
    for _ in 0..rounds {
        for q in QUERIES {
            let t = Instant::now();
            let r = search.search_postings(&ask(q))?;
            times.push(t.elapsed());
            totals.insert(*q, r.total);
        }
    }
    if std::env::var("LB_BENCH_PER_QUERY").is_ok_and(|v| v == "1") {
        // Each query's own p50 (runs are in query order, round after round).
        for (k, q) in QUERIES.iter().enumerate() {
            let mine: Vec<Duration> = times.iter().skip(k).step_by(QUERIES.len()).copied().collect();
            report(&format!("  {q} ({} hits)", totals[q]), mine);
        }
    }
    let (search_p50, search_p99) =
        report("search, result cache off (20 queries, open only, top 20 + facets + highlights)", times);
    search.results.set_enabled(true);
    let mut times = Vec::new();
    for _ in 0..rounds {
        for q in QUERIES {
            let t = Instant::now();
            std::hint::black_box(search.search_postings(&ask(q))?.total);
            times.push(t.elapsed());
        }
    }
    report("search, result cache on (the same queries again on the same commit)", times);

    let mut conn = db.get()?;
    let max_id: i64 =
        diesel::sql_query("SELECT COALESCE(MAX(id), 0) AS n FROM labourers").get_result::<N>(&mut *conn)?.n;
    let mut times = Vec::new();
    let mut empty = 0;
    let people = 500.min(max_id.max(1));
    for k in 0..people {
        let id = 1 + (k * 7_919) % max_id.max(1);
        let t = Instant::now();
        let Some(row) = labourer::get(&mut conn, LabourerId(id))? else { continue };
        let certs = enrolment::certificates(&mut conn, LabourerId(id))?;
        let profile = Profile::of(&row, &certs);
        let mut hires = |ids: &[i64]| -> anyhow::Result<HashMap<i64, i64>> {
            Ok(store::hires_of(&mut conn, ids)?.into_iter().collect())
        };
        let r = search.matches(&profile, 20, false, today, &mut hires)?;
        times.push(t.elapsed());
        empty += usize::from(r.hits.is_empty());
    }
    let (match_p50, _) = report("matches (profile and used headcount from the database, top 20)", times);

    let max_posting: i64 =
        diesel::sql_query("SELECT COALESCE(MAX(id), 0) AS n FROM postings").get_result::<N>(&mut *conn)?.n;
    let mut times = Vec::new();
    for k in 0..200.min(max_posting.max(1)) {
        let id = 1 + (k * 7_919) % max_posting.max(1);
        let t = Instant::now();
        let Some(doc) = store::postings_by_ids(&mut conn, &[id])?.pop() else { continue };
        let mut employed = |ids: &[i64]| -> anyhow::Result<HashSet<i64>> {
            Ok(store::employed_of(&mut conn, ids, today)?.into_iter().collect())
        };
        let found = search.candidates(&doc, 20, today, Some(&mut employed))?;
        let ids: Vec<i64> = found.iter().map(|f| f.id).collect();
        std::hint::black_box(store::labourers_by_ids(&mut conn, &ids)?.len());
        times.push(t.elapsed());
    }
    let (cand_p50, _) = report("candidates (posting, employment and names from the database, top 20)", times);
    if std::env::var("LB_BENCH_PEERS").is_ok_and(|v| v == "0") {
        search.stop_indexer();
        return Ok(());
    }

    // The obvious SQL: every word typed, LIKE over three columns, open only.
    let sql_rounds = 3;
    let mut times = Vec::new();
    for _ in 0..sql_rounds {
        for q in QUERIES {
            // The words are this file's own list: quoted inline.
            let like = |w: &str| {
                let p = format!("'%{}%'", w.replace('\'', "''"));
                format!("(title LIKE {p} OR occupation LIKE {p} OR description LIKE {p})")
            };
            let cond = q.split_whitespace().map(like).collect::<Vec<_>>().join(" AND ");
            let open = "status = 'open' AND (closes_on IS NULL OR closes_on >= CURRENT_DATE)";
            let t = Instant::now();
            let count = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM postings WHERE {open} AND {cond}"));
            let page =
                diesel::sql_query(format!("SELECT id FROM postings WHERE {open} AND {cond} ORDER BY id LIMIT 20"));
            let n = count.get_result::<N>(&mut *conn)?;
            let page = page.load::<Id>(&mut *conn)?;
            times.push(t.elapsed());
            std::hint::black_box((n.n, page.iter().map(|p| p.id).sum::<i64>()));
        }
    }
    let (like_p50, like_p99) = report("peer: SQL LIKE '%word%' (count + first 20)", times);

    let rows: Vec<peers::Row> = diesel::sql_query(
        "SELECT id, title, occupation, description, status, CAST(closes_on AS TEXT) AS closes_on FROM postings",
    )
    .load(&mut *conn)?;
    let mut peer_p50 = vec![("SQL LIKE", like_p50, like_p99)];
    let fts_path = format!("{dir}/peers-fts5.sqlite3");
    match peers::fts5(&fts_path, &rows, search.analyzer(), QUERIES, sql_rounds) {
        Ok(times) => {
            let (p50, p99) = report("peer: SQLite FTS5 over jieba words, bm25 (count + first 20)", times);
            peer_p50.push(("SQLite FTS5", p50, p99));
        }
        Err(e) => println!("| peer: SQLite FTS5 | failed: {e} | | |"),
    }
    if let Ok(pg) = std::env::var("LB_BENCH_PG_URL") {
        match peers::pg_trgm(&pg, &rows, QUERIES, sql_rounds) {
            Ok(times) => {
                let (p50, p99) = report("peer: PostgreSQL pg_trgm GIN, LIKE '%word%' (count + first 20)", times);
                peer_p50.push(("PostgreSQL pg_trgm", p50, p99));
            }
            Err(e) => println!("| peer: PostgreSQL pg_trgm | failed: {e} | | |"),
        }
    }
    println!();
    println!("| peer | peer p50 / our p50 (cache off) | peer p99 / our p99 (cache off) |");
    println!("|---|---|---|");
    for (name, p50, p99) in peer_p50 {
        println!(
            "| {name} | {:.1}× | {:.1}× |",
            p50.as_secs_f64() / search_p50.as_secs_f64().max(1e-9),
            p99.as_secs_f64() / search_p99.as_secs_f64().max(1e-9)
        );
    }
    println!();
    println!(
        "matches p50 {:.3} ms ({empty} of {people} people with an empty list); candidates p50 {:.3} ms",
        match_p50.as_secs_f64() * 1000.0,
        cand_p50.as_secs_f64() * 1000.0
    );
    let mut t: Vec<_> = totals.into_iter().collect();
    t.sort();
    println!("hits per query (search, open only): {t:?}");
    search.stop_indexer();
    Ok(())
}
