//! `labour-bridge`: parse the command line, set up logging, dispatch.

use clap::Parser;

/// mimalloc instead of the C library's allocator: an import spent a third
/// of its time in glibc's malloc and free (BENCHMARKS.md, the import).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Logs to standard error: human-readable lines, or one JSON object per
/// line with `LB_LOG_FORMAT=json` (for a log shipper). Either way the
/// events carry no token and no unmasked ID number: nothing logs headers
/// or bodies.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let format = std::env::var("LB_LOG_FORMAT").unwrap_or_default();
    match format.trim().to_ascii_lowercase().as_str() {
        "json" => builder.json().flatten_event(true).init(),
        "" | "text" => builder.init(),
        other => {
            builder.init();
            tracing::warn!(format = other, "LB_LOG_FORMAT is `json` or `text`; logging text");
        }
    }
}

fn main() -> std::process::ExitCode {
    init_logging();
    let cli = labour_bridge::cli::Cli::parse();
    match labour_bridge::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
