//! The background jobs: deadline reminders and job alerts. Every run first
//! claims its work in the database, so several instances sharing one
//! PostgreSQL — or one instance restarted — send each mail once.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};

use super::transport::{self, Outgoing};
use crate::config::Settings;
use crate::db::models::deadline::{self, DeadlineRow};
use crate::db::models::mail::{self as store, SavedSearchRow};
use crate::db::models::posting::PostingRow;
use crate::db::models::target;
use crate::db::{read_as_one, Db};
use crate::domain::rules;
use crate::domain::DeadlineKind;
use crate::error::AppError;
use crate::ledger::build::{metric_label, Counted, Request};
use crate::ledger::Kind;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ran {
    /// Reminders sent.
    pub reminders: usize,
    /// Reminders that failed (they will be tried again).
    pub reminder_failures: usize,
    /// Job-alert e-mails sent.
    pub alerts: usize,
    /// Outbox entries pruned (older than `outbox_keep_days`).
    pub outbox_pruned: usize,
}

/// Runs the jobs every `settings.scheduler_secs` seconds until the process
/// ends. `instance` names this process in the claims it writes.
pub fn spawn(db: Db, settings: Settings, instance: String) {
    if settings.scheduler_secs == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(settings.scheduler_secs));
        loop {
            tick.tick().await;
            match run_once(&db, &settings, &instance, crate::clock::today()).await {
                Ok(ran) if ran != Ran::default() => tracing::info!(?ran, "scheduler run"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "scheduler run failed; will try again"),
            }
        }
    });
}

/// One run of every job, as of `today`.
pub async fn run_once(db: &Db, settings: &Settings, instance: &str, today: NaiveDate) -> Result<Ran, AppError> {
    let mut ran = Ran::default();
    reminders(db, settings, instance, today, &mut ran).await?;
    alerts(db, settings, today, &mut ran).await?;
    ran.outbox_pruned = prune_outbox(db, settings).await?;
    Ok(ran)
}

/// Deletes the outbox entries older than `settings.outbox_keep_days` (none
/// when 0): every running instance's index took them in long ago, and one
/// that did not rebuilds its index (see `Search::sync`). Idempotent, so
/// every instance may run it.
async fn prune_outbox(db: &Db, settings: &Settings) -> Result<usize, AppError> {
    if settings.outbox_keep_days == 0 {
        return Ok(0);
    }
    let before = crate::db::models::now() - chrono::TimeDelta::days(i64::from(settings.outbox_keep_days));
    db.run(move |c| crate::db::write_tx(c, |c| Ok(crate::db::models::search::prune_outbox(c, before)?))).await
}

/// The reminders due today: `remind_on ≤ today ≤ due_on`, so one missed
/// while the service was down still goes out (late), but never after the deadline.
fn due(deadline: &DeadlineRow, today: NaiveDate) -> Vec<i32> {
    deadline
        .data
        .remind_days_before
        .items()
        .iter()
        .copied()
        .filter(|d| {
            let remind_on = deadline.data.due_on - chrono::Days::new(u64::try_from(*d).unwrap_or(0));
            remind_on <= today && today <= deadline.data.due_on
        })
        .collect()
}

async fn reminders(
    db: &Db,
    settings: &Settings,
    instance: &str,
    today: NaiveDate,
    ran: &mut Ran,
) -> Result<(), AppError> {
    let deadlines = db.run(|c| Ok(deadline::list(c, 0, 500)?)).await?;
    for d in deadlines {
        for days in due(&d, today) {
            let (id, by) = (d.id, instance.to_string());
            let claimed = db.run(move |c| Ok(store::claim_reminder(c, id, days, &by)?)).await?;
            if !claimed {
                continue;
            }
            let progress = progress_text(db, settings, d.data.due_on.year(), today).await?;
            let left = (d.data.due_on - today).num_days();
            let what = if d.data.what == DeadlineKind::Summary {
                "年度工作总结"
            } else {
                "台账（纸质版、电子版）"
            };
            let mail = Outgoing {
                from: settings.mail_from.clone(),
                to: d.data.recipients.0.clone(),
                subject: format!("【提醒】{}将于{}截止（还有{left}天）", d.data.name, d.data.due_on),
                text: format!(
                    "{name}\n应报送：{what}\n截止日期：{due}（还有{left}天）\n\n{progress}\n此提醒由 labour-bridge 发送。\n",
                    name = d.data.name,
                    due = d.data.due_on,
                ),
                attachment: None,
            };
            let outcome = transport::send(&settings.smtp_url, &mail).await;
            let (ok, response, error) = match &outcome {
                Ok(sent) => (true, Some(sent.smtp_response.clone()), None),
                Err(e) => (false, None, Some(e.to_string())),
            };
            if ok {
                ran.reminders += 1;
            } else {
                ran.reminder_failures += 1;
                tracing::warn!(deadline = id, days, error = ?error, "reminder not sent");
            }
            db.run(move |c| Ok(store::finish_reminder(c, id, days, ok, response.as_deref(), error.as_deref())?))
                .await?;
        }
    }
    Ok(())
}

/// 目标完成情况 of a year, as a few lines of text.
async fn progress_text(db: &Db, settings: &Settings, year: i32, today: NaiveDate) -> Result<String, AppError> {
    let rules = settings.ledger_rules.clone();
    // The targets and every figure from one committed state.
    db.run(move |c| {
        read_as_one(c, None, |c, _| {
            let Ok(as_of) = crate::ledger::export::year_begun(year, today) else {
                return Ok(format!("{year}年尚未开始，暂无完成情况。\n"));
            };
            let targets = target::list(c, Some(year), 0, 500)?;
            if targets.is_empty() {
                return Ok(format!("{year}年尚未设定目标。\n"));
            }
            let request =
                Request { kind: Kind::Summary, year, as_of, county: None, unmasked: false, rules, helper: None };
            let mut out = format!("{year}年目标完成情况（截至{as_of}）：\n");
            let mut counted = Counted::default();
            for t in targets {
                let actual = counted.count(c, &request, crate::ledger::progress::ledger_of(t.data.metric))?;
                let state = if actual >= i64::from(t.data.min_value) { "已完成" } else { "未完成" };
                out.push_str(&format!(
                    "- {}：{actual} / {}（{state}）\n",
                    metric_label(t.data.metric.as_str()),
                    t.data.min_value
                ));
            }
            Ok(out)
        })
    })
    .await
}

/// The filters a saved search may carry.
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertFilters {
    /// Region code or its prefix (`44` Guangdong, `4407` Jiangmen, `440704`).
    #[serde(default)]
    pub region: Option<String>,
    /// Lowest acceptable monthly pay (CNY): the posting's top must reach it.
    #[serde(default)]
    pub salary_min: Option<i32>,
    /// Benefits the posting must all offer.
    #[serde(default)]
    pub benefits: Vec<String>,
    /// The searcher's education; postings asking for more are left out.
    #[serde(default)]
    pub education: Option<String>,
}

/// The occupation vocabulary, read once (it is small; no segmenter needed).
fn vocabulary() -> &'static crate::search::vocab::Vocabulary {
    static VOCAB: std::sync::OnceLock<crate::search::vocab::Vocabulary> = std::sync::OnceLock::new();
    VOCAB.get_or_init(crate::search::vocab::Vocabulary::builtin)
}

/// Whether a posting matches a saved search: it takes applications on
/// `today` (the one rule: open, between its dates, places left after
/// `hired`), every word of `q`, or one of its synonyms from the occupation
/// vocabulary (厨师 ≈ 中式烹调师 …), appears in the title, occupation or
/// description, and the filters hold.
pub fn matches(p: &PostingRow, hired: i64, today: NaiveDate, q: &str, f: &AlertFilters) -> bool {
    let p = &p.data;
    let terms =
        rules::PostingTerms { status: p.status, opens_on: p.opens_on, closes_on: p.closes_on, headcount: p.headcount };
    if rules::taking_applications(&terms, hired, today).is_err() {
        return false;
    }
    let hay =
        format!("{} {} {}", p.title, p.occupation.as_deref().unwrap_or(""), p.description.as_deref().unwrap_or(""))
            .to_lowercase();
    let vocab = vocabulary();
    if !q.split_whitespace().all(|w| vocab.expand(w).iter().any(|s| hay.contains(s.as_str()))) {
        return false;
    }
    if f.region.as_deref().is_some_and(|r| !p.region_code.starts_with(r)) {
        return false;
    }
    if let Some(min) = f.salary_min {
        if p.salary_max.or(p.salary_min).is_none_or(|top| top < min) {
            return false;
        }
    }
    let offered: Vec<&str> = p.benefits.items().iter().map(|b| b.as_str()).collect();
    if !f.benefits.iter().all(|b| offered.contains(&b.as_str())) {
        return false;
    }
    if let (Some(have), Some(need)) = (f.education.as_deref(), p.education_min) {
        if have.parse::<crate::domain::Education>().is_ok_and(|have| have < need) {
            return false;
        }
    }
    true
}

/// Mails each active saved search the postings that are news to it: those
/// created since its last run, and those a run passed over because they were
/// not yet taking applications (`opens_on` ahead) and now are. A posting is
/// mailed at most once per search (`alert_deliveries`), and only while it
/// is taking applications on `today` (DESIGN §6's one rule).
async fn alerts(db: &Db, settings: &Settings, today: NaiveDate, ran: &mut Ran) -> Result<(), AppError> {
    let searches = db.run(|c| Ok(store::active_saved_searches(c)?)).await?;
    for (s, account_email) in searches {
        // Without an address the postings stay pending until one is known.
        let Some(address) = s.email.clone().or(account_email) else { continue };
        let from = store::AlertMark { high_water: s.high_water, last_run_on: s.last_run_on };
        let id = s.id;
        // Days already looked at: up to the last run, or the day it was saved.
        let seen_through = s.last_run_on.unwrap_or(s.created_at.date());
        let (candidates, hired): (Vec<PostingRow>, HashMap<i64, i64>) = db
            .run(move |c| {
                let filter = crate::db::models::posting::PostingFilter::default();
                let mut candidates = crate::db::models::posting::list(c, &filter, from.high_water, 200)?;
                if seen_through < today {
                    let delivered = store::delivered_postings(c, id)?;
                    let opened = store::opened_since(c, from.high_water, seen_through, today)?;
                    candidates.extend(opened.into_iter().filter(|p| !delivered.contains(&p.id.get())));
                }
                let ids: Vec<i64> = candidates.iter().map(|p| p.id.get()).collect();
                let hired = crate::db::models::search::hires_of(c, &ids)?.into_iter().collect();
                Ok((candidates, hired))
            })
            .await?;
        let to = store::AlertMark {
            high_water: candidates.iter().map(|p| p.id.get()).max().unwrap_or(0).max(from.high_water),
            last_run_on: Some(today.max(seen_through)),
        };
        if to.high_water == from.high_water && from.last_run_on == to.last_run_on {
            continue;
        }
        let filters: AlertFilters = serde_json::from_str(&s.filters).unwrap_or_default();
        let mut hits: Vec<PostingRow> = candidates
            .into_iter()
            .filter(|p| matches(p, hired.get(&p.id.get()).copied().unwrap_or(0), today, &s.query, &filters))
            .collect();
        hits.sort_by_key(|p| p.id.get());
        // Claim first: whoever moves the mark sends the mail.
        if !db.run(move |c| Ok(store::advance_alert_mark(c, id, from, to)?)).await? {
            continue;
        }
        if hits.is_empty() {
            continue;
        }
        let mail = alert_mail(settings, &s, address, &hits);
        match transport::send(&settings.smtp_url, &mail).await {
            Ok(sent) => {
                let ids: Vec<i64> = hits.iter().map(|p| p.id.get()).collect();
                db.run(move |c| Ok(store::record_delivery(c, id, &ids, Some(&sent.smtp_response))?)).await?;
                ran.alerts += 1;
            }
            Err(e) => {
                // Give the postings back so the next run tries again.
                tracing::warn!(search = id, error = %e, "job alert not sent");
                db.run(move |c| Ok(store::advance_alert_mark(c, id, to, from)?)).await?;
            }
        }
    }
    Ok(())
}

fn alert_mail(settings: &Settings, s: &SavedSearchRow, address: String, hits: &[PostingRow]) -> Outgoing {
    let mut text = format!("您订阅的岗位“{}”有{}个新岗位：\n\n", s.query, hits.len());
    for p in hits {
        let (id, p) = (p.id, &p.data);
        let pay = match (p.salary_min, p.salary_max) {
            (Some(a), Some(b)) => format!("{a}–{b}元/月"),
            (Some(a), None) => format!("{a}元/月起"),
            _ => "面议".to_string(),
        };
        let place = crate::domain::region::region_full_name(&p.region_code).unwrap_or_else(|| p.region_code.clone());
        text.push_str(&format!("· {}（{place}，{pay}）\n  {}/postings/{id}\n", p.title, settings.public_url));
    }
    text.push_str(&format!(
        "\n不想再收到此类邮件？点击退订：{}/api/v1/saved-searches/unsubscribe?token={}\n",
        settings.public_url, s.unsubscribe_token
    ));
    Outgoing {
        from: settings.mail_from.clone(),
        to: vec![address],
        subject: format!("【新岗位提醒】“{}”有{}个新岗位", s.query, hits.len()),
        text,
        attachment: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::{matches, AlertFilters};
    use crate::search::testkit::{posting, today};

    /// Job alerts use the one rule of "taking applications today": a new
    /// posting that is closed, not yet open, past its day or full is not
    /// mailed, whatever its words.
    #[test]
    fn an_alert_names_only_postings_taking_applications_today() {
        let f = AlertFilters::default();
        let open = posting(1, "粤菜厨师", None, None).posting;
        assert!(matches(&open, 0, today(), "厨师", &f));
        assert!(matches(&open, 2, today(), "大厨", &f), "a place is still left");
        assert!(!matches(&open, 3, today(), "厨师", &f), "all three places are filled");
        let mut expired = open.clone();
        expired.data.closes_on = today().pred_opt();
        assert!(!matches(&expired, 0, today(), "厨师", &f));
        let mut last_day = open.clone();
        last_day.data.closes_on = Some(today());
        assert!(matches(&last_day, 0, today(), "厨师", &f));
        let mut later = open.clone();
        later.data.opens_on = today().succ_opt();
        assert!(!matches(&later, 0, today(), "厨师", &f));
        let mut closed = open;
        closed.data.status = "closed".parse().unwrap();
        assert!(!matches(&closed, 0, today(), "厨师", &f));
    }
}
