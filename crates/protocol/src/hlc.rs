//! A hybrid logical clock whose text form sorts like the clock.
//!
//! The server compares [`Operation::hlc`](crate::Operation::hlc) stamps only
//! as text, to pick a conflict's winner. Devices should make them with this
//! type so that stamps of different devices compare meaningfully:
//! `MMMMMMMMMMMMMMM-CCCCC-NODE`, milliseconds since the Unix epoch (15
//! digits), a counter (5 digits), and the node (the device id).

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hlc {
    pub millis: u64,
    pub counter: u32,
    pub node: String,
}

impl Hlc {
    pub fn new(node: impl Into<String>) -> Hlc {
        Hlc {
            millis: 0,
            counter: 0,
            node: node.into(),
        }
    }

    /// The stamp of a local event at wall time `now_millis`.
    pub fn tick(&mut self, now_millis: u64) -> Hlc {
        if now_millis > self.millis {
            self.millis = now_millis;
            self.counter = 0;
        } else {
            self.counter = self.counter.saturating_add(1);
        }
        self.clone()
    }

    /// Move past a stamp seen from elsewhere (a pulled change), so the next
    /// local stamp sorts after it.
    pub fn observe(&mut self, other: &Hlc, now_millis: u64) {
        let max = self.millis.max(other.millis).max(now_millis);
        self.counter = if max == self.millis && max == other.millis {
            self.counter.max(other.counter).saturating_add(1)
        } else if max == self.millis {
            self.counter.saturating_add(1)
        } else if max == other.millis {
            other.counter.saturating_add(1)
        } else {
            0
        };
        self.millis = max;
    }

    pub fn parse(s: &str) -> Option<Hlc> {
        let mut parts = s.splitn(3, '-');
        let millis = parts.next().filter(|p| p.len() == 15)?.parse().ok()?;
        let counter = parts.next().filter(|p| p.len() == 5)?.parse().ok()?;
        let node = parts.next()?.to_owned();
        Some(Hlc {
            millis,
            counter,
            node,
        })
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:015}-{:05}-{}", self.millis, self.counter, self.node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_sort_as_text_like_the_clock() {
        let mut a = Hlc::new("a");
        let s1 = a.tick(1_000).to_string();
        let s2 = a.tick(1_000).to_string();
        let s3 = a.tick(999).to_string();
        let s4 = a.tick(20_000).to_string();
        assert!(s1 < s2 && s2 < s3 && s3 < s4, "{s1} {s2} {s3} {s4}");
        assert_eq!(Hlc::parse(&s3).map(|h| h.to_string()), Some(s3));
    }

    #[test]
    fn observing_a_later_stamp_moves_the_clock_past_it() {
        let mut a = Hlc::new("a");
        let remote = Hlc {
            millis: 5_000,
            counter: 3,
            node: "b".into(),
        };
        a.observe(&remote, 1_000);
        assert!(a.tick(1_000).to_string() > remote.to_string());
    }
}
