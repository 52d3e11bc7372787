//! The JSON API under `/api/v1`, one file per resource.

pub mod audit;
pub mod common;
pub mod deadlines;
pub mod duplicates;
pub mod employers;
pub mod enrolments;
pub mod fair_desk;
pub mod fairs;
pub mod imports;
pub mod labourers;
pub mod ledgers;
pub mod placements;
pub mod postings;
pub mod reconciliations;
pub mod saved_searches;
pub mod search;
pub mod session;
pub mod submissions;
pub mod targets;
pub mod training;
pub mod users;
pub mod vocational;
