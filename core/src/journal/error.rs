//! Errors and warnings of the journal module.
//!
//! Messages name the record number, the byte offset and the rule broken. They never contain
//! an event's payload, its `who` or any other byte read from a record: payloads hold patient
//! data.

use std::fmt;
use std::io;

/// Why a journal could not be opened, read or appended to.
///
/// Every message names a byte offset and record number where one applies, never record
/// contents. [`JournalError::code`] gives a stable snake_case code for the bindings.
///
/// # Example
///
/// ```
/// use carecoord::journal::{Journal, JournalError};
///
/// let path = std::env::temp_dir().join(format!("cc-doc-err-{}.journal", std::process::id()));
/// std::fs::write(&path, "{\"format\":\"carecoord.journal\",\"version\":9}\n")?;
/// let err = Journal::<String>::read(&path).unwrap_err();
/// assert_eq!(err, JournalError::UnsupportedVersion { found: 9 });
/// assert_eq!(err.code(), "unsupported_version");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// The operating system refused a read, write, sync or open.
    #[error("journal {operation} failed: {reason}")]
    Io {
        /// What was being done: `open`, `create`, `read`, `append`, `sync`, `sync directory`,
        /// `truncate`.
        operation: &'static str,
        /// The kind of I/O error.
        kind: io::ErrorKind,
        /// The operating system's message (never contains file contents).
        reason: String,
    },
    /// The file does not start with a `carecoord.journal` header line.
    #[error("not a carecoord journal: {reason}")]
    NotAJournal {
        /// What is wrong with the first line.
        reason: &'static str,
    },
    /// The file holds only part of a header line: a crash while the journal was being
    /// created. [`OpenOptions::repair_torn_tail`](super::OpenOptions::repair_torn_tail)
    /// rewrites it.
    #[error("journal header is incomplete ({len} bytes): the journal was not fully created")]
    TornHeader {
        /// Length of the file in bytes.
        len: u64,
    },
    /// The header names a format version this library does not read.
    #[error("journal format version {found} is not supported (this library reads version 1)")]
    UnsupportedVersion {
        /// The version in the header.
        found: u64,
    },
    /// The header's schema label is not the one the caller expects.
    #[error("journal schema is `{found}`, expected `{expected}`")]
    SchemaMismatch {
        /// The label the caller asked for.
        expected: String,
        /// The label in the header.
        found: String,
    },
    /// A record that is not the torn tail of the file cannot be read: the journal is
    /// damaged. Nothing after it is read; [`Journal::read_salvage`](super::Journal::read_salvage)
    /// returns the events before it and the position of every line after it.
    #[error(
        "record {record} at byte {offset}: {reason} \
         ({records_after} complete records follow it and were not read)"
    )]
    Corrupt {
        /// One-based number of the record (the sequence number it should carry).
        record: u64,
        /// Byte offset of the start of the record's line in the file.
        offset: u64,
        /// What is wrong with it.
        reason: CorruptReason,
        /// How many complete (newline-terminated) lines follow it.
        records_after: u64,
    },
    /// The journal ends with a torn record and the writer was not asked to repair it.
    #[error(
        "record {record} at byte {offset} is torn ({len} bytes to the end of the file); \
         open with repair_torn_tail to truncate it"
    )]
    TornTail {
        /// One-based number the torn record would have had.
        record: u64,
        /// Byte offset where the torn record starts (the length the file is repaired to).
        offset: u64,
        /// Number of bytes from `offset` to the end of the file.
        len: u64,
    },
    /// An event given to [`Journal::append`](super::Journal::append) or
    /// [`Journal::append_batch`](super::Journal::append_batch) cannot be recorded; nothing of
    /// the batch was written.
    #[error("event {index} of the batch: field `{field}`: {reason}")]
    InvalidEvent {
        /// Zero-based position of the event in the batch (0 for a single append).
        index: usize,
        /// The envelope field at fault: `who`, `at` or `event`.
        field: &'static str,
        /// The rule broken.
        reason: &'static str,
    },
    /// An earlier append failed while writing or syncing, so what is on disk is unknown.
    /// Drop this writer and open the journal again, which recovers the file.
    #[error("an earlier append failed; reopen the journal to recover it")]
    Poisoned,
}

impl JournalError {
    /// A stable snake_case code for this error, one per variant.
    ///
    /// # Errors
    ///
    /// None: this only reads the error.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::JournalError;
    ///
    /// assert_eq!(JournalError::Poisoned.code(), "poisoned");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "io",
            Self::NotAJournal { .. } => "not_a_journal",
            Self::TornHeader { .. } => "torn_header",
            Self::UnsupportedVersion { .. } => "unsupported_version",
            Self::SchemaMismatch { .. } => "schema_mismatch",
            Self::Corrupt { .. } => "corrupt_record",
            Self::TornTail { .. } => "torn_tail",
            Self::InvalidEvent { .. } => "invalid_event",
            Self::Poisoned => "poisoned",
        }
    }

    /// The byte offset in the file the error refers to, if any.
    ///
    /// # Errors
    ///
    /// None: this only reads the error.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::JournalError;
    ///
    /// let e = JournalError::TornTail { record: 4, offset: 310, len: 17 };
    /// assert_eq!(e.offset(), Some(310));
    /// assert_eq!(JournalError::Poisoned.offset(), None);
    /// ```
    pub fn offset(&self) -> Option<u64> {
        match self {
            Self::Corrupt { offset, .. } | Self::TornTail { offset, .. } => Some(*offset),
            Self::TornHeader { .. } => Some(0),
            _ => None,
        }
    }

    pub(crate) fn io(operation: &'static str, err: &io::Error) -> Self {
        Self::Io {
            operation,
            kind: err.kind(),
            reason: err.to_string(),
        }
    }
}

/// What is wrong with a damaged record.
///
/// `Checksum`, `Framing` and `TooLong` are what a crash mid-append leaves behind, so on the
/// last line of a file they are reported as a torn tail ([`Warning::TornTail`]) rather than an
/// error. The others cannot come from a torn write (the checksum matched) and are always
/// errors.
///
/// # Example
///
/// ```
/// use carecoord::journal::CorruptReason;
///
/// let r = CorruptReason::SequenceGap { expected: 3, found: 5 };
/// assert_eq!(r.code(), "sequence_gap");
/// assert_eq!(r.to_string(), "sequence number 5 where 3 was expected (gap)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorruptReason {
    /// The CRC-32 stored in the record does not match its bytes.
    Checksum,
    /// The line does not end with a well-formed `,"crc":"xxxxxxxx"}` field.
    Framing,
    /// The line is longer than [`MAX_RECORD_LEN`](super::MAX_RECORD_LEN).
    TooLong,
    /// The checksum matched but a field could not be decoded (for `event`: the payload does
    /// not match the event type the journal is read as).
    Decode {
        /// The field being decoded: `seq`, `at`, `who`, `event`, or `record` for the line as a
        /// whole.
        field: &'static str,
        /// One-based column in the line where decoding stopped.
        column: usize,
    },
    /// The sequence number skips ahead.
    SequenceGap {
        /// The number the record should carry.
        expected: u64,
        /// The number it carries.
        found: u64,
    },
    /// The sequence number repeats or goes back.
    SequenceRepeat {
        /// The number the record should carry.
        expected: u64,
        /// The number it carries.
        found: u64,
    },
}

impl CorruptReason {
    /// A stable snake_case code for this reason.
    ///
    /// # Errors
    ///
    /// None: this only reads the reason.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::CorruptReason;
    ///
    /// assert_eq!(CorruptReason::Checksum.code(), "checksum");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Checksum => "checksum",
            Self::Framing => "framing",
            Self::TooLong => "too_long",
            Self::Decode { .. } => "decode",
            Self::SequenceGap { .. } => "sequence_gap",
            Self::SequenceRepeat { .. } => "sequence_repeat",
        }
    }

    /// Whether a crash mid-append can produce this damage (and so a torn tail).
    pub(crate) fn may_be_torn(&self) -> bool {
        matches!(self, Self::Checksum | Self::Framing | Self::TooLong)
    }
}

impl fmt::Display for CorruptReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Checksum => f.write_str("checksum mismatch"),
            Self::Framing => f.write_str("line does not end with a well-formed checksum field"),
            Self::TooLong => write!(
                f,
                "line is longer than the {} byte limit",
                super::MAX_RECORD_LEN
            ),
            Self::Decode { field, column } => {
                write!(f, "field `{field}` could not be decoded (column {column})")
            }
            Self::SequenceGap { expected, found } => {
                write!(
                    f,
                    "sequence number {found} where {expected} was expected (gap)"
                )
            }
            Self::SequenceRepeat { expected, found } => write!(
                f,
                "sequence number {found} where {expected} was expected (repeat)"
            ),
        }
    }
}

/// Something recovery noticed and worked around, returned next to the events.
///
/// A warning never carries record contents, only where the damage is.
///
/// # Example
///
/// ```
/// use carecoord::journal::Warning;
///
/// let w = Warning::TornTail { record: 7, offset: 1024, len: 33, repaired: false };
/// assert_eq!(w.offset(), 1024);
/// assert_eq!(w.code(), "torn_tail");
/// assert_eq!(
///     w.to_string(),
///     "record 7 at byte 1024 is torn (33 bytes to the end of the file) and was ignored"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warning {
    /// The last record was cut short by a crash (incomplete line, or a damaged final line with
    /// no complete line after it). It was never acknowledged as durable, so the events before
    /// it are the whole journal.
    TornTail {
        /// One-based number the torn record would have had.
        record: u64,
        /// Byte offset where it starts.
        offset: u64,
        /// Bytes from `offset` to the end of the file that were ignored.
        len: u64,
        /// Whether the writer truncated the file at `offset`
        /// ([`OpenOptions::repair_torn_tail`](super::OpenOptions::repair_torn_tail)).
        repaired: bool,
    },
    /// The writer found only part of a header (a crash during creation) and, as asked,
    /// wrote the header again. The journal had no events.
    TornHeader {
        /// Length of the partial header in bytes.
        len: u64,
    },
}

impl Warning {
    /// The byte offset where the damage starts.
    ///
    /// # Errors
    ///
    /// None: this only reads the warning.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Warning;
    ///
    /// assert_eq!(Warning::TornHeader { len: 12 }.offset(), 0);
    /// ```
    pub fn offset(&self) -> u64 {
        match self {
            Self::TornTail { offset, .. } => *offset,
            Self::TornHeader { .. } => 0,
        }
    }

    /// A stable snake_case code for this warning.
    ///
    /// # Errors
    ///
    /// None: this only reads the warning.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Warning;
    ///
    /// assert_eq!(Warning::TornHeader { len: 12 }.code(), "torn_header");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::TornTail { .. } => "torn_tail",
            Self::TornHeader { .. } => "torn_header",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TornTail {
                record,
                offset,
                len,
                repaired,
            } => write!(
                f,
                "record {record} at byte {offset} is torn ({len} bytes to the end of the file) \
                 and was {}",
                if *repaired { "truncated" } else { "ignored" }
            ),
            Self::TornHeader { len } => write!(
                f,
                "the journal header was incomplete ({len} bytes) and was written again"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_distinct() {
        let all = [
            JournalError::Io {
                operation: "read",
                kind: io::ErrorKind::Other,
                reason: String::new(),
            },
            JournalError::NotAJournal { reason: "x" },
            JournalError::TornHeader { len: 0 },
            JournalError::UnsupportedVersion { found: 2 },
            JournalError::SchemaMismatch {
                expected: String::new(),
                found: String::new(),
            },
            JournalError::Corrupt {
                record: 1,
                offset: 1,
                reason: CorruptReason::Checksum,
                records_after: 0,
            },
            JournalError::TornTail {
                record: 1,
                offset: 1,
                len: 1,
            },
            JournalError::InvalidEvent {
                index: 0,
                field: "who",
                reason: "x",
            },
            JournalError::Poisoned,
        ];
        let mut codes: Vec<_> = all.iter().map(JournalError::code).collect();
        assert!(codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
