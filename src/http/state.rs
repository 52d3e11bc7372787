//! What every handler and page can reach.

use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;

/// The application's shared state.
pub struct AppState {
    /// The database pool.
    pub db: Db,
    /// The resolved settings.
    pub settings: Settings,
    /// Search and matching.
    pub search: Arc<crate::search::Search>,
    /// Rate limits kept in memory.
    pub limits: super::limits::Limits,
    /// The dashboard's figures, kept until a write commits.
    pub figures: super::pages::dashboard_figures::KeptFigures,
    /// Target progress, kept until a write commits.
    pub progress: super::pages::dashboard_figures::KeptProgress,
}
