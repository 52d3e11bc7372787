//! labour-bridge: the registry of east–west labour cooperation between a
//! poor county and its paired eastern district — labourers, employers,
//! postings, placements — and the ledgers (台账) that prove the work.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod import;
pub mod ledger;
pub mod mail;
pub mod messages;
pub mod ops;
pub mod reconcile;
pub mod registry;
pub mod search;
pub mod startup;
