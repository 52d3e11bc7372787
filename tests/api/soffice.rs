//! LibreOffice, the real spreadsheet program the CSV ledger test opens
//! files with.

/// LibreOffice's `soffice`, the real spreadsheet reader the CSV tests open
/// files with; `None` (with a line saying the test is skipped) when it is
/// not installed outside CI. Under `CI=true` a missing one fails.
pub fn soffice() -> Option<&'static str> {
    for candidate in ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"] {
        if std::path::Path::new(candidate).exists() {
            return Some(candidate);
        }
    }
    if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
        panic!("LibreOffice (soffice) is not installed and CI=true");
    }
    eprintln!("skipping: LibreOffice (soffice) is not installed");
    None
}

/// `file` opened by LibreOffice (with `infilter`) and saved as xlsx in
/// `dir`, with a profile of its own there. Its first start in a new profile
/// now and then aborts while setting the profile up (seen on a fresh
/// machine, two tests starting it at once): a start that aborts with
/// "Fatal exception" is tried once more; a second failure is returned.
pub fn soffice_to_xlsx(
    soffice: &str,
    dir: &std::path::Path,
    file: &std::path::Path,
    infilter: &str,
) -> std::process::Output {
    let convert = || {
        std::process::Command::new(soffice)
            .arg(format!("-env:UserInstallation=file://{}/profile", dir.display()))
            .args(["--headless", "--norestore", &format!("--infilter={infilter}"), "--convert-to", "xlsx", "--outdir"])
            .arg(dir)
            .arg(file)
            .output()
            .unwrap()
    };
    let out = convert();
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("Fatal exception") {
        eprintln!("soffice aborted on its first start; once more: {}", String::from_utf8_lossy(&out.stderr));
        return convert();
    }
    out
}
