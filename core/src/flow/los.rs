//! Length of stay and the long-stay bands (DOMAIN 2.7).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::FlowError;
use crate::calendar::local_date;
use crate::risk::LosConvention;

/// Length of stay from `admitted` to `until` (the discharge, or a census instant for a
/// patient still in), counted by `convention`.
///
/// **The midnight rule** ([`LosConvention::Midnights`], the default everywhere in this
/// crate): the number of midnights in `Europe/London` between admission and the end, i.e.
/// `local_date(until) - local_date(admitted)`. A same-day stay is 0; admitted 23:50 and
/// discharged 00:10 the next day is 1. [`LosConvention::InclusiveDays`] counts both the
/// admission and the end day (midnights + 1). Times are UTC instants; the dates are
/// `Europe/London` dates, so 23:30 UTC in summer is already the next day.
///
/// # Errors
///
/// [`FlowError::EndBeforeStart`] if `until` is before `admitted`.
///
/// # Example
///
/// ```
/// use carecoord::flow::length_of_stay;
/// use carecoord::risk::LosConvention;
/// use chrono::{TimeZone, Utc};
///
/// // Admitted 22:00 BST on 1 July (21:00 UTC), discharged 09:00 BST on 3 July: 2 midnights.
/// let admitted = Utc.with_ymd_and_hms(2026, 7, 1, 21, 0, 0).unwrap();
/// let discharged = Utc.with_ymd_and_hms(2026, 7, 3, 8, 0, 0).unwrap();
/// assert_eq!(length_of_stay(admitted, discharged, LosConvention::Midnights)?, 2);
/// assert_eq!(length_of_stay(admitted, discharged, LosConvention::InclusiveDays)?, 3);
/// // 23:30 UTC on 1 July is 00:30 BST on 2 July: one midnight after an 22:00 BST admission.
/// let late = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
/// assert_eq!(length_of_stay(admitted, late, LosConvention::Midnights)?, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn length_of_stay(
    admitted: DateTime<Utc>,
    until: DateTime<Utc>,
    convention: LosConvention,
) -> Result<u32, FlowError> {
    if until < admitted {
        return Err(FlowError::EndBeforeStart);
    }
    let midnights = midnights_between(admitted, until);
    Ok(match convention {
        LosConvention::Midnights => midnights,
        LosConvention::InclusiveDays => midnights.saturating_add(1),
    })
}

/// Midnights between two instants (0 if `until` is not after `from`).
pub(crate) fn midnights_between(from: DateTime<Utc>, until: DateTime<Utc>) -> u32 {
    let days = (local_date(until) - local_date(from)).num_days();
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

/// The long-stay band of a length of stay in midnights: under 7, 7+ ("stranded"), 14+ or
/// 21+ ("super-stranded") days (DOMAIN 2.7). Bands are cumulative: [`LosBand::includes`]
/// says a 21+ stay is also 7+ and 14+. Bands are always taken on the midnight count, whatever
/// convention a length of stay is reported in.
///
/// # Example
///
/// ```
/// use carecoord::flow::LosBand;
///
/// assert_eq!(LosBand::of(6), LosBand::Under7);
/// assert_eq!(LosBand::of(7), LosBand::Days7Plus);
/// assert_eq!(LosBand::of(14), LosBand::Days14Plus);
/// assert_eq!(LosBand::of(21), LosBand::Days21Plus);
/// assert!(LosBand::of(30).includes(LosBand::Days7Plus));
/// assert!(!LosBand::of(13).includes(LosBand::Days14Plus));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LosBand {
    /// Under 7 days.
    #[serde(rename = "under_7")]
    Under7,
    /// 7 to 13 days.
    #[serde(rename = "7_plus")]
    Days7Plus,
    /// 14 to 20 days.
    #[serde(rename = "14_plus")]
    Days14Plus,
    /// 21 days or more.
    #[serde(rename = "21_plus")]
    Days21Plus,
}

impl LosBand {
    /// The highest band a length of stay (midnights) reaches.
    ///
    /// # Errors
    ///
    /// None.
    pub fn of(midnights: u32) -> Self {
        match midnights {
            0..=6 => Self::Under7,
            7..=13 => Self::Days7Plus,
            14..=20 => Self::Days14Plus,
            _ => Self::Days21Plus,
        }
    }

    /// Whether a stay in this band also counts in `other` (bands are cumulative).
    ///
    /// # Errors
    ///
    /// None.
    pub fn includes(self, other: LosBand) -> bool {
        self >= other
    }

    /// The band's code: `under_7`, `7_plus`, `14_plus`, `21_plus`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carecoord::flow::LosBand::Days21Plus.as_str(), "21_plus");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Under7 => "under_7",
            Self::Days7Plus => "7_plus",
            Self::Days14Plus => "14_plus",
            Self::Days21Plus => "21_plus",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn midnight_rule_worked_examples() {
        let m = LosConvention::Midnights;
        // DOMAIN 2.7: same-day stay is 0.
        assert_eq!(
            length_of_stay(utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 17, 0), m),
            Ok(0)
        );
        // 23:50 to 00:10 GMT the next day: one midnight.
        assert_eq!(
            length_of_stay(utc(2026, 1, 5, 23, 50), utc(2026, 1, 6, 0, 10), m),
            Ok(1)
        );
        // Across the spring change (29 March 2026): admitted 28 March 12:00 GMT,
        // discharged 30 March 12:00 BST (11:00 UTC): 2 midnights, though 47 hours.
        assert_eq!(
            length_of_stay(utc(2026, 3, 28, 12, 0), utc(2026, 3, 30, 11, 0), m),
            Ok(2)
        );
        // 23:30 UTC on 31 March (BST) is 00:30 on 1 April: a midnight has passed.
        assert_eq!(
            length_of_stay(utc(2026, 3, 31, 12, 0), utc(2026, 3, 31, 23, 30), m),
            Ok(1)
        );
        // Inclusive days: the same stays plus one.
        let i = LosConvention::InclusiveDays;
        assert_eq!(
            length_of_stay(utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 17, 0), i),
            Ok(1)
        );
        assert_eq!(
            length_of_stay(utc(2026, 1, 1, 9, 0), utc(2026, 1, 22, 9, 0), i),
            Ok(22)
        );
    }

    #[test]
    fn bands_are_cumulative() {
        assert_eq!(LosBand::of(0), LosBand::Under7);
        assert_eq!(LosBand::of(13), LosBand::Days7Plus);
        assert_eq!(LosBand::of(20), LosBand::Days14Plus);
        assert_eq!(LosBand::of(400), LosBand::Days21Plus);
        let b = LosBand::Days21Plus;
        assert!(b.includes(LosBand::Days7Plus) && b.includes(LosBand::Days14Plus));
        assert!(LosBand::Days7Plus.includes(LosBand::Under7));
    }
}
