//! Medians and goal ratios: each goal compares a measurement with a baseline from the same run.

use std::fmt;
use std::time::Duration;

use serde_json::{Value, json};

/// The median of the samples in microseconds; the median shrugs off the odd stall of a shared
/// machine that a mean would average in.
pub fn median_micros(samples: &[Duration]) -> f64 {
    let mut v: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e6).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    }
}

pub struct Goal {
    pub id: String,
    pub what: String,
    pub measured: f64,
    pub baseline: f64,
    pub limit: f64,
    pub unit: &'static str,
}

impl Goal {
    pub fn new(id: &str, what: &str, measured_us: f64, baseline_us: f64, limit: f64) -> Self {
        Goal {
            id: id.into(),
            what: what.into(),
            measured: measured_us,
            baseline: baseline_us,
            limit,
            unit: "µs",
        }
    }

    /// A ratio reported without a goal (the issue asks for the figure, not a bound).
    pub fn figure(id: &str, what: &str, measured: f64, baseline: f64) -> Self {
        Goal::new(id, what, measured, baseline, f64::INFINITY)
    }

    pub fn with_unit(mut self, unit: &'static str) -> Self {
        self.unit = unit;
        self
    }

    pub fn ratio(&self) -> f64 {
        self.measured / self.baseline
    }

    pub fn met(&self) -> bool {
        self.ratio() <= self.limit
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "what": self.what, "measured": self.measured, "baseline": self.baseline,
            "unit": self.unit, "ratio": self.ratio(),
            "goal": self.limit.is_finite().then_some(self.limit), "met": self.met(),
        })
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let goal = if self.limit.is_finite() {
            format!(
                "goal ≤ {:.1}×: {}",
                self.limit,
                if self.met() { "met" } else { "NOT MET" }
            )
        } else {
            "a figure, no goal".to_string()
        };
        write!(
            f,
            "{:<4} {:<62} {:>6.2}×  ({goal})  [{:.1} vs {:.1} {}]",
            self.id,
            self.what,
            self.ratio(),
            self.measured,
            self.baseline,
            self.unit
        )
    }
}
