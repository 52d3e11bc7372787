//! Search benchmark, in process, on a registry made by `gen` and indexed by
//! `reindex` (see `scripts/bench_search.sh`, which sets the variables):
//!
//!   LB_BENCH_DATABASE_URL  the database
//!   LB_BENCH_DATA_DIR      its data directory (the index is in `index/`)
//!
//! Reports p50/p99 of posting search, of matching (profile read from the
//! database included, as the endpoint does), and of the obvious SQL
//! (`LIKE '%word%'` over title, occupation and description) for the same
//! queries, with the ratio. Figures only: nothing here passes or fails.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

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
    let (search_p50, _) = report("search (in process, 20 queries, open only, top 20 + facets + highlights)", times);

    let mut conn = db.get()?;
    let max_id: i64 =
        diesel::sql_query("SELECT COALESCE(MAX(id), 0) AS n FROM labourers").get_result::<N>(&mut *conn)?.n;
    let mut times = Vec::new();
    let people = 500.min(max_id.max(1)) as i64;
    for k in 0..people {
        let id = 1 + (k * 7_919) % max_id.max(1);
        let t = Instant::now();
        let Some(row) = labourer::get(&mut conn, LabourerId(id))? else { continue };
        let certs = enrolment::certificates(&mut conn, LabourerId(id))?;
        let profile = Profile::of(&row, &certs);
        let mut hires = |ids: &[i64]| -> anyhow::Result<HashMap<i64, i64>> {
            Ok(store::hires_of(&mut conn, ids)?.into_iter().collect())
        };
        search.matches(&profile, 20, false, today, &mut hires)?;
        times.push(t.elapsed());
    }
    report("matches (in process, profile from the database, top 20)", times);

    // The obvious SQL: the word typed, LIKE over three columns, open only.
    let sql_rounds = 3;
    let mut times = Vec::new();
    for _ in 0..sql_rounds {
        for q in QUERIES {
            let word = q.split_whitespace().last().unwrap_or(q);
            let pattern = format!("%{word}%");
            let t = Instant::now();
            let n = diesel::sql_query(
                "SELECT COUNT(*) AS n FROM postings WHERE status = 'open' \
                 AND (closes_on IS NULL OR closes_on >= CURRENT_DATE) \
                 AND (title LIKE $1 OR occupation LIKE $1 OR description LIKE $1)",
            )
            .bind::<Text, _>(&pattern)
            .get_result::<N>(&mut *conn)
            .or_else(|_| {
                diesel::sql_query(
                    "SELECT COUNT(*) AS n FROM postings WHERE status = 'open' \
                     AND (closes_on IS NULL OR closes_on >= CURRENT_DATE) \
                     AND (title LIKE ?1 OR occupation LIKE ?1 OR description LIKE ?1)",
                )
                .bind::<Text, _>(&pattern)
                .get_result::<N>(&mut *conn)
            })?;
            let page = diesel::sql_query(
                "SELECT id FROM postings WHERE status = 'open' \
                 AND (closes_on IS NULL OR closes_on >= CURRENT_DATE) \
                 AND (title LIKE $1 OR occupation LIKE $1 OR description LIKE $1) ORDER BY id LIMIT 20",
            )
            .bind::<Text, _>(&pattern)
            .load::<Id>(&mut *conn)
            .or_else(|_| {
                diesel::sql_query(
                    "SELECT id FROM postings WHERE status = 'open' \
                     AND (closes_on IS NULL OR closes_on >= CURRENT_DATE) \
                     AND (title LIKE ?1 OR occupation LIKE ?1 OR description LIKE ?1) ORDER BY id LIMIT 20",
                )
                .bind::<Text, _>(&pattern)
                .load::<Id>(&mut *conn)
            })?;
            times.push(t.elapsed());
            std::hint::black_box((n.n, page.iter().map(|p| p.id).sum::<i64>()));
        }
    }
    let (sql_p50, _) = report("SQL baseline (LIKE '%word%', count + first 20)", times);
    println!();
    println!("ratio (SQL p50 / search p50): {:.0}×", sql_p50.as_secs_f64() / search_p50.as_secs_f64().max(1e-9));
    let mut t: Vec<_> = totals.into_iter().collect();
    t.sort();
    println!("hits per query (search, open only): {t:?}");
    search.stop_indexer();
    Ok(())
}
