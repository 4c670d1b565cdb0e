//! NHS number: parsing, modulus 11 validation, ranges and masking (DOMAIN.md 2.1).

use std::fmt;
use std::str::FromStr;

/// Why a string is not a valid NHS number. Messages name the rule, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NhsNumberError {
    /// The input was empty or only white space.
    #[error("NHS number is empty")]
    Empty,
    /// A character other than a digit, or a separator in the wrong place.
    #[error("NHS number has an invalid character at position {position}")]
    InvalidCharacter {
        /// Zero-based character position in the trimmed input.
        position: usize,
    },
    /// Separators were used but not in the `3 3 4` grouping (`943 476 5919`).
    #[error("NHS number separators must group the digits 3-3-4")]
    BadGrouping,
    /// The number does not have exactly ten digits.
    #[error("NHS number must have 10 digits, found {digits}")]
    WrongLength {
        /// How many digits were found.
        digits: usize,
    },
    /// All ten digits are the same (these pass the checksum but are never issued).
    #[error("NHS number has all digits the same")]
    AllSameDigit,
    /// The modulus 11 check digit works out as 10, so no valid number has these first 9 digits.
    #[error("NHS number check digit would be 10 (no valid number has these first nine digits)")]
    CheckDigitTen,
    /// The tenth digit does not match the modulus 11 check digit.
    #[error("NHS number check digit mismatch")]
    CheckDigitMismatch,
    /// The number is valid but outside the ranges the caller allowed.
    #[error("NHS number is outside the allowed ranges (it is in the {found} range)")]
    RangeNotAllowed {
        /// The range the number is in.
        found: NhsNumberRange,
    },
}

impl NhsNumberError {
    /// A short stable code for the rule broken, used in reject tables and bindings.
    ///
    /// ```
    /// use carecoord::ids::NhsNumberError;
    /// assert_eq!(NhsNumberError::CheckDigitMismatch.code(), "check_digit_mismatch");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::BadGrouping => "bad_grouping",
            Self::WrongLength { .. } => "wrong_length",
            Self::AllSameDigit => "all_same_digit",
            Self::CheckDigitTen => "check_digit_ten",
            Self::CheckDigitMismatch => "check_digit_mismatch",
            Self::RangeNotAllowed { .. } => "range_not_allowed",
        }
    }
}

/// Which allocation range an NHS number falls in (as in the PyPI package `nhs-number`).
///
/// Ranges are information: validation never rejects on range unless the caller asks with
/// [`NhsNumber::require_range`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NhsNumberRange {
    /// Scottish CHI numbers, 010 000 0000 to 311 299 9999.
    ScottishChi,
    /// Northern Ireland H&C numbers, 320 000 0000 to 399 999 9999.
    NorthernIreland,
    /// England, Wales and Isle of Man, 400 000 0000 to 499 999 9999 and 600 000 0000 to 799 999 9999.
    EnglandWalesIsleOfMan,
    /// Never issued to patients: reserved for synthetic and test records, 900 000 0000 upwards.
    Test,
    /// Not in any allocated range.
    Unallocated,
}

impl NhsNumberRange {
    /// The range of a ten-digit value.
    ///
    /// ```
    /// use carecoord::ids::NhsNumberRange;
    /// assert_eq!(NhsNumberRange::of(9_434_765_919), NhsNumberRange::Test);
    /// assert_eq!(NhsNumberRange::of(4_000_000_632), NhsNumberRange::EnglandWalesIsleOfMan);
    /// ```
    pub fn of(value: u64) -> Self {
        match value {
            100_000_000..=3_112_999_999 => Self::ScottishChi,
            3_200_000_000..=3_999_999_999 => Self::NorthernIreland,
            4_000_000_000..=4_999_999_999 | 6_000_000_000..=7_999_999_999 => {
                Self::EnglandWalesIsleOfMan
            }
            9_000_000_000..=9_999_999_999 => Self::Test,
            _ => Self::Unallocated,
        }
    }

    /// A short stable name (`scottish_chi`, `northern_ireland`, `england_wales_iom`, `test`,
    /// `unallocated`).
    ///
    /// ```
    /// use carecoord::ids::NhsNumberRange;
    /// assert_eq!(NhsNumberRange::Test.as_str(), "test");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ScottishChi => "scottish_chi",
            Self::NorthernIreland => "northern_ireland",
            Self::EnglandWalesIsleOfMan => "england_wales_iom",
            Self::Test => "test",
            Self::Unallocated => "unallocated",
        }
    }
}

impl fmt::Display for NhsNumberRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A valid NHS number (ten digits, modulus 11 check digit, not all digits the same).
///
/// `Debug` and `Display` print it masked (`***-***-5919`); [`NhsNumber::as_str`] gives the
/// canonical ten digits when the caller really needs them.
///
/// # Example
///
/// ```
/// use carecoord::ids::{NhsNumber, NhsNumberError};
///
/// let n = NhsNumber::parse("943 476 5919")?;
/// assert_eq!(n.as_str(), "9434765919");
/// assert_eq!(n.to_string(), "***-***-5919");
/// assert_eq!(NhsNumber::parse("9434765918"), Err(NhsNumberError::CheckDigitMismatch));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NhsNumber([u8; 10]);

const WEIGHTS: [u32; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];

/// The modulus 11 check digit of nine digit values (0-9 each), or `None` when it would be 10.
#[inline]
fn check_digit(first9: &[u8; 9]) -> Option<u8> {
    let sum: u32 = first9
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        c => Some(c as u8),
    }
}

/// Validate ten digit values (0-9 each).
#[inline]
fn validate_digits(d: &[u8; 10]) -> Result<(), NhsNumberError> {
    if d.iter().all(|&x| x == d[0]) {
        return Err(NhsNumberError::AllSameDigit);
    }
    let mut first9 = [0u8; 9];
    first9.copy_from_slice(&d[..9]);
    match check_digit(&first9) {
        None => Err(NhsNumberError::CheckDigitTen),
        Some(c) if c == d[9] => Ok(()),
        Some(_) => Err(NhsNumberError::CheckDigitMismatch),
    }
}

/// Extract the ten digit values from `943 476 5919`, `943-476-5919` or `9434765919`
/// (surrounding white space ignored).
#[inline]
fn digits_of(input: &str) -> Result<[u8; 10], NhsNumberError> {
    let s = input.trim().as_bytes();
    if s.is_empty() {
        return Err(NhsNumberError::Empty);
    }
    let mut out = [0u8; 10];
    if s.len() == 10 && s.iter().all(u8::is_ascii_digit) {
        for (o, &b) in out.iter_mut().zip(s) {
            *o = b - b'0';
        }
        return Ok(out);
    }
    let mut n = 0usize;
    let mut sep: Option<u8> = None;
    let mut sep_positions = [0usize; 2];
    let mut seps = 0usize;
    for (i, &b) in s.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                if n < 10 {
                    out[n] = b - b'0';
                }
                n += 1;
            }
            b' ' | b'-' => {
                if sep.is_some_and(|c| c != b) || seps == 2 {
                    return Err(NhsNumberError::BadGrouping);
                }
                sep = Some(b);
                sep_positions[seps] = n;
                seps += 1;
            }
            _ => {
                // Report a character position, not a byte offset.
                let position = input.trim()[..i].chars().count();
                return Err(NhsNumberError::InvalidCharacter { position });
            }
        }
    }
    if n != 10 {
        return Err(NhsNumberError::WrongLength { digits: n });
    }
    if seps != 0 && (seps != 2 || sep_positions != [3, 6]) {
        return Err(NhsNumberError::BadGrouping);
    }
    Ok(out)
}

impl NhsNumber {
    /// Parse and validate an NHS number given as `9434765919`, `943 476 5919` or `943-476-5919`.
    ///
    /// # Errors
    ///
    /// [`NhsNumberError`] naming the rule broken: empty, invalid character, bad grouping, wrong
    /// length, all digits the same, check digit 10, or check digit mismatch.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::ids::{NhsNumber, NhsNumberError};
    /// assert!(NhsNumber::parse("987-654-3210").is_ok());
    /// assert_eq!(NhsNumber::parse("1234567890"), Err(NhsNumberError::CheckDigitTen));
    /// assert_eq!(NhsNumber::parse("1111111111"), Err(NhsNumberError::AllSameDigit));
    /// ```
    pub fn parse(input: &str) -> Result<Self, NhsNumberError> {
        let d = digits_of(input)?;
        validate_digits(&d)?;
        Ok(Self(d.map(|x| x + b'0')))
    }

    /// Whether `input` is a valid NHS number in any accepted layout.
    ///
    /// ```
    /// use carecoord::ids::NhsNumber;
    /// assert!(NhsNumber::is_valid("4000000632"));
    /// assert!(!NhsNumber::is_valid("0000000000"));
    /// ```
    #[inline]
    pub fn is_valid(input: &str) -> bool {
        Self::check(input).is_ok()
    }

    /// Validate without building a value.
    ///
    /// # Errors
    ///
    /// As [`NhsNumber::parse`].
    ///
    /// ```
    /// use carecoord::ids::{NhsNumber, NhsNumberError};
    /// assert_eq!(NhsNumber::check("94347659"), Err(NhsNumberError::WrongLength { digits: 8 }));
    /// ```
    #[inline]
    pub fn check(input: &str) -> Result<(), NhsNumberError> {
        validate_digits(&digits_of(input)?)
    }

    /// Build a valid NHS number from an integer (leading zeros restored, as for CHI numbers
    /// held in integer columns).
    ///
    /// # Errors
    ///
    /// `WrongLength` when the value has more than ten digits, otherwise as [`NhsNumber::parse`].
    ///
    /// ```
    /// use carecoord::ids::NhsNumber;
    /// assert_eq!(NhsNumber::from_u64(9_434_765_919)?.as_str(), "9434765919");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_u64(value: u64) -> Result<Self, NhsNumberError> {
        if value > 9_999_999_999 {
            let digits = value.checked_ilog10().map_or(1, |l| l as usize + 1);
            return Err(NhsNumberError::WrongLength { digits });
        }
        let mut d = [0u8; 10];
        let mut v = value;
        for slot in d.iter_mut().rev() {
            *slot = (v % 10) as u8;
            v /= 10;
        }
        validate_digits(&d)?;
        Ok(Self(d.map(|x| x + b'0')))
    }

    /// Complete nine leading digits (`0..=999_999_999`, leading zeros implied) with their
    /// check digit. Used to generate synthetic numbers.
    ///
    /// # Errors
    ///
    /// `CheckDigitTen` when no valid number starts with these digits, `AllSameDigit` for
    /// e.g. `111111111`, `WrongLength` when `first_nine` has more than nine digits.
    ///
    /// ```
    /// use carecoord::ids::NhsNumber;
    /// assert_eq!(NhsNumber::with_check_digit(943_476_591)?.as_str(), "9434765919");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_check_digit(first_nine: u64) -> Result<Self, NhsNumberError> {
        if first_nine > 999_999_999 {
            let digits = first_nine.checked_ilog10().map_or(1, |l| l as usize + 1) + 1;
            return Err(NhsNumberError::WrongLength { digits });
        }
        let mut f = [0u8; 9];
        let mut v = first_nine;
        for slot in f.iter_mut().rev() {
            *slot = (v % 10) as u8;
            v /= 10;
        }
        let c = check_digit(&f).ok_or(NhsNumberError::CheckDigitTen)?;
        let mut d = [0u8; 10];
        d[..9].copy_from_slice(&f);
        d[9] = c;
        validate_digits(&d)?;
        Ok(Self(d.map(|x| x + b'0')))
    }

    /// The canonical ten-digit form (no spaces). This is the only way to see the full number.
    ///
    /// ```
    /// use carecoord::ids::NhsNumber;
    /// assert_eq!(NhsNumber::parse("943 476 5919")?.as_str(), "9434765919");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        // The bytes are always ASCII digits, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The spaced `3 3 4` form used on letters and screens (`943 476 5919`).
    ///
    /// ```
    /// use carecoord::ids::NhsNumber;
    /// assert_eq!(NhsNumber::parse("9434765919")?.to_spaced(), "943 476 5919");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_spaced(&self) -> String {
        let s = self.as_str();
        format!("{} {} {}", &s[..3], &s[3..6], &s[6..])
    }

    /// The number as an integer.
    ///
    /// ```
    /// use carecoord::ids::NhsNumber;
    /// assert_eq!(NhsNumber::parse("4000000632")?.to_u64(), 4_000_000_632);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_u64(&self) -> u64 {
        self.0
            .iter()
            .fold(0u64, |acc, &b| acc * 10 + u64::from(b - b'0'))
    }

    /// The allocation range the number is in (information only).
    ///
    /// ```
    /// use carecoord::ids::{NhsNumber, NhsNumberRange};
    /// assert_eq!(NhsNumber::parse("9434765919")?.range(), NhsNumberRange::Test);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn range(&self) -> NhsNumberRange {
        NhsNumberRange::of(self.to_u64())
    }

    /// Opt-in range check: keep the number only if it is in one of `allowed`.
    ///
    /// # Errors
    ///
    /// [`NhsNumberError::RangeNotAllowed`] naming the range found.
    ///
    /// ```
    /// use carecoord::ids::{NhsNumber, NhsNumberRange};
    /// let n = NhsNumber::parse("9434765919")?;
    /// assert!(n.require_range(&[NhsNumberRange::Test]).is_ok());
    /// assert!(n.require_range(&[NhsNumberRange::EnglandWalesIsleOfMan]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn require_range(self, allowed: &[NhsNumberRange]) -> Result<Self, NhsNumberError> {
        let found = self.range();
        if allowed.contains(&found) {
            Ok(self)
        } else {
            Err(NhsNumberError::RangeNotAllowed { found })
        }
    }

    /// The masked form shown by `Debug` and `Display`: `***-***-5919`.
    ///
    /// ```
    /// use carecoord::ids::NhsNumber;
    /// assert_eq!(NhsNumber::parse("9434765919")?.masked(), "***-***-5919");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn masked(&self) -> String {
        format!("***-***-{}", &self.as_str()[6..])
    }
}

impl FromStr for NhsNumber {
    type Err = NhsNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Debug for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NhsNumber({})", self.masked())
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Test vectors from DOMAIN.md 2.1 (sums worked by hand there: 9434765919 -> 299).
    #[test]
    fn published_vectors() {
        for ok in ["9434765919", "9876543210", "4000000632"] {
            assert!(NhsNumber::is_valid(ok), "{ok}");
        }
        assert_eq!(
            NhsNumber::check("9434765918"),
            Err(NhsNumberError::CheckDigitMismatch)
        );
        assert_eq!(
            NhsNumber::check("1234567890"),
            Err(NhsNumberError::CheckDigitTen)
        );
        assert_eq!(
            NhsNumber::check("0000000000"),
            Err(NhsNumberError::AllSameDigit)
        );
        assert_eq!(
            NhsNumber::check("1111111111"),
            Err(NhsNumberError::AllSameDigit)
        );
    }

    #[test]
    fn layouts() {
        for s in [
            "943 476 5919",
            "943-476-5919",
            "9434765919",
            "  9434765919\t",
        ] {
            assert_eq!(NhsNumber::parse(s).unwrap().as_str(), "9434765919", "{s}");
        }
        assert_eq!(
            NhsNumber::check("94 34765919"),
            Err(NhsNumberError::BadGrouping)
        );
        assert_eq!(
            NhsNumber::check("943 476-5919"),
            Err(NhsNumberError::BadGrouping)
        );
        assert_eq!(
            NhsNumber::check("943  476 5919"),
            Err(NhsNumberError::BadGrouping)
        );
        assert_eq!(
            NhsNumber::check("943476591X"),
            Err(NhsNumberError::InvalidCharacter { position: 9 })
        );
        assert_eq!(
            NhsNumber::check("é434765919"),
            Err(NhsNumberError::InvalidCharacter { position: 0 })
        );
        assert_eq!(
            NhsNumber::check("94347659190"),
            Err(NhsNumberError::WrongLength { digits: 11 })
        );
        assert_eq!(NhsNumber::check("   "), Err(NhsNumberError::Empty));
    }

    #[test]
    fn masking_never_shows_full_number() {
        let n = NhsNumber::parse("9434765919").unwrap();
        assert_eq!(format!("{n:?}"), "NhsNumber(***-***-5919)");
        assert_eq!(format!("{n}"), "***-***-5919");
        assert!(!format!("{n:?}{n}").contains("943476"));
        // Errors carry no digits at all.
        let e = NhsNumber::parse("9434765918").unwrap_err();
        assert!(!format!("{e}{e:?}").contains("943"));
    }

    #[test]
    fn ranges() {
        // Boundaries from DOMAIN.md 2.1.
        assert_eq!(NhsNumberRange::of(99_999_999), NhsNumberRange::Unallocated);
        assert_eq!(NhsNumberRange::of(100_000_000), NhsNumberRange::ScottishChi);
        assert_eq!(
            NhsNumberRange::of(3_112_999_999),
            NhsNumberRange::ScottishChi
        );
        assert_eq!(
            NhsNumberRange::of(3_113_000_000),
            NhsNumberRange::Unallocated
        );
        assert_eq!(
            NhsNumberRange::of(3_200_000_000),
            NhsNumberRange::NorthernIreland
        );
        assert_eq!(
            NhsNumberRange::of(5_000_000_000),
            NhsNumberRange::Unallocated
        );
        assert_eq!(
            NhsNumberRange::of(7_999_999_999),
            NhsNumberRange::EnglandWalesIsleOfMan
        );
        assert_eq!(
            NhsNumberRange::of(8_999_999_999),
            NhsNumberRange::Unallocated
        );
        assert_eq!(NhsNumberRange::of(9_000_000_000), NhsNumberRange::Test);
    }

    #[test]
    fn integers_restore_leading_zeros() {
        // 010 000 0000 + check: 0*10+1*9 = 9 -> 11 - 9 = 2 -> 0100000002 (hand-checked).
        let n = NhsNumber::with_check_digit(10_000_000).unwrap();
        assert_eq!(n.as_str(), "0100000002");
        assert_eq!(NhsNumber::from_u64(100_000_002).unwrap(), n);
        assert_eq!(n.range(), NhsNumberRange::ScottishChi);
        assert_eq!(
            NhsNumber::from_u64(10_000_000_000),
            Err(NhsNumberError::WrongLength { digits: 11 })
        );
    }

    proptest! {
        #[test]
        fn any_single_digit_change_fails(first in 0u64..=999_999_999, pos in 0usize..10, delta in 1u8..10) {
            if let Ok(n) = NhsNumber::with_check_digit(first) {
                let mut bytes = *n.as_str().as_bytes().first_chunk::<10>().unwrap();
                bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
                let s = std::str::from_utf8(&bytes).unwrap();
                // Modulus 11 with distinct weights detects every single-digit substitution.
                prop_assert!(!NhsNumber::is_valid(s));
            }
        }

        #[test]
        fn parse_after_format_round_trips(first in 0u64..=999_999_999) {
            if let Ok(n) = NhsNumber::with_check_digit(first) {
                prop_assert_eq!(NhsNumber::parse(&n.to_spaced()).unwrap(), n);
                prop_assert_eq!(NhsNumber::parse(n.as_str()).unwrap(), n);
                prop_assert_eq!(NhsNumber::from_u64(n.to_u64()).unwrap(), n);
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,16}") {
            let _ = NhsNumber::check(&s);
        }
    }
}
