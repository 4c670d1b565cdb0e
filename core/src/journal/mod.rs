//! A durable, append-only journal of events: the audit trail a model's state is folded from.
//!
//! Every change is an event with a sequence number, who made it and when. Events are appended
//! durably (written and synced before the call returns) to a file in the library's own
//! versioned format, and read back in order. A crash while appending leaves at most a *torn
//! tail*, which readers detect, ignore and report as a [`Warning`]; damage anywhere else is an
//! error naming the record and its byte offset, and nothing after it is dropped silently.
//!
//! ## Overview
//!
//! * [`Journal`]: the writer. [`Journal::create`], [`Journal::open`] (or [`OpenOptions`] to
//!   create if missing, require a schema label, or repair a torn tail), then
//!   [`Journal::append`] and [`Journal::append_batch`] (one sync per batch).
//! * [`Journal::read`] returns every event as an [`Envelope`]; [`Journal::replay`] folds them
//!   into a state in one pass without keeping them; [`Journal::read_salvage`] reads a damaged
//!   journal up to the damage and lists every line after it ([`Corruption`]).
//! * [`JournalReader`]: the streaming reader behind them, over a file or any `BufRead`.
//! * [`JournalError`] and [`Warning`]: typed, with byte offsets and record numbers, and never
//!   any event contents.
//!
//! The journal is generic over the event type `E` (`Serialize` to append, `DeserializeOwned`
//! to read); each event is stored as the JSON serde gives it.
//!
//! ## File format, version 1
//!
//! The complete specification is `docs/journal-format.md`. In short, the file is UTF-8 JSON
//! Lines: every line is one JSON object ending with `\n`.
//!
//! * Line 1, the header: `{"format":"carecoord.journal","version":1,"schema":"<label>"}`.
//!   `format` identifies the file, `version` the format version (a reader refuses any other
//!   with [`JournalError::UnsupportedVersion`]), `schema` is the application's label for its
//!   event type (may be empty).
//! * Then one line per event:
//!   `{"seq":<n>,"at":"<RFC 3339 UTC>","who":"<id>","event":<payload JSON>,"crc":"<8 hex>"}`.
//!   `seq` runs 1, 2, 3, ... without gaps. `at` is written with a `Z` offset and as many
//!   fractional digits as needed (0, 3, 6 or 9). `crc` is the CRC-32 (IEEE 802.3, as in zlib)
//!   of the line's bytes from the opening `{` up to, not including, `,"crc":`, as eight
//!   lowercase hexadecimal digits; `,"crc":"xxxxxxxx"}` is always the last 18 bytes before
//!   the newline. Writers emit the fields in this order; readers accept any order and ignore
//!   unknown fields.
//!
//! ## Recovery rules
//!
//! Records are checked in order: framing and checksum, then decoding, then the sequence
//! number. A record that fails is a **torn tail** when the failure is one a cut-short write
//! can cause (no newline, bad framing, checksum mismatch, over-long line) *and* no complete
//! line follows it; the events before it are returned with [`Warning::TornTail`]. Otherwise
//! it is **corruption**: [`JournalError::Corrupt`] with the record number and byte offset, or
//! with [`Journal::read_salvage`] the events before it and the offset of every line after it.
//! A writer refuses to open a journal with a torn tail unless asked to truncate it
//! ([`OpenOptions::repair_torn_tail`]), and never opens a corrupt one.
//!
//! ## Information governance
//!
//! Payloads hold patient data. No error, warning or `Debug` output of this module contains a
//! payload or a `who`: [`Envelope`]'s `Debug` shows only the sequence number and the instant,
//! and decoding errors name the field and column, never serde's message (which can quote the
//! value).
//!
//! ## Example
//!
//! ```
//! use carecoord::journal::Journal;
//! use chrono::{TimeZone, Utc};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
//! enum Event {
//!     Referred { referral: u32 },
//!     Closed { referral: u32 },
//! }
//!
//! let path = std::env::temp_dir().join(format!("cc-doc-journal-mod-{}.journal", std::process::id()));
//! # let _ = std::fs::remove_file(&path);
//! let at = Utc.with_ymd_and_hms(2026, 4, 1, 8, 30, 0).unwrap();
//! let mut journal = Journal::<Event>::create(&path)?;
//! journal.append("duty-nurse-3", at, &Event::Referred { referral: 17 })?;
//! journal.append("duty-nurse-3", at, &Event::Closed { referral: 17 })?;
//!
//! let open = Journal::<Event>::replay(&path, 0i32, |open, e| match e.event {
//!     Event::Referred { .. } => *open += 1,
//!     Event::Closed { .. } => *open -= 1,
//! })?;
//! assert_eq!((open.state, open.last_seq), (0, 2));
//! assert!(open.warnings.is_empty());
//! std::fs::remove_file(&path)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::{DateTime, Utc};

mod error;
mod reader;
mod record;
mod writer;

#[cfg(test)]
mod tests;

pub use error::{CorruptReason, JournalError, Warning};
pub use reader::{Corruption, JournalReader, RecordSpan, Recovered, Replayed, Salvaged};
pub use writer::{Journal, OpenOptions};

/// The `format` value of every journal header.
///
/// # Example
///
/// ```
/// assert_eq!(carecoord::journal::FORMAT_NAME, "carecoord.journal");
/// ```
pub const FORMAT_NAME: &str = "carecoord.journal";

/// The format version this library writes, and the only one it reads.
///
/// # Example
///
/// ```
/// assert_eq!(carecoord::journal::FORMAT_VERSION, 1);
/// ```
pub const FORMAT_VERSION: u32 = 1;

/// The longest record line, in bytes with its newline, that is written or read (16 MiB).
/// Longer events are refused by [`Journal::append`]; a longer line in a file is damage.
///
/// # Example
///
/// ```
/// assert_eq!(carecoord::journal::MAX_RECORD_LEN, 16 * 1024 * 1024);
/// ```
pub const MAX_RECORD_LEN: usize = 16 * 1024 * 1024;

/// One event as stored in the journal: its place in the sequence, who made the change, when,
/// and the event itself.
///
/// `Debug` shows only `seq` and `at`: the event and `who` are left out, as payloads hold
/// patient data.
///
/// # Example
///
/// ```
/// use carecoord::journal::Envelope;
/// use chrono::{TimeZone, Utc};
///
/// let e = Envelope {
///     seq: 3,
///     who: "nurse-1".to_string(),
///     at: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
///     event: "patient details".to_string(),
/// };
/// assert_eq!(format!("{e:?}"), "Envelope { seq: 3, at: 2026-01-05T09:00:00Z, .. }");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Envelope<E> {
    /// Position in the journal: 1 for the first event, then without gaps.
    pub seq: u64,
    /// Who made the change: a staff or user id.
    pub who: String,
    /// When the change was made (UTC).
    pub at: DateTime<Utc>,
    /// The event.
    pub event: E,
}

impl<E> fmt::Debug for Envelope<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("seq", &self.seq)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// The header line of a journal.
///
/// # Example
///
/// ```
/// use carecoord::journal::{Header, JournalReader};
///
/// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1,\"schema\":\"demo.v1\"}\n";
/// let reader = JournalReader::<u32, _>::new(&bytes[..])?;
/// assert_eq!(reader.header(), &Header { version: 1, schema: "demo.v1".into() });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// The application's label for its event type; empty if none was given.
    pub schema: String,
}
