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

/// The address a request comes from, as the sign-in limit keys it: its
/// peer's, or — when the peer is one of the `trusted` proxies — the
/// nearest entry before them in `X-Forwarded-For` (each proxy appends the
/// address it was reached from; entries a client wrote itself come first
/// and are not believed past the first untrusted one). An entry with a
/// port (`203.0.113.9:443`) is its address; one that is no address at all
/// (`unknown`) is the key itself, never stepped past. An IPv6 client is
/// keyed by its /64, the block one household or host is given.
pub fn client_address(req: &actix_web::HttpRequest, trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return String::new() };
    if !trusted.contains(&peer) {
        return key_of(peer);
    }
    let entries: Vec<String> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    for entry in entries.iter().rev() {
        match address_of(entry) {
            Some(a) if trusted.contains(&a) => continue,
            Some(a) => return key_of(a),
            None => return entry.to_ascii_lowercase(),
        }
    }
    key_of(peer)
}

/// An `X-Forwarded-For` entry's address: bare, with a port, or bracketed.
fn address_of(entry: &str) -> Option<std::net::IpAddr> {
    entry
        .parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.trim_start_matches('[').trim_end_matches(']').parse().ok())
}

/// The limit's key of an address: itself, or an IPv6 address's /64.
fn key_of(a: std::net::IpAddr) -> String {
    match a {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod address_tests {
    #![allow(clippy::unwrap_used)]

    use actix_web::test::TestRequest;

    #[test]
    fn a_trusted_proxy_s_client_is_the_last_untrusted_forwarded_address() {
        let lb: std::net::IpAddr = "10.0.0.5".parse().unwrap();
        let from_lb = |xff: &str| {
            TestRequest::default()
                .peer_addr("10.0.0.5:4000".parse().unwrap())
                .insert_header(("x-forwarded-for", xff))
                .to_http_request()
        };
        assert_eq!(super::client_address(&from_lb("203.0.113.9"), &[lb]), "203.0.113.9");
        // A client that writes its own X-Forwarded-For is not believed.
        assert_eq!(super::client_address(&from_lb("1.2.3.4, 203.0.113.9"), &[lb]), "203.0.113.9");
        assert_eq!(super::client_address(&from_lb("203.0.113.9"), &[]), "10.0.0.5", "no proxy trusted");
        // A port is not a new client; "unknown" is not stepped past.
        assert_eq!(super::client_address(&from_lb("9.9.7.1, 203.0.113.9:443"), &[lb]), "203.0.113.9");
        assert_eq!(super::client_address(&from_lb("9.9.7.1, unknown"), &[lb]), "unknown");
        assert_eq!(super::client_address(&from_lb("[2001:db8::7]:443"), &[lb]), "2001:db8:0:0::/64");
        assert_eq!(super::client_address(&from_lb("2001:db8::9"), &[lb]), "2001:db8:0:0::/64", "one /64, one key");
        let direct = TestRequest::default()
            .peer_addr("198.51.100.7:4000".parse().unwrap())
            .insert_header(("x-forwarded-for", "1.2.3.4"))
            .to_http_request();
        assert_eq!(super::client_address(&direct, &[lb]), "198.51.100.7", "not from the proxy");
    }
}
