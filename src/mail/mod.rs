//! E-mail: ledger submissions to the leadership office, deadline reminders
//! and trainees' job alerts, sent over SMTP with lettre.

pub mod scheduler;
pub mod transport;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::db::models::audit::{self, Actor};
use crate::db::models::mail::{self as store, NewSubmission, SubmissionRow};
use crate::db::models::now;
use crate::db::{write_tx, Db};
use crate::error::AppError;
use crate::messages::{Text, Thing};
use transport::{Attachment, Outgoing};

/// The workbook's media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Sends a stored submission's attachment and records the outcome. The row
/// must be in `sending`; the answer is the row as it ended.
async fn attempt(
    db: &Db,
    settings: &Settings,
    actor: &Actor,
    row: SubmissionRow,
    text: String,
) -> Result<SubmissionRow, AppError> {
    let id = row.id;
    let bytes = db.run(move |c| store::attachment(c, id)?.ok_or(AppError::NotFound(Thing::Submission))).await?;
    let mail = Outgoing {
        from: settings.mail_from.clone(),
        to: serde_json::from_str(&row.recipients).unwrap_or_default(),
        subject: row.subject.clone(),
        text,
        attachment: Some(Attachment { filename: row.attachment_name.clone(), content_type: XLSX.to_string(), bytes }),
    };
    let outcome = transport::send(&settings.smtp_url, &mail).await;
    let actor = actor.clone();
    db.run(move |c| {
        write_tx(c, |c| {
            let (ok, response, message_id, error) = match &outcome {
                Ok(sent) => (true, Some(sent.smtp_response.as_str()), Some(sent.message_id.as_str()), None),
                Err(e) => (false, None, None, Some(e.to_string())),
            };
            store::finish_submission(c, id, ok, response, message_id, error.as_deref())?;
            let after = store::submission(c, id)?.ok_or(AppError::NotFound(Thing::Submission))?;
            audit::record(
                c,
                &actor,
                if ok { "send" } else { "send_failed" },
                "submission",
                Some(id),
                None::<&()>,
                Some(&after),
            )?;
            Ok(after)
        })
    })
    .await
}

fn body(unit: &str, year: i32, as_of: NaiveDate) -> String {
    format!(
        "粤桂扶贫协作领导小组办公室：\n\n\
         现报送{unit}{year}年粤桂扶贫协作劳务协作台账（统计截至{as_of}），含目标完成情况、\
         新增转移到东部地区就业贫困人口、已在东部省份稳定就业贫困人口、到东部就读职业学校贫困学生、\
         毕业贫困学生就业、招聘会及职业技能培训台账，详见附件。\n\n\
         此邮件由 labour-bridge 生成。\n"
    )
}

/// Builds the year's bundle, keeps it, and sends it. A failed send is kept
/// as `failed` and answered as 502 naming the submission to retry.
pub async fn submit(
    db: &Db,
    settings: &Settings,
    actor: &Actor,
    unit: &str,
    year: i32,
    as_of: NaiveDate,
    recipients: Vec<String>,
) -> Result<SubmissionRow, AppError> {
    let rules = settings.ledger_rules.clone();
    let subject = format!("【台账报送】{unit}{year}年粤桂扶贫协作劳务协作台账（截至{as_of}）");
    let (unit_owned, actor_owned, subject_owned) = (unit.to_string(), actor.clone(), subject.clone());
    let row = db
        .run(move |c| {
            let bytes = crate::ledger::export::bundle(c, year, as_of, &rules, &unit_owned)?;
            let at = now();
            let new = NewSubmission {
                year,
                as_of,
                recipients: serde_json::to_string(&recipients).map_err(|e| AppError::Internal(e.into()))?,
                subject: subject_owned,
                attachment_name: format!("{year}年粤桂扶贫协作台账（截至{as_of}）.xlsx"),
                attachment_sha256: hex::encode(Sha256::digest(&bytes)),
                attachment: bytes,
                status: "sending".into(),
                attempts: 1,
                sent_by: actor_owned.name.clone(),
                created_at: at,
                updated_at: at,
            };
            write_tx(c, |c| {
                // Identical bytes are kept once: failed attempts repeated
                // by a client do not pile up copies of the same workbook.
                let mut new = new;
                if store::has_bytes(c, &new.attachment_sha256)? {
                    new.attachment = Vec::new();
                }
                let row = store::insert_submission(c, &new)?;
                audit::record(c, &actor_owned, "create", "submission", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    let row = attempt(db, settings, actor, row, body(unit, year, as_of)).await?;
    failed_as_error(row)
}

/// Sends a failed submission again, with exactly the stored bytes.
pub async fn retry(
    db: &Db,
    settings: &Settings,
    actor: &Actor,
    unit: &str,
    id: i64,
) -> Result<SubmissionRow, AppError> {
    let row = db
        .run(move |c| {
            write_tx(c, |c| {
                let row = store::submission(c, id)?.ok_or(AppError::NotFound(Thing::Submission))?;
                if !store::claim_retry(c, id)? {
                    let minutes = store::STALLED_AFTER_MINUTES;
                    return Err(AppError::conflict(match row.status.as_str() {
                        "sending" => Text::new(
                            format!("报送记录 {id} 正在发送，请稍后刷新查看结果；{minutes} 分钟后仍在发送中的可以重发"),
                            format!("submission {id} is being sent; if it is still sending after {minutes} minutes it can be sent again"),
                        ),
                        _ => Text::new(
                            format!("报送记录 {id} 已经发出，不需要重发"),
                            format!("submission {id} was sent; only a failed or stalled one can be sent again"),
                        ),
                    }));
                }
                store::submission(c, id)?.ok_or(AppError::NotFound(Thing::Submission))
            })
        })
        .await?;
    let text = body(unit, row.year, row.as_of);
    let row = attempt(db, settings, actor, row, text).await?;
    failed_as_error(row)
}

fn failed_as_error(row: SubmissionRow) -> Result<SubmissionRow, AppError> {
    if row.status == "failed" {
        let why = row.error.as_deref().unwrap_or("unknown error");
        return Err(AppError::BadGateway {
            detail: Text::new(
                format!(
                    "报送记录 {} 已保存，但邮件未能发出：{why}；可用 POST /api/v1/submissions/{}/retry 重发",
                    row.id, row.id
                ),
                format!(
                    "submission {} was kept but could not be sent: {why}; retry with POST /api/v1/submissions/{}/retry",
                    row.id, row.id
                ),
            ),
            instance: Some(format!("/api/v1/submissions/{}", row.id)),
        });
    }
    Ok(row)
}
