//! How labour-bridge's own types are stored, on both backends.
//!
//! The closed lists of `domain::enums`, `Gender` and `IdNumber` are `TEXT`
//! holding their stable code; record ids are `BIGINT`; lists are `TEXT`
//! holding a JSON array ([`JsonList`]). Each type gets `ToSql`/`FromSql` for
//! SQLite and PostgreSQL, and for the `MultiBackend` that `DbConnection`'s
//! derive generates, which dispatches to the two (diesel's documented way of
//! adding types to a multi-connection).

use std::io::Write;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;
use serde::{Deserialize, Serialize};

use super::MultiBackend;
use crate::domain::*;

/// Implements the TEXT mapping of types that have `as_str()` and `FromStr`.
macro_rules! text_column {
    ($($t:ty),+ $(,)?) => {$(
        impl ToSql<Text, Sqlite> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.as_str());
                Ok(IsNull::No)
            }
        }
        impl ToSql<Text, Pg> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.as_str().as_bytes())?;
                Ok(IsNull::No)
            }
        }
        impl ToSql<Text, MultiBackend> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }
        impl FromSql<Text, Sqlite> for $t {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
                from_stored_text(&s)
            }
        }
        impl FromSql<Text, Pg> for $t {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                from_stored_text(&s)
            }
        }
        impl FromSql<Text, MultiBackend> for $t {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, Text>()
            }
        }
    )+};
}

/// Reads a stored code; a value the code does not know is a storage fault
/// (someone edited the database by hand), reported as such.
fn from_stored_text<T: FromStoredText>(s: &str) -> deserialize::Result<T> {
    T::from_stored_text(s).ok_or_else(|| format!("unexpected stored value `{s}`").into())
}

/// A type whose stored spelling can be read back.
trait FromStoredText: Sized {
    fn from_stored_text(s: &str) -> Option<Self>;
}

macro_rules! stored_enum {
    ($($t:ty),+) => {$(
        impl FromStoredText for $t {
            fn from_stored_text(s: &str) -> Option<Self> {
                <$t>::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    )+};
}

stored_enum!(
    PovertyStatus,
    Education,
    GenderRequirement,
    PostingStatus,
    Benefit,
    Channel,
    IntentionStatus,
    EnrolmentStatus,
    CertificateKind,
    StudyStatus,
    TargetMetric,
    DeadlineKind
);

impl FromStoredText for Gender {
    fn from_stored_text(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

impl FromStoredText for IdNumber {
    fn from_stored_text(s: &str) -> Option<Self> {
        Some(IdNumber::from_stored(s.to_string()))
    }
}

text_column!(
    PovertyStatus,
    Education,
    GenderRequirement,
    PostingStatus,
    Benefit,
    Channel,
    IntentionStatus,
    EnrolmentStatus,
    CertificateKind,
    StudyStatus,
    TargetMetric,
    DeadlineKind,
    Gender,
    IdNumber,
);

/// Implements the BIGINT mapping of the record-id newtypes.
macro_rules! id_column {
    ($($t:ident),+) => {$(
        impl ToSql<BigInt, Sqlite> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.0);
                Ok(IsNull::No)
            }
        }
        impl ToSql<BigInt, Pg> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, &mut out.reborrow())
            }
        }
        impl ToSql<BigInt, MultiBackend> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((BigInt, self));
                Ok(IsNull::No)
            }
        }
        impl FromSql<BigInt, Sqlite> for $t {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Sqlite>>::from_sql(bytes).map($t)
            }
        }
        impl FromSql<BigInt, Pg> for $t {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map($t)
            }
        }
        impl FromSql<BigInt, MultiBackend> for $t {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, BigInt>()
            }
        }
    )+};
}

id_column!(LabourerId, EmployerId, PostingId, PlacementId, JobFairId, SessionId, EnrolmentId, UserId);

/// A list stored as a JSON array in a TEXT column (the same on both
/// backends, and readable by a person looking at the database).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, AsExpression, FromSqlRow)]
#[serde(transparent)]
#[diesel(sql_type = Text)]
pub struct JsonList<T>(pub Vec<T>);

impl<T> JsonList<T> {
    /// The items.
    pub fn items(&self) -> &[T] {
        &self.0
    }
}

impl<T> From<Vec<T>> for JsonList<T> {
    fn from(v: Vec<T>) -> Self {
        JsonList(v)
    }
}

impl<T: Serialize> JsonList<T> {
    fn encoded(&self) -> String {
        // Serialising strings, numbers and closed-list codes cannot fail.
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_string())
    }
}

impl<T: Serialize + std::fmt::Debug> ToSql<Text, Sqlite> for JsonList<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.encoded());
        Ok(IsNull::No)
    }
}

impl<T: Serialize + std::fmt::Debug> ToSql<Text, Pg> for JsonList<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.encoded().as_bytes())?;
        Ok(IsNull::No)
    }
}

impl<T: Serialize + std::fmt::Debug + Send + Sync + 'static> ToSql<Text, MultiBackend> for JsonList<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Text, self));
        Ok(IsNull::No)
    }
}

impl<T: serde::de::DeserializeOwned> FromSql<Text, Sqlite> for JsonList<T> {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let s = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
        Ok(JsonList(serde_json::from_str(&s)?))
    }
}

impl<T: serde::de::DeserializeOwned> FromSql<Text, Pg> for JsonList<T> {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let s = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
        Ok(JsonList(serde_json::from_str(&s)?))
    }
}

impl<T: serde::de::DeserializeOwned> FromSql<Text, MultiBackend> for JsonList<T> {
    fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        bytes.from_sql::<Self, Text>()
    }
}
