//! The shapes every resource's handlers share, written once: read one
//! record (404 naming its kind), read a page, and answer a write.

use actix_web::HttpResponse;
use serde::Serialize;

use crate::db::models::Versioned;
use crate::db::{Db, DbConnection};
use crate::error::AppError;
use crate::http::input::Page;
use crate::http::views::ListOf;
use crate::registry::Kind;

/// `GET …/{id}`: the record as its view, or 404 naming its kind.
pub async fn show<R, V>(db: &Db, kind: Kind, id: R::Id, view: impl FnOnce(R) -> V) -> Result<HttpResponse, AppError>
where
    R: Versioned + Send + 'static,
    R::Id: Send + 'static,
    V: Serialize,
{
    let row = db.run(move |c| crate::registry::load::<R>(c, kind, id)).await?;
    Ok(HttpResponse::Ok().json(view(row)))
}

/// `GET …`: one page of `{items, next_cursor}`; `fetch` reads `limit`
/// rows after the cursor, `id` gives each row's cursor.
pub async fn page<R, V, F>(
    db: &Db,
    page: Page,
    fetch: F,
    id: fn(&R) -> i64,
    view: impl FnMut(R) -> V,
) -> Result<HttpResponse, AppError>
where
    R: Send + 'static,
    V: Serialize,
    F: FnOnce(&mut DbConnection, i64, i64) -> diesel::QueryResult<Vec<R>> + Send + 'static,
{
    let rows = db.run(move |c| Ok(fetch(c, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(view).collect(), next_cursor }))
}

/// `DELETE …/{id}`: runs the registry's delete in a write transaction; 204.
pub async fn deleted<F>(db: &Db, delete: F) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<(), AppError> + Send + 'static,
{
    db.write(delete).await?;
    Ok(HttpResponse::NoContent().finish())
}
