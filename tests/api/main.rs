//! Black-box tests: the real service over HTTP, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod smtp;

mod audit;
mod auth;
mod cli;
mod employers;
mod errors;
mod fairs;
mod import_safety;
mod imports;
mod labourers;
mod ledgers;
mod mail;
mod pages;
mod placements;
mod postings;
mod reconciliations;
mod relevance;
mod search;
mod targets;
mod training;
mod vocational;
mod wrong_answers;
