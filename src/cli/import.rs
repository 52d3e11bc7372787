//! `labour-bridge import FILE --kind K [--dry-run]`: the import of DESIGN
//! §8 from the command line, with a progress bar and the same summary.

use std::path::PathBuf;

use crate::db::models::audit::Actor;
use crate::db::Db;
use crate::import::{self, source::Encoding, ImportKind, Mode, Options, Progress, Summary};

/// What the command was given.
pub struct Args {
    /// The roster.
    pub file: PathBuf,
    /// Its kind.
    pub kind: String,
    /// Write nothing.
    pub dry_run: bool,
    /// Write the good rows.
    pub accept_partial: bool,
    /// A CSV's encoding.
    pub encoding: Option<String>,
    /// Print JSON.
    pub json: bool,
}

/// Runs the import and prints its summary; an error (exit status 1) when
/// rows were refused on a commit or would be on a dry run, or the file
/// cannot be read.
pub fn run(db: &Db, a: Args) -> anyhow::Result<()> {
    let kind: ImportKind = a.kind.parse().map_err(|m: crate::messages::Text| anyhow::anyhow!("{}", m.zh))?;
    let encoding = match a.encoding.as_deref() {
        Some(e) => e.parse::<Encoding>().map_err(|e| anyhow::anyhow!(e))?,
        None => Encoding::Detect,
    };
    let bytes = std::fs::read(&a.file).map_err(|e| anyhow::anyhow!("{}: {e}", a.file.display()))?;
    let opts = Options {
        kind,
        mode: if a.dry_run { Mode::DryRun } else { Mode::Commit },
        accept_partial: a.accept_partial,
        file_name: a.file.file_name().map(|n| n.to_string_lossy().into_owned()),
        encoding,
    };
    let bar = super::progress_bar("{msg:>4} [{bar:40}] {pos}/{len} 行 ({per_sec}, {eta})")?;
    let started = std::time::Instant::now();
    let mut on_progress = |p: Progress| match p {
        Progress::Total(n) => {
            bar.set_message("读取");
            bar.set_length(n);
        }
        Progress::Read(n) => bar.set_position(n),
        Progress::Applied(n) => {
            if bar.message() != "写入" {
                bar.set_message("写入");
                bar.set_position(0);
            }
            bar.set_position(n);
        }
    };
    let actor = Actor::cli("import");
    let summary = import::run(db, &actor, &bytes, &opts, &mut on_progress).map_err(super::cli_error)?;
    bar.finish_and_clear();
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", report(&summary));
    }
    eprintln!("共 {} 行，用时 {:.1} 秒", summary.rows, started.elapsed().as_secs_f64());
    let rejected = summary.rejected_rows();
    if summary.status == "refused" {
        anyhow::bail!(
            "有 {rejected} 行被拒绝，本次导入未写入任何记录；改正后重新导入，或加 --accept-partial 只导入正确的行"
        );
    }
    // A check that finds faults fails, so that a script can use it as one
    // (导入.md §1.2); nothing was written either way.
    if a.dry_run && rejected > 0 {
        anyhow::bail!("检查发现 {rejected} 行会被拒绝（未写入任何记录）");
    }
    Ok(())
}

/// The summary as a clerk reads it.
fn report(s: &Summary) -> String {
    let _labels = crate::messages::Labels::of(s.kind.thing());
    let verb = match s.status.as_str() {
        "dry_run" => "试导入（未写入）",
        "applied" => "已导入",
        _ => "未写入",
    };
    let mut out = format!(
        "导入编号 {}（{}）{verb}：共 {} 行，新增 {}，更新 {}，未变 {}，被拒绝 {} 行\n",
        s.import_id,
        s.kind.label_zh(),
        s.rows,
        s.inserted,
        s.updated,
        s.unchanged,
        s.rejected_rows()
    );
    for r in &s.rejected {
        out.push_str(&format!(
            "  第{}行 {}：{}（{}）\n",
            r.row,
            crate::messages::field_label(&r.field),
            r.message,
            r.code
        ));
    }
    for w in &s.warnings {
        out.push_str(&format!("  提示 第{}行 {}：{}\n", w.row, crate::messages::field_label(&w.field), w.message));
    }
    out
}
