//! Relevance you can see: nDCG@10 of posting search over a hand-graded set
//! (`tests/relevance/`: realistic postings and the queries trainees type,
//! each with the postings a good clerk would put first).
//!
//! The floor is 0.85 mean nDCG@10, and no single query below 0.40. When a
//! search bug is found, add its query here with the grades it should get.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::helpers::{urlencode, TestApp};

/// Mean nDCG@10 must stay at or above this.
const MEAN_FLOOR: f64 = 0.85;
/// And no query may fall below this.
const QUERY_FLOOR: f64 = 0.40;

crate::on_both_backends!(
    search_relevance_stays_above_the_ndcg_floor,
    an_older_person_with_narrow_wishes_gets_work_he_can_take,
);

#[derive(Deserialize)]
struct Posting {
    key: String,
    employer: String,
    title: String,
    occupation: Option<String>,
    description: Option<String>,
    region_code: String,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    benefits: Vec<String>,
    education_min: Option<String>,
    gender_requirement: Option<String>,
    min_age: Option<i64>,
    max_age: Option<i64>,
}

#[derive(Deserialize)]
struct Judged {
    q: String,
    relevant: HashMap<String, u32>,
}

fn dcg(gains: impl Iterator<Item = f64>) -> f64 {
    gains.enumerate().map(|(i, g)| (2f64.powf(g) - 1.0) / ((i + 2) as f64).log2()).sum()
}

/// nDCG@k of a ranking (keys) against graded judgements.
fn ndcg(ranked: &[String], relevant: &HashMap<String, u32>, k: usize) -> f64 {
    let got = dcg(ranked.iter().take(k).map(|key| f64::from(relevant.get(key).copied().unwrap_or(0))));
    let mut ideal: Vec<u32> = relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter().take(k).map(f64::from));
    if best == 0.0 {
        0.0
    } else {
        got / best
    }
}

#[test]
fn ndcg_is_one_for_the_ideal_order_and_less_otherwise() {
    let rel: HashMap<String, u32> = [("a".to_string(), 3), ("b".to_string(), 1)].into();
    let ideal = ndcg(&["a".into(), "b".into()], &rel, 10);
    assert!((ideal - 1.0).abs() < 1e-9);
    let swapped = ndcg(&["b".into(), "a".into()], &rel, 10);
    assert!(swapped < 0.9 && swapped > 0.5, "{swapped}");
    assert_eq!(ndcg(&["x".into()], &rel, 10), 0.0);
}

/// Creates the graded postings through the API and waits until the index
/// has them all; their ids with their keys, and the judged queries.
async fn load(app: &TestApp) -> (HashMap<i64, String>, Vec<Judged>) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/relevance");
    let postings: Vec<Posting> =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/postings.json")).unwrap()).unwrap();
    let queries: Vec<Judged> =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/queries.json")).unwrap()).unwrap();
    assert!(postings.len() >= 40 && queries.len() >= 20);
    let mut employers: HashMap<String, i64> = HashMap::new();
    let mut key_of: HashMap<i64, String> = HashMap::new();
    for p in &postings {
        let employer = match employers.get(&p.employer) {
            Some(id) => *id,
            None => {
                let (s, b) = app
                    .post("/api/v1/employers", &app.clerk, json!({"name": p.employer, "region_code": p.region_code}))
                    .await;
                assert_eq!(s, 201, "{b}");
                let id = b["id"].as_i64().unwrap();
                employers.insert(p.employer.clone(), id);
                id
            }
        };
        let (s, b) = app
            .post(
                "/api/v1/postings",
                &app.clerk,
                json!({"employer_id": employer, "title": p.title, "occupation": p.occupation, "description": p.description,
                       "headcount": 5, "region_code": p.region_code, "salary_min": p.salary_min, "salary_max": p.salary_max,
                       "benefits": p.benefits, "education_min": p.education_min,
                       "gender_requirement": p.gender_requirement.clone().unwrap_or_else(|| "any".into()),
                       "min_age": p.min_age, "max_age": p.max_age}),
            )
            .await;
        assert_eq!(s, 201, "{}: {b}", p.key);
        key_of.insert(b["id"].as_i64().unwrap(), p.key.clone());
    }
    // Wait until the index has every posting.
    let started = Instant::now();
    loop {
        let (_, b) = app.call("GET", "/api/v1/postings/search?limit=1", Some(&app.clerk), None).await;
        if b["total"].as_u64() == Some(postings.len() as u64) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "index did not catch up: {b}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (key_of, queries)
}

async fn search_relevance_stays_above_the_ndcg_floor(app: TestApp) {
    let (key_of, queries) = load(&app).await;
    let mut total = 0.0;
    let mut report = Vec::new();
    let mut worst: Option<(f64, String)> = None;
    for j in &queries {
        let path = format!("/api/v1/postings/search?limit=10&q={}", urlencode(&j.q));
        let (s, b): (u16, Value) = app.call("GET", &path, Some(&app.clerk), None).await;
        assert_eq!(s, 200, "{b}");
        let ranked: Vec<String> = b["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| key_of.get(&h["id"].as_i64().unwrap()).cloned().unwrap_or_default())
            .collect();
        let score = ndcg(&ranked, &j.relevant, 10);
        total += score;
        report.push(format!("{score:.3}  {}  → {}", j.q, ranked.join(", ")));
        if worst.as_ref().is_none_or(|(w, _)| score < *w) {
            worst = Some((score, j.q.clone()));
        }
    }
    let mean = total / queries.len() as f64;
    let report = report.join("\n");
    println!("mean nDCG@10 = {mean:.3} over {} queries\n{report}", queries.len());
    assert!(mean >= MEAN_FLOOR, "mean nDCG@10 {mean:.3} is below the floor {MEAN_FLOOR}\n{report}");
    let (w, q) = worst.unwrap();
    assert!(w >= QUERY_FLOOR, "query `{q}` scores {w:.3}, below {QUERY_FLOOR}\n{report}");
}

/// Matching for a man of 57 with primary schooling who wants only 保姆
/// work near 蓬江: every domestic posting is for women or younger people,
/// so what he gets is related work (care, cleaning) first, then other work
/// he can take — never an empty list, never a posting he cannot take.
async fn an_older_person_with_narrow_wishes_gets_work_he_can_take(app: TestApp) {
    let (key_of, _) = load(&app).await;
    let me = app
        .labourer(json!({"id_number": crate::helpers::id_number("440703", "19690201", 71), "name": "梁伯",
                         "education": "primary", "desired_occupations": ["保姆"], "desired_region_codes": ["440703"]}))
        .await;
    let path = format!("/api/v1/labourers/{}/matches?limit=10", me["id"]);
    let (s, b) = app.call("GET", &path, Some(&app.clerk), None).await;
    assert_eq!(s, 200, "{b}");
    let ranked: Vec<String> = b["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| key_of.get(&h["id"].as_i64().unwrap()).cloned().unwrap_or_default())
        .collect();
    // Every posting he can take (age, gender, education), graded.
    let relevant: HashMap<String, u32> = [
        ("carer-pengjiang-2", 3),
        ("cleaner-jianghai-1", 2),
        ("kitchen-cleaner-1", 2),
        ("cleaner-daxin-1", 2),
        ("guard-jianghai-2", 1),
        ("garment-daxin-1", 1),
        ("farming-daxin-1", 1),
        ("mason-xinhui-1", 1),
        ("rider-foshan-1", 1),
    ]
    .into_iter()
    .map(|(k, g)| (k.to_string(), g))
    .collect();
    assert!(!ranked.is_empty(), "an empty list while he can take {relevant:?}");
    for key in &ranked {
        assert!(relevant.contains_key(key), "{key} is not his to take: {ranked:?}");
    }
    let score = ndcg(&ranked, &relevant, 10);
    println!("matches nDCG@10 = {score:.3}: {}", ranked.join(", "));
    assert!(score >= 0.80, "matches nDCG@10 {score:.3}: {ranked:?}");
}
