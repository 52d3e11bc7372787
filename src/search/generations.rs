//! The index's generations on disk: `CURRENT` names the one in use, a
//! rebuild writes a new one beside it and swaps the name, and old ones are
//! removed (see the layout in [`super`]).

use std::path::Path;

use super::{Core, Progress};
use crate::db::Db;

/// The generation `CURRENT` names, if it is there.
pub(super) fn read_current(root: &Path) -> Option<String> {
    let name = std::fs::read_to_string(root.join("CURRENT")).ok()?;
    let name = name.trim().to_string();
    (name.starts_with("gen-") && root.join(&name).is_dir()).then_some(name)
}

/// Points `CURRENT` at `name`, atomically (write, then rename).
pub(super) fn write_current(root: &Path, name: &str) -> anyhow::Result<()> {
    let tmp = root.join("CURRENT.tmp");
    std::fs::write(&tmp, format!("{name}\n"))?;
    std::fs::rename(&tmp, root.join("CURRENT"))?;
    Ok(())
}

/// Removes generations other than `keep`.
pub(super) fn remove_other_generations(root: &Path, keep: &[&str]) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("gen-") && !keep.contains(&name.as_str()) {
            if let Err(err) = std::fs::remove_dir_all(e.path()) {
                tracing::warn!(generation = %name, error = %err, "could not remove an old index generation");
            }
        }
    }
}

/// A new generation's directory name, by the time it was begun.
pub(super) fn new_generation_name() -> String {
    format!("gen-{}", chrono::Utc::now().format("%Y%m%d%H%M%S%3f"))
}

/// Rebuilds into a fresh generation and swaps it in (`reindex`); a running
/// service follows within one indexer pass. Returns the generation's name.
pub fn reindex(root: &Path, db: &Db, progress: &dyn Progress) -> anyhow::Result<String> {
    let core = Core::new(root)?;
    let previous = read_current(root);
    let name = core.build(db, progress)?;
    write_current(root, &name)?;
    let keep: Vec<&str> = [Some(name.as_str()), previous.as_deref()].into_iter().flatten().collect();
    remove_other_generations(root, &keep);
    Ok(name)
}
