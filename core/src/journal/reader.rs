//! Reading and recovery: a streaming reader, and `read`, `read_salvage` and `replay`.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::marker::PhantomData;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::record::{self, MAX_HEADER_LEN};
use super::{CorruptReason, Envelope, Header, Journal, JournalError, Warning, MAX_RECORD_LEN};

/// Buffer size for reading journal files.
pub(crate) const READ_BUFFER: usize = 64 * 1024;

/// A streaming, one-pass reader of a journal: an iterator of events in sequence order.
///
/// It checks the header when made, then each record's checksum and sequence number as it
/// goes. A torn last record ends the iteration and is recorded in [`JournalReader::warnings`];
/// a damaged record anywhere else yields one `Err(JournalError::Corrupt { .. })` and ends the
/// iteration, with the details in [`JournalReader::corruption`]. One line buffer is reused for
/// every record, so reading allocates only what the events themselves own.
///
/// # Example
///
/// ```
/// use carecoord::journal::{Journal, JournalReader};
/// use chrono::{TimeZone, Utc};
///
/// let path = std::env::temp_dir().join(format!("cc-doc-reader-{}.journal", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let mut journal = Journal::<u32>::create(&path)?;
/// journal.append_batch([("nurse-1", at, &10), ("nurse-2", at, &20)])?;
///
/// let mut reader = JournalReader::<u32>::open(&path)?;
/// let total: u32 = reader.by_ref().map(|e| e.map(|e| e.event)).sum::<Result<u32, _>>()?;
/// assert_eq!(total, 30);
/// assert_eq!(reader.last_seq(), 2);
/// assert!(reader.warnings().is_empty());
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct JournalReader<E, R = BufReader<File>> {
    src: R,
    header: Header,
    /// Offset of the next unread byte.
    offset: u64,
    /// Offset just after the last good record (or the header).
    valid_len: u64,
    next_seq: u64,
    line: Vec<u8>,
    done: bool,
    warnings: Vec<Warning>,
    corruption: Option<Corruption>,
    _event: PhantomData<fn() -> E>,
}

impl<E, R> fmt::Debug for JournalReader<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JournalReader")
            .field("header", &self.header)
            .field("offset", &self.offset)
            .field("next_seq", &self.next_seq)
            .field("warnings", &self.warnings)
            .field("corruption", &self.corruption)
            .finish_non_exhaustive()
    }
}

impl<E: DeserializeOwned> JournalReader<E> {
    /// Opens a journal file and reads its header.
    ///
    /// # Errors
    ///
    /// [`JournalError::Io`] if the file cannot be opened or read,
    /// [`JournalError::TornHeader`], [`JournalError::NotAJournal`] or
    /// [`JournalError::UnsupportedVersion`] if its first line is not a v1 header.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, JournalReader};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-ropen-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// Journal::<u32>::create(&path)?;
    /// let reader = JournalReader::<u32>::open(&path)?;
    /// assert_eq!(reader.header().version, 1);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        let file = File::open(path).map_err(|e| JournalError::io("open", &e))?;
        Self::new(BufReader::with_capacity(READ_BUFFER, file))
    }
}

impl<E: DeserializeOwned, R: BufRead> JournalReader<E, R> {
    /// Reads a journal from any buffered source (a file, or bytes in memory), starting with
    /// its header.
    ///
    /// # Errors
    ///
    /// As [`JournalReader::open`], less the open itself.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{JournalError, JournalReader};
    ///
    /// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1,\"schema\":\"demo\"}\n";
    /// let mut reader = JournalReader::<u32, _>::new(&bytes[..])?;
    /// assert_eq!(reader.header().schema, "demo");
    /// assert!(reader.next().is_none());
    ///
    /// let torn = &bytes[..20];
    /// let err = JournalReader::<u32, _>::new(&torn[..]).unwrap_err();
    /// assert_eq!(err, JournalError::TornHeader { len: 20 });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(mut src: R) -> Result<Self, JournalError> {
        let mut line = Vec::new();
        let first = record::read_line(&mut src, &mut line, MAX_HEADER_LEN)
            .map_err(|e| JournalError::io("read", &e))?;
        if first.overflow {
            return Err(JournalError::NotAJournal {
                reason: "the first line is too long to be a header",
            });
        }
        if !first.complete {
            return Err(if record::is_torn_header(&line) {
                JournalError::TornHeader { len: first.len }
            } else {
                JournalError::NotAJournal {
                    reason: "the file does not start with a header line",
                }
            });
        }
        let header = record::parse_header(&line[..line.len() - 1])?;
        Ok(Self {
            src,
            header,
            offset: first.len,
            valid_len: first.len,
            next_seq: 1,
            line,
            done: false,
            warnings: Vec::new(),
            corruption: None,
            _event: PhantomData,
        })
    }

    /// Reads every remaining event and folds it into `init` with `fold`.
    ///
    /// # Errors
    ///
    /// [`JournalError::Corrupt`] for a damaged record before the tail, [`JournalError::Io`]
    /// if reading fails. A torn tail is not an error: it is in the result's `warnings`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, JournalReader};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-rreplay-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// Journal::<i64>::create(&path)?.append_batch([("gp-1", at, &5), ("gp-1", at, &-2)])?;
    ///
    /// let reader = JournalReader::<i64>::open(&path)?;
    /// let replayed = reader.replay(0i64, |sum, e| *sum += e.event)?;
    /// assert_eq!((replayed.state, replayed.last_seq), (3, 2));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replay<S, F>(mut self, init: S, mut fold: F) -> Result<Replayed<S>, JournalError>
    where
        F: FnMut(&mut S, Envelope<E>),
    {
        let mut state = init;
        for event in self.by_ref() {
            fold(&mut state, event?);
        }
        Ok(Replayed {
            header: self.header,
            state,
            last_seq: self.next_seq - 1,
            warnings: self.warnings,
        })
    }

    /// Like [`JournalReader::replay`] with a fold that can fail; the first failure stops the
    /// replay and is returned.
    ///
    /// # Errors
    ///
    /// The fold's error, or a [`JournalError`] converted with `From`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, JournalError, JournalReader};
    /// use chrono::{TimeZone, Utc};
    ///
    /// #[derive(Debug)]
    /// enum ModelError { Journal(JournalError), Negative(u64) }
    /// impl From<JournalError> for ModelError {
    ///     fn from(e: JournalError) -> Self { ModelError::Journal(e) }
    /// }
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-rtry-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// Journal::<i64>::create(&path)?.append_batch([("gp-1", at, &5), ("gp-1", at, &-9)])?;
    ///
    /// let result = JournalReader::<i64>::open(&path)?.try_replay(0i64, |sum, e| {
    ///     *sum += e.event;
    ///     if *sum < 0 { Err(ModelError::Negative(e.seq)) } else { Ok(()) }
    /// });
    /// assert!(matches!(result, Err(ModelError::Negative(2))));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_replay<S, F, X>(mut self, init: S, mut fold: F) -> Result<Replayed<S>, X>
    where
        F: FnMut(&mut S, Envelope<E>) -> Result<(), X>,
        X: From<JournalError>,
    {
        let mut state = init;
        for event in self.by_ref() {
            fold(&mut state, event?)?;
        }
        Ok(Replayed {
            header: self.header,
            state,
            last_seq: self.next_seq - 1,
            warnings: self.warnings,
        })
    }

    /// Reads every remaining event up to the first damaged record and reports that record and
    /// the position of every line after it, instead of failing.
    ///
    /// # Errors
    ///
    /// Only [`JournalError::Io`]; damage is reported in [`Salvaged::corruption`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::JournalReader;
    ///
    /// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\nnot a record\n{}\n";
    /// let salvaged = JournalReader::<u32, _>::new(&bytes[..])?.salvage()?;
    /// assert!(salvaged.events.is_empty());
    /// let c = salvaged.corruption.unwrap();
    /// assert_eq!((c.record, c.offset, c.after.len()), (1, 43, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn salvage(mut self) -> Result<Salvaged<E>, JournalError> {
        let mut events = Vec::new();
        for event in self.by_ref() {
            match event {
                Ok(event) => events.push(event),
                Err(JournalError::Corrupt { .. }) => break,
                Err(other) => return Err(other),
            }
        }
        Ok(Salvaged {
            header: self.header,
            events,
            corruption: self.corruption,
            warnings: self.warnings,
        })
    }
}

impl<E, R> JournalReader<E, R> {
    /// The journal's header.
    ///
    /// # Errors
    ///
    /// None: this only reads the reader.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::JournalReader;
    ///
    /// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\n";
    /// let reader = JournalReader::<u32, _>::new(&bytes[..])?;
    /// assert_eq!(reader.header().schema, "");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Warnings so far: after the iteration ends, a torn tail if there was one.
    ///
    /// # Errors
    ///
    /// None: this only reads the reader.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{JournalReader, Warning};
    ///
    /// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\n{\"seq\":1,\"at";
    /// let mut reader = JournalReader::<u32, _>::new(&bytes[..])?;
    /// assert!(reader.next().is_none());
    /// assert_eq!(
    ///     reader.warnings(),
    ///     [Warning::TornTail { record: 1, offset: 43, len: 12, repaired: false }]
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Sequence number of the last event read so far (0 before the first).
    ///
    /// # Errors
    ///
    /// None: this only reads the reader.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::JournalReader;
    ///
    /// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\n";
    /// assert_eq!(JournalReader::<u32, _>::new(&bytes[..])?.last_seq(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn last_seq(&self) -> u64 {
        self.next_seq - 1
    }

    /// The damaged record that stopped the iteration, with every line after it.
    ///
    /// # Errors
    ///
    /// None: this only reads the reader.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::JournalReader;
    ///
    /// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\ngarbage\nmore\n";
    /// let mut reader = JournalReader::<u32, _>::new(&bytes[..])?;
    /// assert!(reader.next().unwrap().is_err());
    /// let c = reader.corruption().unwrap();
    /// assert_eq!((c.record, c.offset, c.after.len()), (1, 43, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn corruption(&self) -> Option<&Corruption> {
        self.corruption.as_ref()
    }

    /// Byte length of the good part of the file read so far: the header and every record
    /// read without damage.
    pub(crate) fn valid_len(&self) -> u64 {
        self.valid_len
    }
}

impl<E: DeserializeOwned, R: BufRead> JournalReader<E, R> {
    fn step(&mut self) -> Result<Option<Envelope<E>>, JournalError> {
        let start = self.offset;
        let line = record::read_line(&mut self.src, &mut self.line, MAX_RECORD_LEN)
            .map_err(|e| JournalError::io("read", &e))?;
        if line.len == 0 {
            return Ok(None);
        }
        self.offset += line.len;
        if !line.complete {
            // A line without its newline can only be the last one: the write was cut short.
            self.warnings.push(Warning::TornTail {
                record: self.next_seq,
                offset: start,
                len: line.len,
                repaired: false,
            });
            return Ok(None);
        }
        let text = &self.line[..self.line.len() - 1];
        let checked = if line.overflow {
            Err(CorruptReason::TooLong)
        } else {
            record::check_frame(text)
        };
        let envelope = match checked.and_then(|()| record::decode_record::<E>(text)) {
            Ok(envelope) => envelope,
            Err(reason) => return self.fail(start, reason),
        };
        if envelope.seq != self.next_seq {
            let (expected, found) = (self.next_seq, envelope.seq);
            let reason = if found > expected {
                CorruptReason::SequenceGap { expected, found }
            } else {
                CorruptReason::SequenceRepeat { expected, found }
            };
            return self.fail(start, reason);
        }
        self.next_seq += 1;
        self.valid_len = self.offset;
        Ok(Some(envelope))
    }

    /// Handles a damaged record at `start`: scans the rest of the file and decides between
    /// a torn tail (warning) and corruption (error).
    fn fail(
        &mut self,
        start: u64,
        reason: CorruptReason,
    ) -> Result<Option<Envelope<E>>, JournalError> {
        let mut after = Vec::new();
        loop {
            let offset = self.offset;
            let line = record::read_line(&mut self.src, &mut self.line, MAX_RECORD_LEN)
                .map_err(|e| JournalError::io("read", &e))?;
            if line.len == 0 {
                break;
            }
            self.offset += line.len;
            let checksum_ok = line.complete
                && !line.overflow
                && record::check_frame(&self.line[..self.line.len() - 1]).is_ok();
            after.push(RecordSpan {
                offset,
                len: line.len,
                complete: line.complete,
                checksum_ok,
            });
        }
        let records_after = after.iter().filter(|s| s.complete).count() as u64;
        if reason.may_be_torn() && records_after == 0 {
            self.warnings.push(Warning::TornTail {
                record: self.next_seq,
                offset: start,
                len: self.offset - start,
                repaired: false,
            });
            return Ok(None);
        }
        self.corruption = Some(Corruption {
            record: self.next_seq,
            offset: start,
            reason,
            after,
        });
        Err(JournalError::Corrupt {
            record: self.next_seq,
            offset: start,
            reason,
            records_after,
        })
    }
}

impl<E: DeserializeOwned, R: BufRead> Iterator for JournalReader<E, R> {
    type Item = Result<Envelope<E>, JournalError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.step() {
            Ok(Some(event)) => Some(Ok(event)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(err) => {
                self.done = true;
                Some(Err(err))
            }
        }
    }
}

/// All events of a journal, read by [`Journal::read`].
///
/// # Example
///
/// ```
/// use carecoord::journal::Journal;
/// use chrono::{TimeZone, Utc};
///
/// let path = std::env::temp_dir().join(format!("cc-doc-recovered-{}.journal", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// Journal::<String>::create(&path)?.append("duty-1", at, &"triaged".to_string())?;
/// let recovered = Journal::<String>::read(&path)?;
/// assert_eq!(recovered.events[0].event, "triaged");
/// assert!(recovered.warnings.is_empty());
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Recovered<E> {
    /// The header.
    pub header: Header,
    /// Every event, in sequence order from 1 without gaps.
    pub events: Vec<Envelope<E>>,
    /// A torn tail, if the last record was cut short.
    pub warnings: Vec<Warning>,
}

impl<E> fmt::Debug for Recovered<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recovered")
            .field("header", &self.header)
            .field("events", &self.events)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// The state folded from a journal by [`Journal::replay`] or [`JournalReader::replay`].
///
/// # Example
///
/// ```
/// use carecoord::journal::Journal;
/// use chrono::{TimeZone, Utc};
///
/// let path = std::env::temp_dir().join(format!("cc-doc-replayed-{}.journal", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// Journal::<u8>::create(&path)?.append_batch([("a", at, &1), ("b", at, &2)])?;
/// let replayed = Journal::<u8>::replay(&path, Vec::new(), |v, e| v.push(e.who))?;
/// assert_eq!(replayed.state, ["a", "b"]);
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed<S> {
    /// The header.
    pub header: Header,
    /// The folded state.
    pub state: S,
    /// Sequence number of the last event folded (0 for an empty journal).
    pub last_seq: u64,
    /// A torn tail, if the last record was cut short.
    pub warnings: Vec<Warning>,
}

/// What [`Journal::read_salvage`] could read from a damaged journal.
///
/// # Example
///
/// ```
/// use carecoord::journal::JournalReader;
///
/// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\n";
/// let salvaged = JournalReader::<u32, _>::new(&bytes[..])?.salvage()?;
/// assert!(salvaged.events.is_empty() && salvaged.corruption.is_none());
/// assert!(salvaged.warnings.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Salvaged<E> {
    /// The header.
    pub header: Header,
    /// Every event before the first damaged record (all of them if there is none).
    pub events: Vec<Envelope<E>>,
    /// The first damaged record that is not a torn tail, and what follows it.
    pub corruption: Option<Corruption>,
    /// A torn tail, if the journal is otherwise sound and its last record was cut short.
    pub warnings: Vec<Warning>,
}

impl<E> fmt::Debug for Salvaged<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Salvaged")
            .field("header", &self.header)
            .field("events", &self.events)
            .field("corruption", &self.corruption)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// A damaged record in the middle of a journal and the lines after it, which were not read.
///
/// # Example
///
/// ```
/// use carecoord::journal::{CorruptReason, JournalReader};
///
/// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\nbad\nworse\n";
/// let salvaged = JournalReader::<u32, _>::new(&bytes[..])?.salvage()?;
/// let c = salvaged.corruption.unwrap();
/// assert_eq!((c.record, c.offset, c.reason), (1, 43, CorruptReason::Framing));
/// assert_eq!(c.after[0].offset, 47);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corruption {
    /// One-based number of the damaged record.
    pub record: u64,
    /// Byte offset where its line starts.
    pub offset: u64,
    /// What is wrong with it.
    pub reason: CorruptReason,
    /// Every line after it, in file order.
    pub after: Vec<RecordSpan>,
}

impl Corruption {
    /// The error [`Journal::read`] returns for this damage.
    ///
    /// # Errors
    ///
    /// None: this builds a value.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Corruption, CorruptReason};
    ///
    /// let c = Corruption { record: 2, offset: 90, reason: CorruptReason::Checksum, after: vec![] };
    /// assert_eq!(c.to_error().code(), "corrupt_record");
    /// ```
    pub fn to_error(&self) -> JournalError {
        JournalError::Corrupt {
            record: self.record,
            offset: self.offset,
            reason: self.reason,
            records_after: self.after.iter().filter(|s| s.complete).count() as u64,
        }
    }
}

/// Where one line after a damaged record lies, and whether its checksum holds.
///
/// # Example
///
/// ```
/// use carecoord::journal::{JournalReader, RecordSpan};
///
/// let bytes = b"{\"format\":\"carecoord.journal\",\"version\":1}\nbad\nworse\npart";
/// let c = JournalReader::<u32, _>::new(&bytes[..])?.salvage()?.corruption.unwrap();
/// assert_eq!(
///     c.after,
///     [
///         RecordSpan { offset: 47, len: 6, complete: true, checksum_ok: false },
///         RecordSpan { offset: 53, len: 4, complete: false, checksum_ok: false },
///     ]
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordSpan {
    /// Byte offset where the line starts.
    pub offset: u64,
    /// Length in bytes, newline included.
    pub len: u64,
    /// Whether the line ends with a newline (only the last line of a file can lack one).
    pub complete: bool,
    /// Whether it is a well-framed record whose checksum matches.
    pub checksum_ok: bool,
}

impl<E: DeserializeOwned> Journal<E> {
    /// Reads every event of the journal at `path`, in order.
    ///
    /// # Errors
    ///
    /// [`JournalError::Corrupt`] if a record other than a torn tail is damaged (use
    /// [`Journal::read_salvage`] to get the events before it), the header errors of
    /// [`JournalReader::open`], and [`JournalError::Io`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-read-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// Journal::<u32>::create(&path)?.append_batch([("a", at, &1), ("a", at, &2)])?;
    /// let seqs: Vec<u64> = Journal::<u32>::read(&path)?.events.iter().map(|e| e.seq).collect();
    /// assert_eq!(seqs, [1, 2]);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Recovered<E>, JournalError> {
        let mut reader = JournalReader::<E>::open(path)?;
        let events = reader.by_ref().collect::<Result<Vec<_>, _>>()?;
        Ok(Recovered {
            header: reader.header,
            events,
            warnings: reader.warnings,
        })
    }

    /// Reads the events before the first damaged record, and where every line after it is,
    /// so the caller can decide what to do with a damaged journal.
    ///
    /// # Errors
    ///
    /// The header errors of [`JournalReader::open`] and [`JournalError::Io`]; damage to
    /// records is reported in [`Salvaged::corruption`], not as an error.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{CorruptReason, Journal};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-salvage-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let mut journal = Journal::<u32>::create(&path)?;
    /// journal.append_batch([("a", at, &1), ("a", at, &2), ("a", at, &3)])?;
    /// drop(journal);
    ///
    /// // Damage the second record (its line starts after the header and the first record).
    /// let mut bytes = std::fs::read(&path)?;
    /// let starts: Vec<usize> = (0..bytes.len()).filter(|&i| i == 0 || bytes[i - 1] == b'\n').collect();
    /// bytes[starts[2] + 3] ^= 0x01;
    /// std::fs::write(&path, &bytes)?;
    ///
    /// assert_eq!(Journal::<u32>::read(&path).unwrap_err().offset(), Some(starts[2] as u64));
    /// let salvaged = Journal::<u32>::read_salvage(&path)?;
    /// assert_eq!(salvaged.events.len(), 1);
    /// let c = salvaged.corruption.unwrap();
    /// assert_eq!((c.record, c.offset, c.reason), (2, starts[2] as u64, CorruptReason::Checksum));
    /// assert_eq!(c.after.len(), 1);
    /// assert_eq!(c.after[0].offset, starts[3] as u64);
    /// assert!(c.after[0].checksum_ok);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_salvage(path: impl AsRef<Path>) -> Result<Salvaged<E>, JournalError> {
        JournalReader::<E>::open(path)?.salvage()
    }

    /// Folds every event of the journal at `path` into `init`, in order.
    ///
    /// The journal is read in one pass and events are not kept, so memory is that of the
    /// state. The same journal always folds to the same state.
    ///
    /// # Errors
    ///
    /// As [`Journal::read`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-replay-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// Journal::<u32>::create(&path)?.append_batch([("a", at, &4), ("b", at, &6)])?;
    /// let sum = Journal::<u32>::replay(&path, 0u32, |s, e| *s += e.event)?;
    /// assert_eq!(sum.state, 10);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replay<S, F>(
        path: impl AsRef<Path>,
        init: S,
        fold: F,
    ) -> Result<Replayed<S>, JournalError>
    where
        F: FnMut(&mut S, Envelope<E>),
    {
        JournalReader::<E>::open(path)?.replay(init, fold)
    }

    /// Like [`Journal::replay`] with a fold that can fail (for example a model rejecting an
    /// event); the first failure stops the replay.
    ///
    /// # Errors
    ///
    /// The fold's error, or a [`JournalError`] converted with `From`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, JournalError};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-tryreplay-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// Journal::<u32>::create(&path)?.append("a", at, &4)?;
    /// let r = Journal::<u32>::try_replay(&path, 0u32, |s, e| {
    ///     *s += e.event;
    ///     Ok::<(), JournalError>(())
    /// })?;
    /// assert_eq!(r.state, 4);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_replay<S, F, X>(path: impl AsRef<Path>, init: S, fold: F) -> Result<Replayed<S>, X>
    where
        F: FnMut(&mut S, Envelope<E>) -> Result<(), X>,
        X: From<JournalError>,
    {
        JournalReader::<E>::open(path)?.try_replay(init, fold)
    }
}
