//! The caseload's configuration: service hours, response clocks and escalation rules.
//!
//! Settings are part of the journal: a [`Event::Configured`](super::Event::Configured) event
//! replaces them, so a replay computes every deadline with the settings in force when the
//! clock started. Values marked *unverified* in DOMAIN.md are defaults here, not rules.

use chrono::{NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

use super::serde_util;
use crate::calendar::{BankHolidayPolicy, CalendarError, Region, ServiceHours};
use crate::flow::EscalationRule;
use crate::risk::LosConvention;

/// Service hours as data: opening and closing local time, days of the week, and whose bank
/// holidays close the service (`None`: bank holidays are worked).
///
/// # Example
///
/// ```
/// use carecoord::caseload::HoursSpec;
/// use carecoord::calendar::ServiceHours;
///
/// let spec = HoursSpec::community_seven_day();
/// assert_eq!(spec.to_service_hours()?, ServiceHours::community_seven_day());
/// let json = serde_json::to_string(&spec)?;
/// assert_eq!(json, r#"{"open":"08:00","close":"18:00","days":["mon","tue","wed","thu","fri","sat","sun"],"closed_on_bank_holidays_of":null}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursSpec {
    /// Opening time, local `Europe/London`.
    #[serde(with = "serde_util::time_hm")]
    pub open: NaiveTime,
    /// Closing time, local (closed from this time on).
    #[serde(with = "serde_util::time_hm")]
    pub close: NaiveTime,
    /// Days of the week worked.
    #[serde(with = "serde_util::weekdays")]
    pub days: Vec<Weekday>,
    /// The region whose bank holidays close the service; `None` if bank holidays are worked.
    #[serde(default, with = "serde_util::opt_region")]
    pub closed_on_bank_holidays_of: Option<Region>,
}

const ALL_DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn hm(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN)
}

impl HoursSpec {
    /// 08:00-18:00 every day, bank holidays worked (the community team, DOMAIN 2.5).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::HoursSpec;
    /// assert_eq!(HoursSpec::community_seven_day().days.len(), 7);
    /// ```
    pub fn community_seven_day() -> Self {
        Self {
            open: hm(8),
            close: hm(18),
            days: ALL_DAYS.to_vec(),
            closed_on_bank_holidays_of: None,
        }
    }

    /// 08:00-18:00 Monday to Friday, closed on `region`'s bank holidays (the duty team).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::HoursSpec;
    /// use carecoord::calendar::{Region, ServiceHours};
    ///
    /// let spec = HoursSpec::weekday_office(Region::EnglandAndWales);
    /// assert_eq!(spec.to_service_hours()?, ServiceHours::weekday_office(Region::EnglandAndWales));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn weekday_office(region: Region) -> Self {
        Self {
            open: hm(8),
            close: hm(18),
            days: ALL_DAYS[..5].to_vec(),
            closed_on_bank_holidays_of: Some(region),
        }
    }

    /// The calendar these hours describe.
    ///
    /// # Errors
    ///
    /// [`CalendarError::InvalidServiceHours`] if opening is not before closing or no day is
    /// selected.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::HoursSpec;
    ///
    /// let mut spec = HoursSpec::community_seven_day();
    /// spec.days.clear();
    /// assert!(spec.to_service_hours().is_err());
    /// ```
    pub fn to_service_hours(&self) -> Result<ServiceHours, CalendarError> {
        let policy = match self.closed_on_bank_holidays_of {
            Some(region) => BankHolidayPolicy::Closed(region),
            None => BankHolidayPolicy::Worked,
        };
        ServiceHours::new(self.open, self.close, &self.days, policy)
    }
}

/// When a referral's response clock starts (DOMAIN 2.6: the exact start event is
/// unverified, so it is configurable).
///
/// # Example
///
/// ```
/// use carecoord::caseload::ClockStart;
/// assert_eq!(ClockStart::default(), ClockStart::Received);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// When the referral was received (the default).
    #[default]
    Received,
    /// When the referral was accepted.
    Accepted,
}

/// How the two-hour clock counts time.
///
/// # Example
///
/// ```
/// use carecoord::caseload::TwoHourClock;
/// assert_eq!(TwoHourClock::default(), TwoHourClock::ServiceHours);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoHourClock {
    /// Paused outside the team's service hours (a referral at 17:30 on an 08:00-18:00
    /// service is due 09:30 the next day).
    #[default]
    ServiceHours,
    /// Elapsed time, measured between UTC instants.
    Elapsed,
}

/// The caseload's settings.
///
/// Defaults: the community team works 08:00-18:00 every day including bank holidays; the
/// duty desk 08:00-18:00 Monday to Friday, closed on England and Wales bank holidays; clocks
/// start at receipt; the UCR two-hour clock is 120 minutes of service time; two-day
/// responses are due by the close of the second working day; routine referrals by the close
/// of the tenth working day (a project default, no national standard); duty requests by the
/// close of the next working day (a project default); lengths of stay in midnights; the
/// escalation rules of [`EscalationRule::defaults`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::{ClockStart, Settings};
///
/// let s = Settings::default();
/// assert_eq!((s.clock_start, s.ucr_2_hour_minutes, s.ucr_2_day_working_days), (ClockStart::Received, 120, 2));
/// let back: Settings = serde_json::from_str(&serde_json::to_string(&s)?)?;
/// assert_eq!(back, s);
/// // Fields left out take their defaults.
/// let accepted: Settings = serde_json::from_str(r#"{"clock_start":"accepted"}"#)?;
/// assert_eq!(accepted, Settings { clock_start: ClockStart::Accepted, ..Settings::default() });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Service hours of the community team (UCR, routine referrals, the rota).
    pub team_hours: HoursSpec,
    /// Service hours of the duty desk (duty requests).
    pub duty_hours: HoursSpec,
    /// When response clocks start.
    pub clock_start: ClockStart,
    /// Length of the UCR crisis response clock in minutes (120).
    pub ucr_2_hour_minutes: u32,
    /// How the crisis response clock counts time.
    pub ucr_2_hour_clock: TwoHourClock,
    /// Working days for the UCR two-day response (2).
    pub ucr_2_day_working_days: u32,
    /// Working days for a routine referral; `None`: routine referrals have no deadline.
    pub routine_working_days: Option<u32>,
    /// Working days of the duty desk for a duty request (0: by the close of the day).
    pub duty_request_working_days: u32,
    /// How lengths of stay are counted (DOMAIN 2.7).
    #[serde(with = "serde_util::los_convention")]
    pub los_convention: LosConvention,
    /// Escalation rules for inpatient stays.
    pub escalation_rules: Vec<EscalationRule>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            team_hours: HoursSpec::community_seven_day(),
            duty_hours: HoursSpec::weekday_office(Region::EnglandAndWales),
            clock_start: ClockStart::Received,
            ucr_2_hour_minutes: 120,
            ucr_2_hour_clock: TwoHourClock::ServiceHours,
            ucr_2_day_working_days: 2,
            routine_working_days: Some(10),
            duty_request_working_days: 1,
            los_convention: LosConvention::Midnights,
            escalation_rules: EscalationRule::defaults(),
        }
    }
}

/// Settings checked and compiled for use.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) team: ServiceHours,
    pub(crate) duty: ServiceHours,
    pub(crate) two_hours: TimeDelta,
}

impl Settings {
    /// Checks the settings; `Err((field, reason))` names the first problem.
    pub(crate) fn compile(&self) -> Result<Compiled, (&'static str, &'static str)> {
        let team = self.team_hours.to_service_hours().map_err(|_| {
            (
                "team_hours",
                "opening must be before closing, on at least one day",
            )
        })?;
        let duty = self.duty_hours.to_service_hours().map_err(|_| {
            (
                "duty_hours",
                "opening must be before closing, on at least one day",
            )
        })?;
        if self.ucr_2_hour_minutes == 0 || self.ucr_2_hour_minutes > 7 * 24 * 60 {
            return Err(("ucr_2_hour_minutes", "must be 1 to 10080 minutes"));
        }
        const MAX_DAYS: u32 = 365;
        if self.ucr_2_day_working_days > MAX_DAYS
            || self.routine_working_days.is_some_and(|d| d > MAX_DAYS)
            || self.duty_request_working_days > MAX_DAYS
        {
            return Err(("working_days", "at most 365 working days"));
        }
        let mut ids: Vec<&str> = self
            .escalation_rules
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(("escalation_rules", "rule ids must be unique"));
        }
        for rule in &self.escalation_rules {
            if let Some(reason) = rule.problem() {
                return Err(("escalation_rules", reason));
            }
        }
        Ok(Compiled {
            team,
            duty,
            two_hours: TimeDelta::minutes(i64::from(self.ucr_2_hour_minutes)),
        })
    }
}
