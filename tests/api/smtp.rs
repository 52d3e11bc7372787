//! A real SMTP server for tests, `scripts/smtp_sink.py` (Python's aiosmtpd),
//! and what it received, read back with mail-parser like a mail client would.
// Not every test uses every helper.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};

/// A running SMTP sink; every message it takes lands in `dir`.
#[derive(Debug)]
pub struct SmtpSink {
    pub port: u16,
    pub dir: tempfile::TempDir,
    child: Child,
}

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The DATA content exactly as sent.
    pub raw: Vec<u8>,
    /// The envelope recipients (RCPT TO), in order.
    pub recipients: Vec<String>,
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> SmtpSink {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        SmtpSink::start_on(port)
    }

    /// Starts a sink on `port`, e.g. to bring back one a test stopped.
    pub fn start_on(port: u16) -> SmtpSink {
        let dir = tempfile::tempdir().expect("a folder for received mail");
        // A file, not a pipe nobody reads: a full pipe would stall the server.
        let log_path = dir.path().join("sink.log");
        let log = std::fs::File::create(&log_path).expect("the sink's log file");
        let script = script_path();
        assert!(script.is_file(), "no test SMTP server at {} (LB_SMTP_SINK names another)", script.display());
        let mut child = Command::new("python3")
            .arg(&script)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run python3 for the test SMTP server ({e}); install it, then `pip install aiosmtpd`")
            });

        let stdout = child.stdout.take().expect("the sink's stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(line) if line.trim() == "ready" => SmtpSink { port, dir, child },
            outcome => {
                let _ = child.kill();
                let _ = child.wait();
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                let hint = if log.contains("No module named 'aiosmtpd'") {
                    "aiosmtpd is missing: run `pip install aiosmtpd`"
                } else {
                    "it needs Python 3 with aiosmtpd (`pip install aiosmtpd`)"
                };
                let what = if outcome.is_err() { "was not ready within 10 s" } else { "exited" };
                panic!("the test SMTP server {} on port {port} {what}; {hint}\n{log}", script.display());
            }
        }
    }

    /// The URL to give as `LB_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, oldest first.
    pub fn messages(&self) -> Vec<Received> {
        let mut numbered: Vec<(u64, PathBuf)> = std::fs::read_dir(self.dir.path())
            .expect("the sink's folder")
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let n = path.file_name()?.to_str()?.strip_suffix(".eml")?.parse().ok()?;
                Some((n, path))
            })
            .collect();
        numbered.sort();
        numbered
            .into_iter()
            .map(|(_, path)| {
                let raw = std::fs::read(&path).expect("a received message");
                let recipients = std::fs::read_to_string(path.with_extension("rcpt")).expect("its recipients");
                Received { raw, recipients: recipients.lines().map(str::to_string).collect() }
            })
            .collect()
    }

    /// Waits until at least `n` messages arrived and returns them all; panics after `timeout`.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            if Instant::now() >= deadline {
                panic!("the test SMTP server got {} message(s) within {timeout:?}, expected {n}", messages.len());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s); later sends are refused.
    pub fn stop(mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Received {
    fn parsed(&self) -> mail_parser::Message<'_> {
        MessageParser::default().parse(&self.raw).expect("a message mail-parser can read")
    }

    /// The decoded Subject.
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }

    /// The decoded plain-text body, line ends as `\n`: lettre sends text in
    /// MIME's canonical CRLF form, which clients show as plain line breaks.
    pub fn text(&self) -> String {
        self.parsed().body_text(0).map(|t| t.replace("\r\n", "\n")).unwrap_or_default()
    }

    /// Each attachment's file name and decoded bytes.
    pub fn attachments(&self) -> Vec<(String, Vec<u8>)> {
        let message = self.parsed();
        let files =
            message.attachments().map(|a| (a.attachment_name().unwrap_or_default().to_string(), a.contents().to_vec()));
        files.collect()
    }
}

/// `LB_SMTP_SINK`, or the script in this crate.
fn script_path() -> PathBuf {
    std::env::var_os("LB_SMTP_SINK")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/smtp_sink.py"))
}
