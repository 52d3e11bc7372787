//! Black-box tests: the real service over HTTP, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod smtp;

mod audit;
mod auth;
mod cli;
mod control_characters;
mod desk_employers;
mod duplicates;
mod employers;
mod errors;
mod fairs;
mod import_collisions;
mod import_safety;
mod imports;
mod instances;
mod labourers;
mod ledger_files;
mod ledgers;
mod mail;
mod open_today;
mod ops;
mod ops_cli;
mod pages;
mod placements;
mod postings;
mod races;
mod reconciliations;
mod relevance;
mod search;
mod targets;
mod training;
mod users;
mod vocational;
mod wrong_answers;
