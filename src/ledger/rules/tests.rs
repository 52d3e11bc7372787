//! Unit tests of the ledger rules: no database.

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn poor(id: i64) -> Person {
    Person { id, poverty_status: "registered_poor".into() }
}
fn with(id: i64, status: &str) -> Person {
    Person { id, poverty_status: status.into() }
}
fn job(id: i64, who: i64, region: &str, from: &str, to: Option<&str>) -> Job {
    Job { id, labourer_id: who, region_code: region.into(), started_on: d(from), ended_on: to.map(d) }
}
fn ids(e: &[PlacementEntry]) -> Vec<(i64, i64)> {
    e.iter().map(|e| (e.labourer_id, e.placement_id)).collect()
}
const JIANGHAI: &str = "440704";
const DAXIN: &str = "451424";

#[test]
fn a_placement_starting_on_the_years_first_or_last_day_is_new() {
    let r = Rules::default();
    let jobs = [job(1, 1, JIANGHAI, "2019-01-01", None), job(2, 2, JIANGHAI, "2019-12-31", None)];
    let got = new_transfers_east(&[poor(1), poor(2)], &jobs, 2019, d("2019-12-31"), &r);
    assert_eq!(ids(&got), [(1, 1), (2, 2)]);
    // …but not if as_of is the day before.
    let got = new_transfers_east(&[poor(1), poor(2)], &jobs, 2019, d("2019-12-30"), &r);
    assert_eq!(ids(&got), [(1, 1)]);
    // A start on the previous New Year's Eve is not in the year.
    let eve = [job(3, 3, JIANGHAI, "2018-12-31", Some("2018-12-31"))];
    assert!(new_transfers_east(&[poor(3)], &eve, 2019, d("2019-12-31"), &r).is_empty());
}

#[test]
fn a_placement_ongoing_across_new_year_is_not_new() {
    let r = Rules::default();
    // Ongoing on 2018-12-31, another east job in 2019: not new.
    let jobs = [job(1, 1, JIANGHAI, "2018-06-01", Some("2019-02-28")), job(2, 1, JIANGHAI, "2019-03-10", None)];
    assert!(new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r).is_empty());
    // Ended on 2018-12-30: the 2019 job is new.
    let jobs = [job(1, 1, JIANGHAI, "2018-06-01", Some("2018-12-30")), job(2, 1, JIANGHAI, "2019-03-10", None)];
    assert_eq!(ids(&new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r)), [(1, 2)]);
    // A west job across New Year does not matter.
    let jobs = [job(1, 1, DAXIN, "2018-06-01", None), job(2, 1, JIANGHAI, "2019-03-10", None)];
    assert_eq!(ids(&new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r)), [(1, 2)]);
}

#[test]
fn a_person_with_two_qualifying_placements_appears_once_with_the_earliest() {
    let r = Rules::default();
    let jobs = [
        job(7, 1, JIANGHAI, "2019-07-01", None),
        job(5, 1, "320500", "2019-02-01", Some("2019-06-30")),
        job(9, 1, DAXIN, "2019-01-10", Some("2019-01-31")),
    ];
    assert_eq!(ids(&new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r)), [(1, 5)]);
}

#[test]
fn monitored_and_unverified_people_are_not_counted_and_lifted_ones_are() {
    let r = Rules::default();
    let people = [with(1, "monitored"), with(2, "unverified"), with(3, "lifted"), with(4, "none"), poor(5)];
    let jobs: Vec<Job> = (1..=5).map(|i| job(i, i, JIANGHAI, "2019-04-01", None)).collect();
    let got = new_transfers_east(&people, &jobs, 2019, d("2019-11-15"), &r);
    assert_eq!(ids(&got), [(3, 3), (5, 5)]);
    let got = stable_east(&people, &jobs, d("2019-11-15"), &r);
    assert_eq!(got.iter().map(|e| e.labourer_id).collect::<Vec<_>>(), [3, 5]);
    // The counted set is configurable.
    let wide = Rules { counted_statuses: vec!["monitored".into()], ..Rules::default() };
    assert_eq!(ids(&new_transfers_east(&people, &jobs, 2019, d("2019-11-15"), &wide)), [(1, 1)]);
}

#[test]
fn months_are_counted_forward_as_the_civil_code_counts_a_period() {
    assert_eq!(months_after(d("2019-08-30"), 3), Some(d("2019-11-30")));
    assert_eq!(months_after(d("2019-08-31"), 3), Some(d("2019-11-30")), "no 31 November: its last day");
    assert_eq!(months_after(d("2018-11-30"), 3), Some(d("2019-02-28")));
    assert_eq!(months_after(d("2019-11-30"), 3), Some(d("2020-02-29")), "a leap year's last day");
    assert_eq!(months_after(d("2019-01-31"), 1), Some(d("2019-02-28")));
    assert!(has_lasted(d("2019-08-31"), 3, d("2019-11-30")));
    assert!(!has_lasted(d("2019-09-01"), 3, d("2019-11-30")));
    assert!(has_lasted(d("2018-11-30"), 3, d("2019-02-28")));
    assert!(!has_lasted(d("2018-12-01"), 3, d("2019-02-28")));
}

#[test]
fn a_spell_counts_once_it_has_lasted_stable_months_even_at_month_ends() {
    let r = Rules::default();
    // The plan's own deadline: begun on 30 or 31 August, three months by 30 November.
    let aug30 = [job(1, 1, JIANGHAI, "2019-08-30", None)];
    let aug31 = [job(2, 2, JIANGHAI, "2019-08-31", None)];
    let sep1 = [job(3, 3, JIANGHAI, "2019-09-01", None)];
    assert_eq!(stable_east(&[poor(1)], &aug30, d("2019-11-30"), &r).len(), 1);
    assert_eq!(stable_east(&[poor(2)], &aug31, d("2019-11-30"), &r).len(), 1);
    assert!(stable_east(&[poor(3)], &sep1, d("2019-11-30"), &r).is_empty());
    // Begun on 30 November, three months by 28 February, not a day earlier.
    let nov30 = [job(4, 4, JIANGHAI, "2018-11-30", None)];
    assert_eq!(stable_east(&[poor(4)], &nov30, d("2019-02-28"), &r).len(), 1);
    assert!(stable_east(&[poor(4)], &nov30, d("2019-02-27"), &r).is_empty());
    // End of May back to February: begun 2019-02-28, three months by 31 May.
    let feb28 = [job(5, 5, JIANGHAI, "2019-02-28", None)];
    let mar1 = [job(6, 6, JIANGHAI, "2019-03-01", None)];
    assert_eq!(stable_east(&[poor(5)], &feb28, d("2019-05-31"), &r).len(), 1);
    assert!(stable_east(&[poor(6)], &mar1, d("2019-05-31"), &r).is_empty());
}

#[test]
fn a_31_day_gap_keeps_the_spell_and_a_32_day_gap_breaks_it() {
    let r = Rules::default();
    // First job ends 2019-05-31; the next starts 31 days later (2019-07-01).
    let kept = [job(1, 1, JIANGHAI, "2019-03-01", Some("2019-05-31")), job(2, 1, "330100", "2019-07-01", None)];
    let got = stable_east(&[poor(1)], &kept, d("2019-11-30"), &r);
    assert_eq!(got, [PlacementEntry { labourer_id: 1, placement_id: 2, spell_started_on: Some(d("2019-03-01")) }]);
    // 32 days later (2019-07-02): a new spell, which is too young on 2019-09-30.
    let broken = [job(1, 1, JIANGHAI, "2019-03-01", Some("2019-05-31")), job(2, 1, "330100", "2019-07-02", None)];
    assert!(stable_east(&[poor(1)], &broken, d("2019-09-30"), &r).is_empty());
    let got = stable_east(&[poor(1)], &broken, d("2019-11-30"), &r);
    assert_eq!(got[0].spell_started_on, Some(d("2019-07-02")), "the spell restarts after the gap");
    // A west job in between does not bridge the gap.
    let west = [
        job(1, 1, JIANGHAI, "2019-01-01", Some("2019-03-31")),
        job(3, 1, DAXIN, "2019-04-01", Some("2019-06-30")),
        job(2, 1, JIANGHAI, "2019-07-01", None),
    ];
    assert_eq!(stable_east(&[poor(1)], &west, d("2019-11-30"), &r)[0].spell_started_on, Some(d("2019-07-01")));
    // The gap is configurable.
    let strict = Rules { max_gap_days: 30, ..Rules::default() };
    assert_eq!(stable_east(&[poor(1)], &kept, d("2019-11-30"), &strict)[0].spell_started_on, Some(d("2019-07-01")));
}

#[test]
fn stable_east_needs_an_east_placement_ongoing_at_d() {
    let r = Rules::default();
    let ended = [job(1, 1, JIANGHAI, "2018-01-01", Some("2019-11-29"))];
    assert!(stable_east(&[poor(1)], &ended, d("2019-11-30"), &r).is_empty());
    let ends_on_d = [job(1, 1, JIANGHAI, "2018-01-01", Some("2019-11-30"))];
    assert_eq!(stable_east(&[poor(1)], &ends_on_d, d("2019-11-30"), &r).len(), 1);
}

fn study(id: i64, who: i64, region: &str, enrolled: &str, graduated: Option<&str>, left: Option<&str>) -> Study {
    Study {
        id,
        labourer_id: who,
        school_region_code: region.into(),
        enrolled_on: d(enrolled),
        graduated_on: graduated.map(d),
        left_on: left.map(d),
    }
}

#[test]
fn vocational_students_in_the_east_exclude_those_gone_before_the_year() {
    let r = Rules::default();
    let people: Vec<Person> = (1..=5).map(poor).collect();
    let studies = [
        study(1, 1, "440703", "2017-09-01", None, None),
        study(2, 2, "440703", "2016-09-01", Some("2018-06-30"), None),
        study(3, 3, "440703", "2016-09-01", Some("2019-06-30"), None),
        study(4, 4, "451402", "2018-09-01", None, None),
        study(5, 5, "440703", "2019-12-01", None, None),
    ];
    let got = vocational_students_east(&people, &studies, 2019, d("2019-11-15"), &r);
    assert_eq!(got.iter().map(|e| e.labourer_id).collect::<Vec<_>>(), [1, 3]);
}

#[test]
fn graduates_are_employed_when_a_job_outlasts_graduation() {
    let r = Rules::default();
    let people: Vec<Person> = (1..=4).map(poor).collect();
    let studies = [
        study(1, 1, "440703", "2016-09-01", Some("2019-06-30"), None),
        study(2, 2, "440703", "2016-09-01", Some("2019-06-30"), None),
        study(3, 3, "440703", "2015-09-01", Some("2018-06-30"), None),
        study(4, 4, "440703", "2016-09-01", Some("2019-06-30"), None),
    ];
    let jobs = [
        // Employed before graduation and still employed.
        job(1, 1, JIANGHAI, "2019-03-01", None),
        // The job ended before graduation.
        job(2, 2, JIANGHAI, "2019-03-01", Some("2019-06-29")),
        job(3, 3, JIANGHAI, "2018-07-01", None),
    ];
    let got = graduates_employed(&people, &studies, &jobs, 2019, d("2019-11-15"), &r);
    let rows: Vec<(i64, Option<bool>)> = got.iter().map(|e| (e.labourer_id, e.employed)).collect();
    // Person 3 graduated before 2019: not a row at all.
    assert_eq!(rows, [(1, Some(true)), (2, Some(false)), (4, Some(false))]);
    // A job that ends on graduation day still counts.
    let on_the_day = [job(2, 2, JIANGHAI, "2019-03-01", Some("2019-06-30"))];
    let got = graduates_employed(&people, &studies[1..2], &on_the_day, 2019, d("2019-11-15"), &r);
    assert_eq!(got[0].employed, Some(true));
}

#[test]
fn fairs_and_sessions_are_counted_within_the_year() {
    let r = Rules::default();
    let fair = |id, day: &str| FairFacts {
        id,
        held_on: d(day),
        employers: 12,
        postings: 30,
        positions: 400,
        attendees: vec![poor(1), with(2, "none"), with(3, "lifted")],
        intentions: 20,
        hires: 8,
    };
    let got =
        job_fairs(&[fair(2, "2019-11-20"), fair(1, "2019-03-08"), fair(3, "2018-03-08")], 2019, d("2019-11-15"), &r);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].counted_attendees, 2);
    let trainee = |status: &str, done: Option<&str>, cert: bool, jobs: &[&str]| Trainee {
        person: poor(1),
        status: status.into(),
        completed_on: done.map(d),
        certified: cert,
        placement_starts: jobs.iter().map(|s| d(s)).collect(),
    };
    let session = SessionFacts {
        id: 1,
        starts_on: d("2019-05-06"),
        trainees: vec![
            trainee("completed", Some("2019-06-14"), true, &["2019-07-01"]),
            trainee("completed", Some("2019-06-14"), true, &["2018-07-01"]),
            trainee("completed", Some("2019-06-14"), false, &[]),
            trainee("dropped", None, false, &["2019-07-01"]),
        ],
    };
    let got = trainings(&[session], 2019, d("2019-11-15"), &r);
    assert_eq!(
        got,
        [SessionEntry { id: 1, enrolled: 4, counted_enrolled: 4, completed: 3, certified: 2, employed: 1 }]
    );
}

#[test]
fn the_summary_compares_each_target_with_its_actual() {
    let got =
        summary(
            &[("new-transfers-east".into(), 155), ("job_fairs".into(), 1)],
            |m| {
                if m == "job_fairs" {
                    1
                } else {
                    120
                }
            },
        );
    assert!(!got[0].met && got[1].met);
    assert_eq!(got[0].actual, 120);
}
