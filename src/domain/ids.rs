//! Record ids that cross module boundaries, as their own types, so that a
//! posting's id can never be passed where a labourer's is expected.
//!
//! Each is a transparent `i64` on the wire and in the database (`BIGINT`;
//! the SQL mapping lives in `db::types`).

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! record_ids {
    ($( $(#[$meta:meta])* $name:ident; )+) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        pub struct $name(pub i64);

        impl $name {
            /// The number inside.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v)
            }
        }

        impl From<$name> for i64 {
            fn from(v: $name) -> i64 {
                v.0
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <i64 as utoipa::PartialSchema>::schema()
            }
        }

        impl utoipa::ToSchema for $name {}
    )+};
}

record_ids! {
    /// `labourers.id`.
    LabourerId;
    /// `employers.id`.
    EmployerId;
    /// `postings.id`.
    PostingId;
    /// `placements.id`.
    PlacementId;
    /// `job_fairs.id`.
    JobFairId;
    /// `training_sessions.id`.
    SessionId;
    /// `enrolments.id`.
    EnrolmentId;
    /// `users.id`.
    UserId;
}
