//! SNOMED CT identifiers (SCTID): length, Verhoeff check digit and partition (DOMAIN.md 2.2).

use std::fmt;
use std::str::FromStr;

/// Why a string is not a valid SNOMED CT identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum SnomedIdError {
    /// The input was empty or only white space.
    #[error("SNOMED CT identifier is empty")]
    Empty,
    /// A character other than a digit.
    #[error("SNOMED CT identifier has a non-digit at position {position}")]
    InvalidCharacter {
        /// Zero-based character position in the trimmed input.
        position: usize,
    },
    /// Fewer than 6 or more than 18 digits.
    #[error("SNOMED CT identifier must have 6 to 18 digits, found {digits}")]
    WrongLength {
        /// How many digits were found.
        digits: usize,
    },
    /// The first digit is 0.
    #[error("SNOMED CT identifier must not start with 0")]
    LeadingZero,
    /// The Verhoeff check digit does not match.
    #[error("SNOMED CT identifier Verhoeff check digit mismatch")]
    CheckDigitMismatch,
    /// The partition identifier is not one of 00, 01, 02, 10, 11, 12.
    #[error("SNOMED CT identifier has a reserved partition identifier")]
    ReservedPartition,
    /// A long-format (extension) identifier too short to hold its 7-digit namespace.
    #[error("SNOMED CT extension identifier is too short for its namespace")]
    ShortExtension,
    /// The identifier is valid but not a concept identifier where a concept was required.
    #[error("SNOMED CT identifier is a {found}, not a concept")]
    NotAConcept {
        /// The partition found.
        found: SnomedPartition,
    },
}

impl SnomedIdError {
    /// A short stable code for the rule broken.
    ///
    /// ```
    /// use carecoord::ids::SnomedIdError;
    /// assert_eq!(SnomedIdError::CheckDigitMismatch.code(), "check_digit_mismatch");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::WrongLength { .. } => "wrong_length",
            Self::LeadingZero => "leading_zero",
            Self::CheckDigitMismatch => "check_digit_mismatch",
            Self::ReservedPartition => "reserved_partition",
            Self::ShortExtension => "short_extension",
            Self::NotAConcept { .. } => "not_a_concept",
        }
    }
}

/// What kind of component an SCTID identifies (the partition's second digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SnomedPartition {
    /// A concept (partition `00` or `10`).
    Concept,
    /// A description (partition `01` or `11`).
    Description,
    /// A relationship (partition `02` or `12`).
    Relationship,
}

impl SnomedPartition {
    /// `concept`, `description` or `relationship`.
    ///
    /// ```
    /// use carecoord::ids::SnomedPartition;
    /// assert_eq!(SnomedPartition::Concept.as_str(), "concept");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Concept => "concept",
            Self::Description => "description",
            Self::Relationship => "relationship",
        }
    }
}

impl fmt::Display for SnomedPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A valid SNOMED CT identifier.
///
/// # Example
///
/// ```
/// use carecoord::ids::{SnomedId, SnomedIdError, SnomedPartition};
///
/// let id = SnomedId::parse("11000001102")?;
/// assert!(id.is_extension());
/// assert_eq!(id.namespace(), Some(1_000_001));
/// assert_eq!(id.partition(), SnomedPartition::Concept);
/// assert_eq!(SnomedId::parse("22298007"), Err(SnomedIdError::CheckDigitMismatch));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SnomedId(u64);

// Verhoeff tables (dihedral group D5 multiplication and position permutation).
const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// Verhoeff checksum over digit values, rightmost first; 0 means valid.
fn verhoeff(digits_rev: impl Iterator<Item = u8>) -> u8 {
    digits_rev.enumerate().fold(0u8, |c, (i, d)| {
        D[c as usize][P[i % 8][d as usize] as usize]
    })
}

impl SnomedId {
    /// The Verhoeff check digit that completes `body` (2229800 + 6 = 22298006).
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert_eq!(SnomedId::verhoeff_check_digit(2_229_800), 6);
    /// assert_eq!(SnomedId::verhoeff_check_digit(3_834_100), 3);
    /// ```
    pub fn verhoeff_check_digit(body: u64) -> u8 {
        let mut digits = [0u8; 20];
        let mut n = 0;
        let mut v = body;
        loop {
            digits[n] = (v % 10) as u8;
            n += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        // Positions shift by one because the check digit will occupy position 0.
        let c = digits[..n].iter().enumerate().fold(0u8, |c, (i, &d)| {
            D[c as usize][P[(i + 1) % 8][d as usize] as usize]
        });
        INV[c as usize]
    }

    /// Parse and validate an SCTID.
    ///
    /// # Errors
    ///
    /// [`SnomedIdError`]: empty, non-digit, length outside 6-18, leading zero, Verhoeff
    /// mismatch, reserved partition, or an extension identifier too short for its namespace.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert_eq!(SnomedId::parse("404684003")?.value(), 404_684_003);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(input: &str) -> Result<Self, SnomedIdError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(SnomedIdError::Empty);
        }
        if let Some(i) = s.bytes().position(|b| !b.is_ascii_digit()) {
            return Err(SnomedIdError::InvalidCharacter {
                position: s[..i].chars().count(),
            });
        }
        let b = s.as_bytes();
        if !(6..=18).contains(&b.len()) {
            return Err(SnomedIdError::WrongLength { digits: b.len() });
        }
        if b[0] == b'0' {
            return Err(SnomedIdError::LeadingZero);
        }
        if verhoeff(b.iter().rev().map(|&x| x - b'0')) != 0 {
            return Err(SnomedIdError::CheckDigitMismatch);
        }
        let n = b.len();
        let long = match (b[n - 3], b[n - 2]) {
            (b'0', b'0'..=b'2') => false,
            (b'1', b'0'..=b'2') => true,
            _ => return Err(SnomedIdError::ReservedPartition),
        };
        // Long format: item id (>= 1 digit) + 7-digit namespace + partition + check digit.
        if long && n < 11 {
            return Err(SnomedIdError::ShortExtension);
        }
        let value = b.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
        Ok(Self(value))
    }

    /// Validate an SCTID held as an integer (as in integer-typed columns).
    ///
    /// # Errors
    ///
    /// As [`SnomedId::parse`].
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert_eq!(SnomedId::from_u64(38_341_003)?.to_string(), "38341003");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_u64(value: u64) -> Result<Self, SnomedIdError> {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut v = value;
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        // Only ASCII digits were written.
        Self::parse(std::str::from_utf8(&buf[i..]).unwrap_or_default())
    }

    /// Parse an SCTID that must identify a concept (partition `00` or `10`), as coded
    /// entries require.
    ///
    /// # Errors
    ///
    /// As [`SnomedId::parse`], plus [`SnomedIdError::NotAConcept`].
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert!(SnomedId::parse_concept("73211009").is_ok());
    /// ```
    pub fn parse_concept(input: &str) -> Result<Self, SnomedIdError> {
        let id = Self::parse(input)?;
        match id.partition() {
            SnomedPartition::Concept => Ok(id),
            found => Err(SnomedIdError::NotAConcept { found }),
        }
    }

    /// Whether `input` is a valid SCTID.
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert!(SnomedId::is_valid("100005"));
    /// assert!(!SnomedId::is_valid("22298007"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        Self::parse(input).is_ok()
    }

    /// The identifier as an integer.
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert_eq!(SnomedId::parse("763264000")?.value(), 763_264_000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn value(&self) -> u64 {
        self.0
    }

    fn partition_digits(&self) -> (u64, u64) {
        ((self.0 / 100) % 10, (self.0 / 10) % 10)
    }

    /// The component kind from the partition identifier.
    ///
    /// ```
    /// use carecoord::ids::{SnomedId, SnomedPartition};
    /// assert_eq!(SnomedId::parse("38341003")?.partition(), SnomedPartition::Concept);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn partition(&self) -> SnomedPartition {
        match self.partition_digits().1 {
            0 => SnomedPartition::Concept,
            1 => SnomedPartition::Description,
            _ => SnomedPartition::Relationship,
        }
    }

    /// Whether this is a long-format (extension) identifier with a namespace.
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert!(!SnomedId::parse("22298006")?.is_extension());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_extension(&self) -> bool {
        self.partition_digits().0 == 1
    }

    /// The 7-digit namespace of an extension identifier, `None` for the International release.
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// assert_eq!(SnomedId::parse("11000001102")?.namespace(), Some(1_000_001));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn namespace(&self) -> Option<u32> {
        self.is_extension()
            .then_some(((self.0 / 1_000) % 10_000_000) as u32)
    }
}

impl FromStr for SnomedId {
    type Err = SnomedIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for SnomedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // DOMAIN.md 2.2 list (from the SNOMED CT release file specification examples).
    #[test]
    fn published_vectors() {
        for ok in [
            "22298006",
            "38341003",
            "73211009",
            "404684003",
            "763264000",
            "100005",
            "11000001102",
        ] {
            assert!(SnomedId::is_valid(ok), "{ok}");
        }
        assert_eq!(
            SnomedId::parse("22298007"),
            Err(SnomedIdError::CheckDigitMismatch)
        );
    }

    #[test]
    fn rules() {
        assert_eq!(
            SnomedId::parse("12345"),
            Err(SnomedIdError::WrongLength { digits: 5 })
        );
        assert_eq!(SnomedId::parse("0100005"), Err(SnomedIdError::LeadingZero));
        assert_eq!(
            SnomedId::parse("3834 1003"),
            Err(SnomedIdError::InvalidCharacter { position: 4 })
        );
        assert_eq!(SnomedId::parse(""), Err(SnomedIdError::Empty));
        // 1000 + partition 03 + check: body 10000 3 -> build with a valid check digit.
        let body = 100_003u64; // partition "03" (reserved)
        let id = format!("{body}{}", SnomedId::verhoeff_check_digit(body));
        assert_eq!(SnomedId::parse(&id), Err(SnomedIdError::ReservedPartition));
        // Partition 10 but only 9 digits: too short for a namespace.
        let body = 12_345_610u64;
        let id = format!("{body}{}", SnomedId::verhoeff_check_digit(body));
        assert_eq!(SnomedId::parse(&id), Err(SnomedIdError::ShortExtension));
        // A description id (partition 01) is not a concept.
        let body = 1_234_501u64;
        let id = format!("{body}{}", SnomedId::verhoeff_check_digit(body));
        assert_eq!(
            SnomedId::parse_concept(&id),
            Err(SnomedIdError::NotAConcept {
                found: SnomedPartition::Description
            })
        );
    }

    #[test]
    fn check_digits_of_published_vectors() {
        for v in [
            22_298_006u64,
            38_341_003,
            73_211_009,
            404_684_003,
            763_264_000,
        ] {
            assert_eq!(u64::from(SnomedId::verhoeff_check_digit(v / 10)), v % 10);
        }
    }

    proptest! {
        #[test]
        fn generated_check_digit_validates(body in 10_000u64..100_000_000_000_000_000) {
            let s = format!("{body}{}", SnomedId::verhoeff_check_digit(body));
            // Verhoeff is right; partition may still be reserved.
            match SnomedId::parse(&s) {
                Ok(id) => prop_assert_eq!(id.to_string(), s),
                Err(e) => prop_assert!(matches!(e, SnomedIdError::ReservedPartition | SnomedIdError::ShortExtension)),
            }
        }

        #[test]
        fn single_digit_change_detected(body in 10_000u64..100_000_000_000, pos in 0usize..6, delta in 1u8..10) {
            let s = format!("{body}{}", SnomedId::verhoeff_check_digit(body));
            let mut b = s.into_bytes();
            let i = b.len() - 1 - pos;
            b[i] = b'0' + (b[i] - b'0' + delta) % 10;
            let t = String::from_utf8(b).unwrap();
            // Verhoeff detects every single-digit substitution.
            prop_assert!(SnomedId::parse(&t).is_err());
        }
    }
}
