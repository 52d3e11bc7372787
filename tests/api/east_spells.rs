//! stable-east reads the east spells the registry keeps on each placement
//! (`placements.east_spell_started_on`). Kept or chained again from each
//! person's history by the ledger's own rule, the ledger is the same: for
//! histories with gaps of 30, 31 and 32 days, overlaps, open jobs and west
//! jobs in between, after placements are added, changed and deleted, on
//! several days.

use chrono::{Days, NaiveDate};
use diesel::RunQueryDsl;
use serde_json::{json, Value};

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    stable_east_from_kept_spells_equals_the_rule,
    instances_opening_one_database_together_work_the_spells_out_once,
    a_placement_changed_outside_labour_bridge_is_corrected_by_the_check,
);

const DAYS: [&str; 7] =
    ["2019-01-31", "2019-03-31", "2019-06-30", "2019-08-31", "2019-09-15", "2019-11-30", "2020-02-29"];

/// A small deterministic generator (the same histories on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// stable-east on each of [`DAYS`], as the API gives it.
async fn ledgers(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    for d in DAYS {
        let (s, l) = app.get(&format!("/api/v1/ledgers/stable-east?year={}&as_of={d}", &d[..4]), &app.clerk).await;
        assert_eq!(s, 200, "{l}");
        out.push(json!({"as_of": d, "count": l["count"], "rows": l["rows"]}));
    }
    out
}

/// Every placement's kept spell start, by id.
fn kept(c: &mut labour_bridge::db::DbConnection) -> Vec<(i64, Option<NaiveDate>)> {
    use diesel::prelude::*;
    use labour_bridge::db::schema::placements::dsl::*;
    placements.select((id, east_spell_started_on)).order(id).load(c).unwrap()
}

async fn stable_east_from_kept_spells_equals_the_rule(app: TestApp) {
    let mut rng = Lcg(2019);
    let mut jobs: Vec<(i64, i64)> = Vec::new();
    for serial in 1..=36u32 {
        let l = app
            .labourer(json!({"id_number": id_number("451424", "19900101", serial), "name": format!("连续{serial}"),
                "poverty_status": if serial % 9 == 0 { "none" } else { "registered_poor" }}))
            .await;
        let who = l["id"].as_i64().unwrap();
        let mut start = day("2018-06-01") + Days::new(rng.below(300));
        for k in 0..1 + rng.below(5) {
            let length = 20 + rng.below(200) as i64;
            let open = k > 0 && rng.below(3) == 0;
            let end = start + chrono::Duration::days(length);
            let region = ["440704", "330100", "440704", "450103"][rng.below(4) as usize];
            let (s, b) = app
                .post(
                    "/api/v1/placements",
                    &app.clerk,
                    json!({"labourer_id": who, "employer_name": "江门某厂",
                    "region_code": region, "started_on": start, "ended_on": (!open).then_some(end),
                    "channel": "referral", "part_time": true}),
                )
                .await;
            assert_eq!(s, 201, "{b}");
            jobs.push((who, b["id"].as_i64().unwrap()));
            if open {
                break;
            }
            // Gaps around the 31 days a spell bridges, and overlaps.
            let gap = [-20, 0, 1, 30, 31, 32, 33, 60][rng.below(8) as usize];
            start = end + chrono::Duration::days(gap);
        }
    }
    // Changes through the write path: places and dates, and deletions.
    for (k, (_, job)) in jobs.iter().enumerate() {
        let path = format!("/api/v1/placements/{job}");
        match k % 6 {
            1 => {
                let p = app.get_ok(&path, &app.clerk).await;
                let region = if p["region_code"] == "450103" { "440704" } else { "450103" };
                app.patch_ok(&path, &app.clerk, json!({"region_code": region, "version": p["version"]})).await;
            }
            3 => {
                let p = app.get_ok(&path, &app.clerk).await;
                let started: NaiveDate = p["started_on"].as_str().unwrap().parse().unwrap();
                let earlier = started - Days::new(12);
                app.patch_ok(&path, &app.clerk, json!({"started_on": earlier, "version": p["version"]})).await;
            }
            5 => assert_eq!(app.delete(&path, &app.clerk).await.0, 204),
            _ => {}
        }
    }
    assert_eq!(app.count("east_spell_rules"), 1, "the spells are kept under the configured rules");
    assert!(app.count_where("placements", "east_spell_started_on IS NOT NULL") > 20);
    let from_kept = ledgers(&app).await;
    let listed: usize = from_kept.iter().map(|l| l["rows"].as_array().unwrap().len()).sum();
    assert!(listed > 40, "the histories make stable rows on the days asked ({listed})");

    // Without a record of the rules they were kept under, the ledger
    // chains every history itself (DESIGN §5's rule).
    let db = labour_bridge::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = db.get().unwrap();
    let before = kept(&mut c);
    diesel::sql_query("DELETE FROM east_spell_rules").execute(&mut *c).unwrap();
    let from_rule = ledgers(&app).await;
    for (a, b) in from_kept.iter().zip(&from_rule) {
        assert_eq!(a, b, "stable-east from the kept spells differs from the rule's on {}", a["as_of"]);
    }

    // Worked out again all at once, the spells are those kept write by write.
    let rules = labour_bridge::ledger::rules::Rules::default();
    assert!(labour_bridge::db::models::east_spells::keep_for(&mut c, &rules).unwrap());
    assert!(!labour_bridge::db::models::east_spells::keep_for(&mut c, &rules).unwrap(), "once is enough");
    assert_eq!(kept(&mut c), before);
}

/// Several instances started together on one database each open it and
/// find the spells not yet worked out under their rules: one works them
/// out, the others wait for it and then find nothing to do (none fails).
async fn instances_opening_one_database_together_work_the_spells_out_once(app: TestApp) {
    let db = labour_bridge::db::Db::connect(&app.database_url, 1).unwrap();
    diesel::sql_query("DELETE FROM east_spell_rules").execute(&mut *db.get().unwrap()).unwrap();
    let together = std::sync::Arc::new(std::sync::Barrier::new(3));
    let opening: Vec<_> = (0..3)
        .map(|_| {
            let (url, together) = (app.database_url.clone(), together.clone());
            std::thread::spawn(move || {
                let mut c = labour_bridge::db::Db::connect(&url, 1).unwrap().get().unwrap();
                together.wait();
                labour_bridge::db::models::east_spells::keep_for(
                    &mut c,
                    &labour_bridge::ledger::rules::Rules::default(),
                )
            })
        })
        .collect();
    let worked: Vec<bool> = opening.into_iter().map(|t| t.join().unwrap().expect("opening succeeds")).collect();
    assert_eq!(worked.iter().filter(|w| **w).count(), 1, "{worked:?}");
    assert_eq!(app.count("east_spell_rules"), 1);
}

/// A change made in the database by hand is not seen by the write path,
/// so the kept spell stays as it was and stable-east still lists the
/// person; the check `labour-bridge reindex` runs corrects it, and then
/// finds nothing more to correct.
async fn a_placement_changed_outside_labour_bridge_is_corrected_by_the_check(app: TestApp) {
    let l = app
        .labourer(json!({"id_number": id_number("451424", "19900101", 7), "name": "改库", "poverty_status": "registered_poor"}))
        .await;
    let who = l["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for (from, to) in [("2019-01-01", Some("2019-05-31")), ("2019-06-15", None)] {
        let (s, b) = app
            .post(
                "/api/v1/placements",
                &app.clerk,
                json!({"labourer_id": who, "employer_name": "江门某厂", "region_code": "440704",
                    "started_on": from, "ended_on": to, "channel": "referral", "part_time": true}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        ids.push(b["id"].as_i64().unwrap());
    }
    let stable = || async {
        let l = app.get_ok("/api/v1/ledgers/stable-east?year=2019&as_of=2019-06-30", &app.clerk).await;
        l["rows"].as_array().unwrap().iter().map(|r| r["spell_started_on"].clone()).collect::<Vec<_>>()
    };
    // Fifteen days apart: one spell since 1 January, stable by 30 June.
    assert_eq!(stable().await, [json!("2019-01-01")]);

    // By hand, the first job now ends on 31 March: 76 days before the
    // second, which therefore begins a spell of its own on 15 June.
    let db = labour_bridge::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = db.get().unwrap();
    diesel::sql_query(format!("UPDATE placements SET ended_on = '2019-03-31' WHERE id = {}", ids[0]))
        .execute(&mut *c)
        .unwrap();
    assert_eq!(stable().await, [json!("2019-01-01")], "the kept spell has not seen the change");

    let mut seen = Vec::new();
    let corrected =
        labour_bridge::db::models::east_spells::check_all(&mut c, |done, total| seen.push((done, total))).unwrap();
    assert_eq!(corrected, 1, "the second job's spell start");
    assert_eq!(seen.last().map(|(d, t)| d == t), Some(true), "the progress reaches the end: {seen:?}");
    assert_eq!(stable().await, Vec::<Value>::new(), "a spell begun on 15 June has not lasted three months");
    assert_eq!(kept(&mut c).iter().find(|(id, _)| *id == ids[1]).unwrap().1, Some(day("2019-06-15")));
    assert_eq!(labour_bridge::db::models::east_spells::check_all(&mut c, |_, _| {}).unwrap(), 0);
}
