//! Downloads sent as they are written: a ledger at a province's scale
//! (stable-east: 290,000 rows, 159 MB of JSON) goes to the client a chunk
//! at a time instead of being held whole in the server's memory, once per
//! clerk downloading it.
//!
//! The export runs on the blocking pool with its own pooled connection and
//! writes into a bounded channel; the response starts with the first chunk.
//! An error before any byte is the usual problem+json (or page); an error
//! after the start can only cut the transfer short, so it is logged, and
//! the client sees an incomplete download rather than a wrong file.

use std::io::{self, Write};

use actix_web::web::Bytes;
use actix_web::HttpResponse;
use actix_web::HttpResponseBuilder;
use futures_util::stream;
use tokio::sync::mpsc;

use crate::db::{Db, DbConnection};
use crate::error::AppError;

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;
/// Chunks waiting for a slow client before the export waits too (so at
/// most about 1 MiB is held per download).
const IN_FLIGHT: usize = 16;

type Piece = Result<Bytes, AppError>;

/// A `Write` that hands what is written to the response in chunks.
struct ToResponse {
    buf: Vec<u8>,
    tx: mpsc::Sender<Piece>,
}

impl ToResponse {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ToResponse {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// Answers with what `export` writes, as it writes it: `resp` carries the
/// status and headers (content type, disposition). `export` gets a pooled
/// connection and the writer; its error before the first byte is returned
/// as the answer.
pub async fn streamed<F>(db: &Db, mut resp: HttpResponseBuilder, export: F) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut DbConnection, &mut (dyn Write + Send)) -> Result<(), AppError> + Send + 'static,
{
    let (tx, mut rx) = mpsc::channel::<Piece>(IN_FLIGHT);
    let db = db.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut out = ToResponse { buf: Vec::with_capacity(CHUNK), tx };
        let written = db
            .get()
            .and_then(|mut c| export(&mut c, &mut out))
            .and_then(|()| out.send().map_err(|e| AppError::Internal(e.into())));
        if let Err(e) = written {
            if out.tx.is_closed() {
                tracing::info!("download stopped: the client went away");
            } else {
                tracing::error!(error = %e, "download failed");
                let _ = out.tx.blocking_send(Err(e));
            }
        }
    });
    let first = match rx.recv().await {
        None => Bytes::new(),
        Some(Err(e)) => return Err(e),
        Some(Ok(first)) => first,
    };
    let rest = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|piece| (piece, rx)) });
    let body = stream::StreamExt::chain(stream::once(async move { Ok::<_, AppError>(first) }), rest);
    Ok(resp.streaming(body))
}
