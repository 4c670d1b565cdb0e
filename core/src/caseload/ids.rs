//! Local identifiers of caseload entities and the redacted free-text type.
//!
//! Every entity is named by an opaque local id chosen by the caller (`R-000123`, `ST-04`):
//! 1 to 64 printable ASCII characters without spaces, never ten digits that could be an NHS
//! number. Ids are checked when the entity is created ([`check_id`] in the event that makes
//! it); a reference to an id that was never created is simply not found.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::NhsNumber;

/// The longest id, in bytes.
///
/// # Example
///
/// ```
/// assert_eq!(carecoord::caseload::MAX_ID_LEN, 64);
/// ```
pub const MAX_ID_LEN: usize = 64;

/// The longest free-text [`Note`], in bytes.
///
/// # Example
///
/// ```
/// assert_eq!(carecoord::caseload::MAX_NOTE_LEN, 2000);
/// ```
pub const MAX_NOTE_LEN: usize = 2000;

/// Why an id is not acceptable (`None` if it is).
pub(crate) fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        return Some("must not be empty");
    }
    if id.len() > MAX_ID_LEN {
        return Some("longer than 64 bytes");
    }
    if !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Some("must be printable ASCII without spaces");
    }
    if looks_like_nhs_number(id) {
        return Some("looks like an NHS number; use an opaque local id");
    }
    None
}

/// Whether `text` contains something that could be an NHS number: ten digits in a row, or
/// 3-3-4 digits separated by single spaces or hyphens, that pass the modulus 11 check.
pub(crate) fn looks_like_nhs_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut digits = [0u8; 10];
    for start in 0..b.len() {
        if !b[start].is_ascii_digit() || (start > 0 && b[start - 1].is_ascii_digit()) {
            continue;
        }
        // Plain run of exactly ten digits.
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end - start == 10 && NhsNumber::is_valid(&text[start..end]) {
            return true;
        }
        // 3-3-4 with separators.
        let mut n = 0;
        let mut i = start;
        let groups = [3usize, 3, 4];
        let mut ok = true;
        for (g, &len) in groups.iter().enumerate() {
            for _ in 0..len {
                match b.get(i) {
                    Some(d) if d.is_ascii_digit() => {
                        digits[n] = *d;
                        n += 1;
                        i += 1;
                    }
                    _ => ok = false,
                }
                if !ok {
                    break;
                }
            }
            if !ok {
                break;
            }
            if g < 2 {
                match b.get(i) {
                    Some(b' ' | b'-') => i += 1,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
        }
        let ends_clean = !b.get(i).is_some_and(u8::is_ascii_digit);
        if ok && ends_clean {
            if let Ok(s) = std::str::from_utf8(&digits) {
                if NhsNumber::is_valid(s) {
                    return true;
                }
            }
        }
    }
    false
}

macro_rules! local_id {
    ($(#[$doc:meta])* $name:ident, $example:literal) => {
        $(#[$doc])*
        ///
        /// `Debug` and `Display` show the id (ids are opaque local references, never NHS
        /// numbers: [`check_id`] refuses anything that looks like one).
        ///
        /// # Example
        ///
        /// ```
        #[doc = concat!("use carecoord::caseload::", stringify!($name), ";")]
        ///
        #[doc = concat!("let id = ", stringify!($name), "::new(\"", $example, "\")?;")]
        #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert!(", stringify!($name), "::new(\"9434765919\").is_err());")]
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A checked id.
            ///
            /// # Errors
            ///
            /// [`IdError`] naming the rule broken: empty, longer than [`MAX_ID_LEN`], not
            /// printable ASCII, or looks like an NHS number.
            pub fn new(id: impl Into<String>) -> Result<Self, IdError> {
                let id = id.into();
                match id_problem(&id) {
                    None => Ok(Self(id)),
                    Some(reason) => Err(IdError { kind: stringify!($name), reason }),
                }
            }

            /// The id as text.
            ///
            /// # Errors
            ///
            /// None.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id without checking it; events that create entities check ids when they
            /// are applied.
            #[allow(dead_code)]
            pub(crate) fn unchecked(id: impl Into<String>) -> Self {
                Self(id.into())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

local_id!(
    /// Opaque local reference of a patient in the caseload (not an NHS number).
    PatientRef,
    "P-000042"
);
local_id!(
    /// Id of a member of staff.
    StaffId,
    "ST-07"
);
local_id!(
    /// Id of a referral or duty-desk request.
    ReferralId,
    "R-000123"
);
local_id!(
    /// Id of a logged contact.
    ContactId,
    "C-000999"
);
local_id!(
    /// Id of a personalised care and support plan.
    CarePlanId,
    "PLAN-17"
);
local_id!(
    /// Id of a goal within a care plan.
    GoalId,
    "G1"
);
local_id!(
    /// Id of a task or action.
    TaskId,
    "T-0005"
);
local_id!(
    /// Id of a staff absence.
    AbsenceId,
    "ABS-3"
);
local_id!(
    /// Id of a hospital ward.
    WardId,
    "WARD-A3"
);
local_id!(
    /// Id of an inpatient stay.
    StayId,
    "S-004711"
);
local_id!(
    /// Id of a repatriation request.
    RepatriationId,
    "REP-2"
);
local_id!(
    /// Id of a transport booking.
    TransportId,
    "TR-18"
);
local_id!(
    /// Id of a handover between care settings.
    HandoverId,
    "HO-6"
);

/// An id that breaks the id rules; names the kind of id and the rule, never the value.
///
/// # Example
///
/// ```
/// use carecoord::caseload::StaffId;
///
/// let err = StaffId::new("has space").unwrap_err();
/// assert_eq!(err.to_string(), "StaffId: must be printable ASCII without spaces");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {reason}")]
pub struct IdError {
    /// The id type (`PatientRef`, `StaffId`, ...).
    pub kind: &'static str,
    /// The rule broken.
    pub reason: &'static str,
}

/// Checks a new entity's id; `None` if it is acceptable, else the rule broken.
///
/// # Example
///
/// ```
/// use carecoord::caseload::check_id;
///
/// assert_eq!(check_id("R-1"), None);
/// assert_eq!(check_id(""), Some("must not be empty"));
/// assert_eq!(check_id("943 476 5919"), Some("must be printable ASCII without spaces"));
/// assert_eq!(check_id("943-476-5919"), Some("looks like an NHS number; use an opaque local id"));
/// ```
pub fn check_id(id: &str) -> Option<&'static str> {
    id_problem(id)
}

/// Free text written by a person (a goal, a task description). It may hold patient
/// details, so `Debug` shows only its length; a text that contains something that looks like
/// an NHS number is refused when the event carrying it is applied.
///
/// # Example
///
/// ```
/// use carecoord::caseload::Note;
///
/// let n = Note::new("Walk to the shop and back");
/// assert_eq!(n.as_str(), "Walk to the shop and back");
/// assert_eq!(format!("{n:?}"), "Note(<25 bytes redacted>)");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Note(String);

impl Note {
    /// A note holding `text`.
    ///
    /// # Errors
    ///
    /// None; the text is checked when the event carrying it is applied.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text.
    ///
    /// # Errors
    ///
    /// None.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Why the text is not acceptable, if it is not.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        if self.0.len() > MAX_NOTE_LEN {
            Some("longer than 2000 bytes")
        } else if looks_like_nhs_number(&self.0) {
            Some("contains what looks like an NHS number")
        } else {
            None
        }
    }
}

impl fmt::Debug for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Note(<{} bytes redacted>)", self.0.len())
    }
}

impl From<&str> for Note {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Note {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_like_text_is_found() {
        // 9434765919 is valid (DOMAIN 2.1 test vector); 9434765918 is not.
        assert!(looks_like_nhs_number("9434765919"));
        assert!(looks_like_nhs_number("ref 943 476 5919 here"));
        assert!(looks_like_nhs_number("943-476-5919"));
        assert!(!looks_like_nhs_number("9434765918"));
        // Eleven digits are not a ten-digit number.
        assert!(!looks_like_nhs_number("94347659190"));
        assert!(!looks_like_nhs_number("R-000123"));
        assert!(!looks_like_nhs_number(""));
    }

    #[test]
    fn id_rules() {
        assert!(PatientRef::new("P-1").is_ok());
        assert_eq!(PatientRef::new("").unwrap_err().reason, "must not be empty");
        assert_eq!(
            PatientRef::new("x".repeat(65)).unwrap_err().reason,
            "longer than 64 bytes"
        );
        assert!(PatientRef::new("x".repeat(64)).is_ok());
        assert_eq!(
            StayId::new("S\u{e9}").unwrap_err().reason,
            "must be printable ASCII without spaces"
        );
    }

    #[test]
    fn note_rules() {
        assert_eq!(Note::new("x".repeat(2000)).problem(), None);
        assert_eq!(
            Note::new("x".repeat(2001)).problem(),
            Some("longer than 2000 bytes")
        );
        assert_eq!(
            Note::new("call about 9434765919").problem(),
            Some("contains what looks like an NHS number")
        );
    }
}
