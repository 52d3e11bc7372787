//! Rate limits kept in the server's memory: failed sign-ins per client
//! address (across all accounts), check-ins per organiser. They slow an
//! attacker down; the per-account lock in the database is what bounds the
//! guesses at one password.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` events per key in a fixed window of `window`.
#[derive(Debug)]
pub struct Limiter {
    max: u32,
    window: Duration,
    slots: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    /// A limiter of `max` events per `window`.
    pub fn new(max: u32, window: Duration) -> Limiter {
        Limiter { max, window, slots: Mutex::new(HashMap::new()) }
    }

    /// Takes one event for `key`: `Err(seconds)` (until the window ends)
    /// when `key` has had its `max` already.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots.len() > 100_000 {
            slots.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let slot = slots.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(slot.0) >= self.window {
            *slot = (now, 0);
        }
        if slot.1 >= self.max {
            let left = self.window.saturating_sub(now.duration_since(slot.0));
            return Err(left.as_secs().max(1));
        }
        slot.1 += 1;
        Ok(())
    }

    /// Gives back an event taken for `key` (it turned out not to count,
    /// e.g. a sign-in that succeeded).
    pub fn give_back(&self, key: &str) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get_mut(key) {
            slot.1 = slot.1.saturating_sub(1);
        }
    }
}

/// The limits of one running service.
#[derive(Debug)]
pub struct Limits {
    /// Failed sign-ins per client address.
    pub login_addresses: Limiter,
    /// Check-ins per user (organisers and the registry alike).
    pub check_ins: Limiter,
}

impl Limits {
    /// The limits the settings ask for.
    pub fn of(settings: &crate::config::Settings) -> Limits {
        Limits {
            login_addresses: Limiter::new(
                settings.login_address_max_failures,
                Duration::from_secs(settings.login_address_window_seconds.max(1) as u64),
            ),
            check_ins: Limiter::new(settings.check_ins_per_minute, Duration::from_secs(60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_max_per_window_and_others_are_apart() {
        let l = Limiter::new(2, Duration::from_secs(60));
        assert!(l.take("a").is_ok());
        assert!(l.take("a").is_ok());
        assert!(l.take("a").unwrap_err() > 0);
        assert!(l.take("b").is_ok());
        l.give_back("a");
        assert!(l.take("a").is_ok());
    }
}
