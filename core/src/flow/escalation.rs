//! Escalation rules for inpatient stays (DOMAIN 1, post 000: "delayed >= N days ->
//! escalate"). Rules are configuration ([`Settings::escalation_rules`]); the defaults are
//! this project's choice, not a national rule.
//!
//! [`Settings::escalation_rules`]: crate::caseload::Settings::escalation_rules

use serde::{Deserialize, Serialize};

use crate::caseload::check_id;

/// What makes a rule fire.
///
/// JSON: `{"kind": "los_at_least", "days": 21}`, `{"kind": "delay_at_least", "days": 3}`,
/// `{"kind": "delay_category_at_least", "category": "pathway-3", "days": 1}`.
///
/// # Example
///
/// ```
/// use carecoord::flow::Trigger;
///
/// let t: Trigger = serde_json::from_str(r#"{"kind":"los_at_least","days":21}"#)?;
/// assert_eq!(t, Trigger::LosAtLeast { days: 21 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// Length of stay (midnights) at least `days`.
    LosAtLeast {
        /// Threshold in midnights.
        days: u32,
    },
    /// Delayed (still in after the discharge ready date) by at least `days`.
    DelayAtLeast {
        /// Threshold in days after the discharge ready date.
        days: u32,
    },
    /// Delayed by at least `days` with a current delay reason in `category` (the
    /// delay-reason table's category, e.g. `pathway-3`).
    DelayCategoryAtLeast {
        /// The reason category.
        category: String,
        /// Threshold in days after the discharge ready date.
        days: u32,
    },
}

/// An escalation rule: an id, an escalation level (1 = first line) and a trigger.
///
/// # Example
///
/// ```
/// use carecoord::flow::{EscalationRule, Trigger};
///
/// let rule = EscalationRule { id: "delay-3".into(), level: 1, trigger: Trigger::DelayAtLeast { days: 3 } };
/// assert!(rule.fires(2, Some(3), None));
/// assert!(!rule.fires(20, Some(2), None));
/// assert!(!rule.fires(20, None, None)); // not delayed: no discharge ready date passed
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationRule {
    /// Unique id of the rule (an id as for entities, e.g. `los-21`).
    pub id: String,
    /// Escalation level, 1 to 9.
    pub level: u8,
    /// When the rule fires.
    pub trigger: Trigger,
}

impl EscalationRule {
    /// The project's default rules (configurable; not national rules): `delay-3` (delayed 3
    /// days or more, level 1), `delay-7` (7 days or more, level 2) and `los-21` (length of
    /// stay 21 midnights or more, the "super-stranded" band of DOMAIN 2.7, level 2).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::EscalationRule;
    ///
    /// let ids: Vec<String> = EscalationRule::defaults().into_iter().map(|r| r.id).collect();
    /// assert_eq!(ids, ["delay-3", "delay-7", "los-21"]);
    /// ```
    pub fn defaults() -> Vec<Self> {
        vec![
            Self {
                id: "delay-3".into(),
                level: 1,
                trigger: Trigger::DelayAtLeast { days: 3 },
            },
            Self {
                id: "delay-7".into(),
                level: 2,
                trigger: Trigger::DelayAtLeast { days: 7 },
            },
            Self {
                id: "los-21".into(),
                level: 2,
                trigger: Trigger::LosAtLeast { days: 21 },
            },
        ]
    }

    /// Whether the rule fires for a stay with length of stay `los` (midnights), `delay` days
    /// past its discharge ready date (`None` if not delayed) and current delay-reason
    /// `category`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::{EscalationRule, Trigger};
    ///
    /// let rule = EscalationRule {
    ///     id: "p3-1".into(),
    ///     level: 1,
    ///     trigger: Trigger::DelayCategoryAtLeast { category: "pathway-3".into(), days: 1 },
    /// };
    /// assert!(rule.fires(9, Some(1), Some("pathway-3")));
    /// assert!(!rule.fires(9, Some(1), Some("transport")));
    /// ```
    pub fn fires(&self, los: u32, delay: Option<u32>, category: Option<&str>) -> bool {
        match &self.trigger {
            Trigger::LosAtLeast { days } => los >= *days,
            Trigger::DelayAtLeast { days } => delay.is_some_and(|d| d >= *days),
            Trigger::DelayCategoryAtLeast { category: c, days } => {
                delay.is_some_and(|d| d >= *days) && category == Some(c.as_str())
            }
        }
    }

    /// Why the rule is not acceptable, if it is not.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        if check_id(&self.id).is_some() {
            return Some("rule id must be 1-64 printable ASCII characters without spaces");
        }
        if !(1..=9).contains(&self.level) {
            return Some("level must be 1 to 9");
        }
        if let Trigger::DelayCategoryAtLeast { category, .. } = &self.trigger {
            if category.is_empty() {
                return Some("category must not be empty");
            }
        }
        None
    }
}
