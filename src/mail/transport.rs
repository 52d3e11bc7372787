//! Building one e-mail and handing it to the SMTP server named by `LB_SMTP_URL`.
//!
//! Each send opens its own connection: sends are rare (a ledger submission, a
//! reminder) and a pooled connection could outlive a server restart or a
//! change of settings. Errors are worded for the clerk who reads them in the
//! submission history; the URL is never echoed because it may hold a password.

use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue, Headers};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long connecting, and then each SMTP command, may take.
const TIMEOUT: Duration = Duration::from_secs(20);
/// The longest a whole send may take, greeting to the server's answer
/// (a 38 MB bundle over a slow link included).
pub const WHOLE_SEND: Duration = Duration::from_secs(120);

/// An e-mail to send: plain UTF-8 text and at most one attachment.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// `name@host` or `显示名 <name@host>`.
    pub from: String,
    /// Recipients, each in the same forms as `from`.
    pub to: Vec<String>,
    /// Any Unicode text; lettre encodes it (RFC 2047).
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The one file attached, if any.
    pub attachment: Option<Attachment>,
}

/// A file sent with the mail.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Any Unicode name, e.g. `2019年粤桂扶贫协作台账.xlsx`.
    pub filename: String,
    /// A MIME type such as `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
    pub content_type: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// What the server said when it took the mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The `Message-ID` header, angle brackets included.
    pub message_id: String,
    /// The final reply to DATA: code and text, e.g. `250 Message accepted`.
    pub smtp_response: String,
}

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A sender or recipient is not an e-mail address.
    #[error("{0}")]
    Address(String),
    /// The mail itself could not be put together.
    #[error("{0}")]
    Build(String),
    /// The server is unreachable, misconfigured, or refused the mail.
    #[error("{0}")]
    Smtp(String),
}

/// Puts the mail together without sending it: headers, text, attachment.
pub fn build(mail: &Outgoing) -> Result<Message, MailError> {
    if mail.to.is_empty() {
        return Err(MailError::Address("the mail has no recipient".into()));
    }
    let mut builder = Message::builder().from(mailbox(&mail.from)?).subject(&mail.subject).message_id(None);
    for to in &mail.to {
        builder = builder.to(mailbox(to)?);
    }
    let text = SinglePart::plain(mail.text.clone());
    let built = match &mail.attachment {
        None => builder.singlepart(text),
        Some(file) => {
            // Always base64: lettre would send ASCII-only bytes (a CSV) as 7bit with
            // bare LFs, which servers rewrite or reject, and the recorded hash would lie.
            let body = Body::new_with_encoding(file.bytes.clone(), ContentTransferEncoding::Base64)
                .map_err(|_| MailError::Build("cannot encode the attachment".into()))?;
            let part = lettre::message::Attachment::new(file.filename.clone()).body(body, attachment_type(file)?);
            builder.multipart(MultiPart::mixed().singlepart(text).singlepart(part))
        }
    };
    built.map_err(|e| MailError::Build(format!("cannot put the e-mail together: {e}")))
}

/// Sends the mail through the server at `smtp_url` (`smtp://host:port`, `smtps://user:pass@host:465`, …),
/// counting the outcome for `/metrics`.
pub async fn send(smtp_url: &str, mail: &Outgoing) -> Result<Sent, MailError> {
    let outcome = send_once(smtp_url, mail).await;
    crate::ops::metrics::mail(outcome.is_ok());
    outcome
}

async fn send_once(smtp_url: &str, mail: &Outgoing) -> Result<Sent, MailError> {
    let message = build(mail)?;
    let message_id = message.headers().get_raw("Message-ID").unwrap_or_default().to_string();
    let server = server_name(smtp_url);
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
        .map_err(|e| {
            let expected = "expected smtp://host:port or smtps://user:password@host:465";
            MailError::Smtp(format!("the mail server setting LB_SMTP_URL is not usable ({expected}): {e}"))
        })?
        .timeout(Some(TIMEOUT))
        .build();
    // lettre's timeout is per network operation; a server that accepts
    // the connection and never greets held a submission in `sending` for
    // good. The whole send has a deadline of its own.
    let response = tokio::time::timeout(WHOLE_SEND, transport.send(message))
        .await
        .map_err(|_| {
            MailError::Smtp(format!("the mail server at {server} did not finish within {} s", WHOLE_SEND.as_secs()))
        })?
        .map_err(|e| MailError::Smtp(describe(&e, &server)))?;
    let lines: Vec<&str> = response.message().collect();
    Ok(Sent { message_id, smtp_response: format!("{} {}", response.code(), lines.join(" ")) })
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address.trim().parse().map_err(|e| MailError::Address(format!("`{address}` is not a valid e-mail address: {e}")))
}

/// The attachment's type, with a `name` parameter in RFC 2047 encoded words
/// when the file name is not ASCII. lettre writes the name as RFC 2231
/// `filename*` in `Content-Disposition`, which the standards ask for, but QQ
/// Mail and Outlook over IMAP read only this `name` and would otherwise show
/// `tcmime.….bin` or `ATT00001`.
fn attachment_type(file: &Attachment) -> Result<ContentType, MailError> {
    let bad = |e| MailError::Build(format!("`{}` is not a valid attachment type: {e}", file.content_type));
    let plain = ContentType::parse(&file.content_type).map_err(bad)?;
    if file.filename.is_ascii() {
        return Ok(plain);
    }
    // lettre's header encoder is the only RFC 2047 encoder at hand; it folds
    // long names into several encoded words, which we keep on one line.
    let mut headers = Headers::new();
    headers.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("Content-Type"), file.filename.clone()));
    let folded = headers.to_string();
    let words = folded.trim_start_matches("Content-Type:").trim().replace("\r\n", "");
    ContentType::parse(&format!("{}; name=\"{words}\"", file.content_type)).map_err(bad)
}

/// `host:port` from the URL, without the credentials it may carry.
fn server_name(smtp_url: &str) -> String {
    let rest = smtp_url.split_once("://").map_or(smtp_url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host).to_string()
}

fn describe(e: &lettre::transport::smtp::Error, server: &str) -> String {
    if let Some(code) = e.status() {
        let said = std::error::Error::source(e).map(|s| format!(" {s}")).unwrap_or_default();
        return match code.to_string().as_str() {
            "530" | "535" => {
                format!("the mail server at {server} did not accept the user name or password ({code}{said})")
            }
            _ => format!("the mail server at {server} refused the mail ({code}{said})"),
        };
    }
    if e.is_timeout() {
        return format!("the mail server at {server} did not answer within {} seconds", TIMEOUT.as_secs());
    }
    if e.is_client() {
        let why = std::error::Error::source(e).map_or_else(|| e.to_string(), |s| s.to_string());
        return format!("the mail server at {server} does not offer what LB_SMTP_URL asks for: {why}");
    }
    if e.is_tls() {
        return format!("cannot set up an encrypted (TLS) connection to the mail server at {server}: {e}");
    }
    match io_cause(e) {
        // What TLS reports when the port speaks plain SMTP.
        Some(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            let hint = "check that the port fits smtp:// or smtps://";
            format!("the mail server at {server} answered unexpectedly; {hint} ({io})")
        }
        Some(io) => format!("cannot reach the mail server at {server}: {}", io_reason(io)),
        None => format!("sending through the mail server at {server} failed: {e}"),
    }
}

fn io_cause(e: &lettre::transport::smtp::Error) -> Option<&std::io::Error> {
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = cause.source();
    }
    None
}

fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => "the connection was cut".into(),
        HostUnreachable | NetworkUnreachable => "no route to the host".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    fn ledger_mail() -> Outgoing {
        Outgoing {
            from: "江海区扶贫办 <jianghai@example.cn>".into(),
            to: vec!["daxin@example.cn".into(), "协作办 <office@example.cn>".into()],
            subject: "2019年粤桂扶贫协作台账（截至12月31日）".into(),
            text: "各位好：\n附件是2019年的台账，请查收。".into(),
            attachment: Some(Attachment {
                filename: "2019年粤桂扶贫协作台账.xlsx".into(),
                content_type: XLSX.into(),
                bytes: vec![0x50, 0x4b, 0x03, 0x04, 0, 0xff, 0x80, b'\r', b'\n', b'.'],
            }),
        }
    }

    #[test]
    fn chinese_subject_text_and_file_name_survive() {
        let raw = build(&ledger_mail()).unwrap().formatted();
        assert!(raw.is_ascii(), "headers and bodies are encoded for 7-bit transport");
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.subject(), Some("2019年粤桂扶贫协作台账（截至12月31日）"));
        // lettre sends text in MIME's canonical form, CRLF line ends.
        assert_eq!(parsed.body_text(0).unwrap(), "各位好：\r\n附件是2019年的台账，请查收。");
        let file = parsed.attachments().next().unwrap();
        assert_eq!(file.contents(), ledger_mail().attachment.unwrap().bytes);
        use mail_parser::MimeHeaders;
        assert_eq!(file.attachment_name(), Some("2019年粤桂扶贫协作台账.xlsx"));
        let name = file.content_type().and_then(|ct| ct.attribute("name"));
        assert_eq!(name, Some("2019年粤桂扶贫协作台账.xlsx"), "the Content-Type name for older readers");
    }

    #[test]
    fn an_ascii_attachment_keeps_its_exact_bytes() {
        use mail_parser::MimeHeaders;
        let csv = b"name,id\n\xe5\xbc\xa0\xe4\xb8\x89,1\r\n.\nlast".to_vec();
        let ascii = b"name,id\nzhang,1\n.\n".to_vec();
        for bytes in [csv, ascii] {
            let file = Attachment { filename: "a.csv".into(), content_type: "text/csv".into(), bytes: bytes.clone() };
            let raw = build(&Outgoing { attachment: Some(file), ..ledger_mail() }).unwrap().formatted();
            let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let part = parsed.attachments().next().unwrap();
            assert_eq!(part.content_transfer_encoding(), Some("base64"), "no bare LF reaches the server");
            assert_eq!(part.contents(), bytes);
        }
    }

    #[test]
    fn a_message_id_is_generated() {
        let message = build(&ledger_mail()).unwrap();
        let id = message.headers().get_raw("Message-ID").unwrap();
        assert!(id.starts_with('<') && id.ends_with('>') && id.contains('@'), "{id}");
    }

    #[test]
    fn a_mail_without_attachment_is_plain_text() {
        let mail = Outgoing { attachment: None, ..ledger_mail() };
        let raw = String::from_utf8(build(&mail).unwrap().formatted()).unwrap();
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"), "{raw}");
        assert!(!raw.contains("multipart"), "{raw}");
    }

    #[test]
    fn a_bad_recipient_is_an_address_error() {
        let mail = Outgoing { to: vec!["daxin@example.cn".into(), "not an address".into()], ..ledger_mail() };
        match build(&mail) {
            Err(MailError::Address(m)) => assert!(m.contains("`not an address`"), "{m}"),
            other => panic!("expected an address error, got {other:?}"),
        }
    }

    #[test]
    fn a_bad_sender_or_no_recipient_is_an_address_error() {
        assert!(matches!(build(&Outgoing { from: "@".into(), ..ledger_mail() }), Err(MailError::Address(_))));
        assert!(matches!(build(&Outgoing { to: vec![], ..ledger_mail() }), Err(MailError::Address(_))));
    }

    #[test]
    fn a_bad_content_type_is_a_build_error() {
        let mut mail = ledger_mail();
        mail.attachment.as_mut().unwrap().content_type = "spreadsheet".into();
        assert!(matches!(build(&mail), Err(MailError::Build(_))));
    }

    #[test]
    fn the_server_name_hides_credentials() {
        assert_eq!(server_name("smtps://user:p%40ss@mail.example.cn:465"), "mail.example.cn:465");
        assert_eq!(server_name("smtp://127.0.0.1:2525?tls=required"), "127.0.0.1:2525");
        assert_eq!(server_name("smtp://mail.example.cn/ehlo.example.cn"), "mail.example.cn");
    }
}
