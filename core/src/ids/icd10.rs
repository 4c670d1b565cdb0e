//! ICD-10 code cleaning: case, white space, dots and dagger/asterisk marks.

use std::fmt;
use std::str::FromStr;

/// Why a string is not a well-formed ICD-10 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Icd10Error {
    /// The input was empty or only white space and marks.
    #[error("ICD-10 code is empty")]
    Empty,
    /// A character that has no place in an ICD-10 code.
    #[error("ICD-10 code has an invalid character at position {position}")]
    InvalidCharacter {
        /// Zero-based character position in the trimmed input.
        position: usize,
    },
    /// A dot anywhere but after the third character, or more than one dot.
    #[error("ICD-10 code has a misplaced dot")]
    MisplacedDot,
    /// Fewer than three characters once cleaned.
    #[error("ICD-10 code is too short ({len} characters; at least 3)")]
    TooShort {
        /// Cleaned length.
        len: usize,
    },
    /// More than seven characters once cleaned.
    #[error("ICD-10 code is too long ({len} characters; at most 7)")]
    TooLong {
        /// Cleaned length.
        len: usize,
    },
    /// The category is not a letter followed by two characters of which the first is a digit.
    #[error("ICD-10 code must start with a letter and a digit")]
    BadCategory,
}

impl Icd10Error {
    /// A short stable code for the rule broken.
    ///
    /// ```
    /// use carecoord::ids::Icd10Error;
    /// assert_eq!(Icd10Error::MisplacedDot.code(), "misplaced_dot");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::MisplacedDot => "misplaced_dot",
            Self::TooShort { .. } => "too_short",
            Self::TooLong { .. } => "too_long",
            Self::BadCategory => "bad_category",
        }
    }
}

/// A cleaned ICD-10 code: upper case, no dot, no dagger or asterisk mark (`I214`).
///
/// Accepts WHO ICD-10 and the common national forms: the English fourth-character filler `X`
/// (`I10X`), fifth characters, and ICD-10-CM's letters in the third (`C4A`) and later places.
///
/// # Example
///
/// ```
/// use carecoord::ids::{Icd10Code, Icd10Error};
///
/// assert_eq!(Icd10Code::parse("i21.4")?.as_str(), "I214");
/// assert_eq!(Icd10Code::parse("A17.0†")?.as_str(), "A170");
/// assert_eq!(Icd10Code::parse("G01*")?.as_str(), "G01");
/// assert_eq!(Icd10Code::parse("I2.14"), Err(Icd10Error::MisplacedDot));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Icd10Code {
    bytes: [u8; 7],
    len: u8,
}

/// Trailing marks dropped before cleaning: dagger, asterisk, `+` (dagger in some exports)
/// and `!` (ICD-10-GM secondary codes).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{2020}' | '*' | '+' | '!')
}

impl Icd10Code {
    /// Clean and check a code.
    ///
    /// # Errors
    ///
    /// [`Icd10Error`] naming the rule broken.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::ids::Icd10Code;
    /// assert_eq!(Icd10Code::parse(" e11.9 ")?.as_str(), "E119");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(input: &str) -> Result<Self, Icd10Error> {
        let s = input.trim().trim_end_matches(is_mark).trim_end();
        if s.is_empty() {
            return Err(Icd10Error::Empty);
        }
        let mut bytes = [0u8; 7];
        let mut len = 0usize;
        let mut dot_seen = false;
        for (pos, c) in s.chars().enumerate() {
            match c {
                '.' => {
                    if dot_seen || len != 3 {
                        return Err(Icd10Error::MisplacedDot);
                    }
                    dot_seen = true;
                }
                c if c.is_ascii_alphanumeric() => {
                    if len < 7 {
                        bytes[len] = c.to_ascii_uppercase() as u8;
                    }
                    len += 1;
                }
                _ => return Err(Icd10Error::InvalidCharacter { position: pos }),
            }
        }
        if len < 3 {
            return Err(Icd10Error::TooShort { len });
        }
        if len > 7 {
            return Err(Icd10Error::TooLong { len });
        }
        if !bytes[0].is_ascii_uppercase() || !bytes[1].is_ascii_digit() {
            return Err(Icd10Error::BadCategory);
        }
        Ok(Self {
            bytes,
            len: len as u8,
        })
    }

    /// The cleaned code.
    ///
    /// ```
    /// use carecoord::ids::Icd10Code;
    /// assert_eq!(Icd10Code::parse("I10X")?.as_str(), "I10X");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        // Only ASCII alphanumerics are ever stored.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }

    /// The three-character category (`I21` for `I214`).
    ///
    /// ```
    /// use carecoord::ids::Icd10Code;
    /// assert_eq!(Icd10Code::parse("I21.4")?.category(), "I21");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn category(&self) -> &str {
        &self.as_str()[..3]
    }

    /// The code with its dot restored (`I21.4`), as printed in the classification.
    ///
    /// ```
    /// use carecoord::ids::Icd10Code;
    /// assert_eq!(Icd10Code::parse("i214")?.dotted(), "I21.4");
    /// assert_eq!(Icd10Code::parse("I10")?.dotted(), "I10");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dotted(&self) -> String {
        let s = self.as_str();
        if s.len() > 3 {
            format!("{}.{}", &s[..3], &s[3..])
        } else {
            s.to_owned()
        }
    }
}

impl FromStr for Icd10Code {
    type Err = Icd10Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Icd10Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Icd10Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Icd10Code({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cleaning_table() {
        // input, expected (hand-written from the rules in risk/SOURCES.md section 0)
        let cases = [
            ("I21.4", "I214"),
            ("i214", "I214"),
            ("  k74.6 ", "K746"),
            ("A17.0\u{2020}", "A170"),
            ("G01*", "G01"),
            ("M14.6*", "M146"),
            ("W19X", "W19X"),
            ("I10X", "I10X"),
            ("C4A.1", "C4A1"),
            ("S72.001A", "S72001A"),
            ("B20+", "B20"),
        ];
        for (input, want) in cases {
            assert_eq!(Icd10Code::parse(input).unwrap().as_str(), want, "{input}");
        }
    }

    #[test]
    fn rejects() {
        assert_eq!(Icd10Code::parse(""), Err(Icd10Error::Empty));
        assert_eq!(Icd10Code::parse(" † "), Err(Icd10Error::Empty));
        assert_eq!(Icd10Code::parse("I2"), Err(Icd10Error::TooShort { len: 2 }));
        assert_eq!(
            Icd10Code::parse("S72.001AB"),
            Err(Icd10Error::TooLong { len: 8 })
        );
        assert_eq!(Icd10Code::parse("121"), Err(Icd10Error::BadCategory));
        assert_eq!(Icd10Code::parse("IA1"), Err(Icd10Error::BadCategory));
        assert_eq!(Icd10Code::parse("I21..4"), Err(Icd10Error::MisplacedDot));
        assert_eq!(
            Icd10Code::parse("I21-I22"),
            Err(Icd10Error::InvalidCharacter { position: 3 })
        );
        assert_eq!(
            Icd10Code::parse("I2 1"),
            Err(Icd10Error::InvalidCharacter { position: 2 })
        );
    }

    proptest! {
        #[test]
        fn cleaning_is_idempotent(s in "[A-Za-z][0-9][0-9A-Za-z](\\.[0-9A-Za-z]{1,4})?[*†]?") {
            let once = Icd10Code::parse(&s).unwrap();
            prop_assert_eq!(Icd10Code::parse(once.as_str()).unwrap(), once);
            prop_assert_eq!(Icd10Code::parse(&once.dotted()).unwrap(), once);
        }

        #[test]
        fn never_panics(s in "\\PC{0,12}") {
            let _ = Icd10Code::parse(&s);
        }
    }
}
