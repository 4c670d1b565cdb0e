//! The writer: create, open with recovery, and durable appends.

use std::fmt;
use std::fs::{self, File};
use std::io::{BufReader, Write};
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;

use super::reader::{JournalReader, Replayed, READ_BUFFER};
use super::record;
use super::{Envelope, Header, JournalError, Warning, FORMAT_VERSION};

/// A batch buffer larger than this is released after the append rather than kept.
const KEEP_BUFFER: usize = 1 << 20;

/// An open journal that events are appended to: the single writer of its file.
///
/// Every append is durable when it returns: the records are written with one `write` and the
/// file is synced (`fdatasync`) before the sequence numbers are returned. A batch costs one
/// sync however many events it holds. Only one `Journal` may write a file at a time (nothing
/// locks the file: two writers would interleave sequence numbers, which readers report as
/// corruption).
///
/// `Debug` shows the position in the journal only, never the path or any event.
///
/// # Example
///
/// ```
/// use carecoord::journal::Journal;
/// use chrono::{TimeZone, Utc};
///
/// let path = std::env::temp_dir().join(format!("cc-doc-journal-{}.journal", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let mut journal = Journal::<String>::create(&path)?;
/// assert_eq!(journal.append("nurse-1", at, &"visit".to_string())?, 1);
/// drop(journal);
///
/// let mut journal = Journal::<String>::open(&path)?;
/// assert_eq!(journal.append("nurse-2", at, &"call".to_string())?, 2);
/// assert_eq!(Journal::<String>::read(&path)?.events.len(), 2);
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Journal<E> {
    file: File,
    path: PathBuf,
    header: Header,
    /// Bytes durably in the file.
    len: u64,
    next_seq: u64,
    buf: Vec<u8>,
    poisoned: bool,
    warnings: Vec<Warning>,
    _event: PhantomData<fn(&E)>,
}

impl<E> fmt::Debug for Journal<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("header", &self.header)
            .field("byte_len", &self.len)
            .field("next_seq", &self.next_seq)
            .field("poisoned", &self.poisoned)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

impl<E> Journal<E> {
    /// Creates a new, empty journal at `path` (the file must not exist), with an empty
    /// schema label. The header is synced, and so is the directory, so the file survives a
    /// crash.
    ///
    /// # Errors
    ///
    /// [`JournalError::Io`] with kind `AlreadyExists` if the file exists, or if it cannot be
    /// created, written or synced.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-create-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let journal = Journal::<u32>::create(&path)?;
    /// assert_eq!(journal.next_seq(), 1);
    /// let again = Journal::<u32>::create(&path).unwrap_err();
    /// assert_eq!(again.code(), "io");
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        OpenOptions::new().create_new(true).open(path)
    }

    /// Opens an existing journal to append to it, after checking every record. Appends
    /// continue the sequence.
    ///
    /// # Errors
    ///
    /// [`JournalError::TornTail`] if the last record is torn (use
    /// [`OpenOptions::repair_torn_tail`] to truncate it), [`JournalError::Corrupt`] if another
    /// record is damaged, the header errors of [`JournalReader::open`], and
    /// [`JournalError::Io`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-open-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// Journal::<u32>::create(&path)?.append_batch([("a", at, &1), ("a", at, &2)])?;
    /// let journal = Journal::<u32>::open(&path)?;
    /// assert_eq!(journal.last_seq(), 2);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        OpenOptions::new().open(path)
    }

    /// The sequence number the next appended event will get.
    ///
    /// # Errors
    ///
    /// None: this only reads the journal.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-nextseq-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let mut journal = Journal::<u32>::create(&path)?;
    /// assert_eq!(journal.next_seq(), 1);
    /// journal.append("a", at, &1)?;
    /// assert_eq!(journal.next_seq(), 2);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The sequence number of the last event in the journal (0 if it has none).
    ///
    /// # Errors
    ///
    /// None: this only reads the journal.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-lastseq-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let mut journal = Journal::<u32>::create(&path)?;
    /// assert_eq!(journal.last_seq(), 0);
    /// journal.append_batch([("a", at, &1), ("a", at, &2)])?;
    /// assert_eq!(journal.last_seq(), 2);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn last_seq(&self) -> u64 {
        self.next_seq - 1
    }

    /// Length of the file in bytes: the header and every durable record.
    ///
    /// # Errors
    ///
    /// None: this only reads the journal.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-len-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let journal = Journal::<u32>::create(&path)?;
    /// assert_eq!(journal.byte_len(), std::fs::metadata(&path)?.len());
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn byte_len(&self) -> u64 {
        self.len
    }

    /// The journal's header.
    ///
    /// # Errors
    ///
    /// None: this only reads the journal.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::OpenOptions;
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-header-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let journal = OpenOptions::new().create_new(true).schema("demo.v1").open::<u32>(&path)?;
    /// assert_eq!(journal.header().schema, "demo.v1");
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The path the journal was opened at.
    ///
    /// # Errors
    ///
    /// None: this only reads the journal.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-path-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// assert_eq!(Journal::<u32>::create(&path)?.path(), path);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What recovery did when the journal was opened: a torn tail truncated, or a torn
    /// header written again, at the caller's request ([`OpenOptions::repair_torn_tail`]).
    /// Empty when nothing needed repair.
    ///
    /// # Errors
    ///
    /// None: this only reads the journal.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, OpenOptions, Warning};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-warn-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let len = Journal::<u32>::create(&path)?.byte_len();
    /// Journal::<u32>::open(&path)?.append("a", at, &1)?;
    /// // Simulate a crash that left half a record.
    /// let f = std::fs::OpenOptions::new().write(true).open(&path)?;
    /// f.set_len(len + 10)?;
    ///
    /// assert_eq!(Journal::<u32>::open(&path).unwrap_err().code(), "torn_tail");
    /// let journal = OpenOptions::new().repair_torn_tail(true).open::<u32>(&path)?;
    /// assert_eq!(
    ///     journal.warnings(),
    ///     [Warning::TornTail { record: 1, offset: len, len: 10, repaired: true }]
    /// );
    /// assert_eq!(journal.next_seq(), 1);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

impl<E: Serialize> Journal<E> {
    /// Appends one event and returns its sequence number once it is durable.
    ///
    /// # Errors
    ///
    /// [`JournalError::InvalidEvent`] if `who` is empty, `at` is outside years 0000-9999 or
    /// the event cannot be serialized (nothing is written); [`JournalError::Io`] if the write
    /// or sync fails, after which the writer is poisoned; [`JournalError::Poisoned`] if an
    /// earlier append failed.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-append-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let mut journal = Journal::<u32>::create(&path)?;
    /// assert_eq!(journal.append("nurse-1", at, &7)?, 1);
    /// let err = journal.append("", at, &8).unwrap_err();
    /// assert_eq!(err.to_string(), "event 0 of the batch: field `who`: must not be empty");
    /// assert_eq!(journal.next_seq(), 2);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn append(&mut self, who: &str, at: DateTime<Utc>, event: &E) -> Result<u64, JournalError> {
        self.append_batch([(who, at, event)]).map(|seqs| seqs.start)
    }

    /// Appends a batch of events with one write and one sync, and returns their sequence
    /// numbers (`start..end`, empty for an empty batch) once they are durable.
    ///
    /// The batch is checked and encoded before anything is written, so an invalid event
    /// writes none of it. A crash during the call may leave a prefix of the batch on disk
    /// (none of it was acknowledged); readers then see those events, and maybe a torn tail.
    ///
    /// # Errors
    ///
    /// As [`Journal::append`]; `index` in [`JournalError::InvalidEvent`] is the event's
    /// position in the batch.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::Journal;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-batch-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let events = vec![10u32, 20, 30];
    /// let mut journal = Journal::<u32>::create(&path)?;
    /// let seqs = journal.append_batch(events.iter().map(|e| ("duty-desk", at, e)))?;
    /// assert_eq!(seqs, 1..4);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn append_batch<'a, I>(&mut self, batch: I) -> Result<Range<u64>, JournalError>
    where
        I: IntoIterator<Item = (&'a str, DateTime<Utc>, &'a E)>,
        E: 'a,
    {
        if self.poisoned {
            return Err(JournalError::Poisoned);
        }
        self.buf.clear();
        let first = self.next_seq;
        let mut seq = first;
        for (index, (who, at, event)) in batch.into_iter().enumerate() {
            record::encode_record(&mut self.buf, seq, who, at, event).map_err(
                |(field, reason)| JournalError::InvalidEvent {
                    index,
                    field,
                    reason,
                },
            )?;
            seq += 1;
        }
        if seq == first {
            return Ok(first..first);
        }
        if let Err(e) = self.file.write_all(&self.buf) {
            self.poisoned = true;
            // Best effort: take back a partial write so a reopen finds no torn tail.
            let _ = self.file.set_len(self.len);
            return Err(JournalError::io("append", &e));
        }
        if let Err(e) = self.file.sync_data() {
            // After a failed sync the kernel may have dropped the pages: what is on disk is
            // unknown, and a second sync could wrongly succeed. Only a reopen can tell.
            self.poisoned = true;
            return Err(JournalError::io("sync", &e));
        }
        self.len += self.buf.len() as u64;
        self.next_seq = seq;
        if self.buf.capacity() > KEEP_BUFFER {
            self.buf = Vec::new();
        }
        Ok(first..seq)
    }
}

/// How to open a journal: create it or not, repair a torn tail or not, and which schema label
/// to expect.
///
/// The defaults open an existing journal, refuse a torn tail and accept any schema.
///
/// # Example
///
/// ```
/// use carecoord::journal::OpenOptions;
///
/// let path = std::env::temp_dir().join(format!("cc-doc-options-{}.journal", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let options = OpenOptions::new()
///     .create(true)
///     .repair_torn_tail(true)
///     .schema("carecoord.caseload.v1");
/// let journal = options.open::<u32>(&path)?; // creates it
/// drop(journal);
/// let journal = options.open::<u32>(&path)?; // opens it
/// assert_eq!(journal.next_seq(), 1);
/// let other = OpenOptions::new().schema("other").open::<u32>(&path).unwrap_err();
/// assert_eq!(other.code(), "schema_mismatch");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    create: bool,
    create_new: bool,
    repair_torn_tail: bool,
    schema: Option<String>,
}

impl OpenOptions {
    /// The default options: open an existing journal, refuse a torn tail, any schema.
    ///
    /// # Errors
    ///
    /// None: this builds a value.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::OpenOptions;
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-optnew-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// assert_eq!(OpenOptions::new().open::<u32>(&path).unwrap_err().code(), "io"); // no such file
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Create the journal if the file does not exist.
    ///
    /// # Errors
    ///
    /// None: this builds a value.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::OpenOptions;
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-optcreate-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let journal = OpenOptions::new().create(true).open::<u32>(&path)?;
    /// assert_eq!(journal.header().schema, "");
    /// drop(journal);
    /// assert!(OpenOptions::new().create(true).open::<u32>(&path).is_ok()); // exists: opened
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(mut self, create: bool) -> Self {
        self.create = create;
        self
    }

    /// Create the journal, failing if the file exists.
    ///
    /// # Errors
    ///
    /// None: this builds a value.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::OpenOptions;
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-optcreatenew-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let options = OpenOptions::new().create_new(true);
    /// options.open::<u32>(&path)?;
    /// assert_eq!(options.open::<u32>(&path).unwrap_err().code(), "io"); // already exists
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_new(mut self, create_new: bool) -> Self {
        self.create_new = create_new;
        self
    }

    /// Truncate a torn last record (and rewrite a torn header) when opening, instead of
    /// failing with [`JournalError::TornTail`] / [`JournalError::TornHeader`]. What was
    /// repaired is reported by [`Journal::warnings`]. Damage before the last record is never
    /// repaired.
    ///
    /// # Errors
    ///
    /// None: this builds a value.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, OpenOptions, Warning};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-optrepair-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let len = Journal::<u32>::create(&path)?.byte_len();
    /// std::fs::OpenOptions::new().append(true).open(&path)?.set_len(len + 5)?; // a torn record
    /// let journal = OpenOptions::new().repair_torn_tail(true).open::<u32>(&path)?;
    /// assert_eq!(journal.warnings()[0].offset(), len);
    /// assert_eq!(std::fs::metadata(&path)?.len(), len);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn repair_torn_tail(mut self, repair: bool) -> Self {
        self.repair_torn_tail = repair;
        self
    }

    /// The schema label written in the header of a new journal, and required in the header
    /// of an existing one (for example `carecoord.caseload.v1`). Without it a new journal
    /// gets an empty label and any label is accepted.
    ///
    /// # Errors
    ///
    /// None: this builds a value.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, OpenOptions};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-optschema-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// OpenOptions::new().create_new(true).schema("carecoord.caseload.v1").open::<u32>(&path)?;
    /// let read = Journal::<u32>::read(&path)?;
    /// assert_eq!(read.header.schema, "carecoord.caseload.v1");
    /// let err = OpenOptions::new().schema("v2").open::<u32>(&path).unwrap_err();
    /// assert_eq!(err.code(), "schema_mismatch");
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// Opens (or creates) the journal at `path` for appending, checking every record.
    ///
    /// # Errors
    ///
    /// As [`Journal::open`] and [`Journal::create`], plus [`JournalError::SchemaMismatch`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::OpenOptions;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-optopen-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let options = OpenOptions::new().create(true);
    /// options.open::<String>(&path)?.append("gp-2", at, &"review".to_string())?;
    /// let mut journal = options.open::<String>(&path)?;
    /// assert_eq!(journal.append("gp-2", at, &"done".to_string())?, 2);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open<E>(&self, path: impl AsRef<Path>) -> Result<Journal<E>, JournalError> {
        self.open_inner::<E, IgnoredAny, (), _>(path.as_ref(), (), |_, _| {})
            .map(|(journal, _)| journal)
    }

    /// Opens (or creates) the journal at `path` for appending and, in the same pass over the
    /// file, folds its events into `init`: the way to rebuild a model and go on appending
    /// without reading the file twice.
    ///
    /// # Errors
    ///
    /// As [`OpenOptions::open`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::journal::{Journal, OpenOptions};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-openreplay-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let options = OpenOptions::new().create(true);
    /// let (mut journal, replayed) = options.open_and_replay::<u32, _, _>(&path, 0u32, |s, e| *s += e.event)?;
    /// assert_eq!(replayed.state, 0);
    /// journal.append_batch([("a", at, &2), ("a", at, &3)])?;
    /// drop(journal);
    /// let (journal, replayed) = options.open_and_replay::<u32, _, _>(&path, 0u32, |s, e| *s += e.event)?;
    /// assert_eq!((replayed.state, journal.next_seq()), (5, 3));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_and_replay<E, S, F>(
        &self,
        path: impl AsRef<Path>,
        init: S,
        fold: F,
    ) -> Result<(Journal<E>, Replayed<S>), JournalError>
    where
        E: DeserializeOwned,
        F: FnMut(&mut S, Envelope<E>),
    {
        self.open_inner::<E, E, S, F>(path.as_ref(), init, fold)
    }

    /// Opens for appending, reading events as `P` (`IgnoredAny` to check without decoding).
    fn open_inner<E, P, S, F>(
        &self,
        path: &Path,
        init: S,
        mut fold: F,
    ) -> Result<(Journal<E>, Replayed<S>), JournalError>
    where
        P: DeserializeOwned,
        F: FnMut(&mut S, Envelope<P>),
    {
        let schema = self.schema.as_deref().unwrap_or("");
        if self.create || self.create_new {
            match fs::OpenOptions::new()
                .read(true)
                .append(true)
                .create_new(true)
                .open(path)
            {
                Ok(file) => {
                    let journal = Journal::start(file, path, schema, Vec::new(), true)
                        .inspect_err(|_| {
                            // The file is ours (create_new): leave no half-made journal.
                            let _ = fs::remove_file(path);
                        })?;
                    return Ok(journal.with_state(init));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && !self.create_new => {}
                Err(e) => return Err(JournalError::io("create", &e)),
            }
        }
        let file = fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| JournalError::io("open", &e))?;
        let scan = file.try_clone().map_err(|e| JournalError::io("open", &e))?;
        let mut reader =
            match JournalReader::<P, _>::new(BufReader::with_capacity(READ_BUFFER, scan)) {
                Ok(reader) => reader,
                Err(JournalError::TornHeader { len }) if self.repair_torn_tail => {
                    file.set_len(0)
                        .map_err(|e| JournalError::io("truncate", &e))?;
                    let warning = Warning::TornHeader { len };
                    let journal = Journal::start(file, path, schema, vec![warning], false)?;
                    return Ok(journal.with_state(init));
                }
                Err(e) => return Err(e),
            };
        if let Some(expected) = &self.schema {
            if reader.header().schema != *expected {
                return Err(JournalError::SchemaMismatch {
                    expected: expected.clone(),
                    found: reader.header().schema.clone(),
                });
            }
        }
        let mut state = init;
        for event in reader.by_ref() {
            fold(&mut state, event?);
        }
        let mut warnings = reader.warnings().to_vec();
        for warning in &mut warnings {
            if let Warning::TornTail {
                record,
                offset,
                len,
                repaired,
            } = warning
            {
                if !self.repair_torn_tail {
                    return Err(JournalError::TornTail {
                        record: *record,
                        offset: *offset,
                        len: *len,
                    });
                }
                file.set_len(*offset)
                    .map_err(|e| JournalError::io("truncate", &e))?;
                file.sync_all().map_err(|e| JournalError::io("sync", &e))?;
                *repaired = true;
            }
        }
        let header = reader.header().clone();
        let last_seq = reader.last_seq();
        let journal = Journal {
            file,
            path: path.to_path_buf(),
            header: header.clone(),
            len: reader.valid_len(),
            next_seq: last_seq + 1,
            buf: Vec::new(),
            poisoned: false,
            warnings: warnings.clone(),
            _event: PhantomData,
        };
        let replayed = Replayed {
            header,
            state,
            last_seq,
            warnings,
        };
        Ok((journal, replayed))
    }
}

impl<E> Journal<E> {
    /// Writes the header into an empty `file` and syncs it (and its directory if `new`).
    fn start(
        mut file: File,
        path: &Path,
        schema: &str,
        warnings: Vec<Warning>,
        new: bool,
    ) -> Result<Self, JournalError> {
        let mut buf = Vec::with_capacity(64 + schema.len());
        record::encode_header(&mut buf, schema);
        file.write_all(&buf)
            .map_err(|e| JournalError::io("create", &e))?;
        file.sync_all().map_err(|e| JournalError::io("sync", &e))?;
        if new {
            sync_parent_dir(path)?;
        }
        Ok(Self {
            file,
            path: path.to_path_buf(),
            header: Header {
                version: FORMAT_VERSION,
                schema: schema.to_owned(),
            },
            len: buf.len() as u64,
            next_seq: 1,
            buf: Vec::new(),
            poisoned: false,
            warnings,
            _event: PhantomData,
        })
    }

    fn with_state<S>(self, state: S) -> (Self, Replayed<S>) {
        let replayed = Replayed {
            header: self.header.clone(),
            state,
            last_seq: 0,
            warnings: self.warnings.clone(),
        };
        (self, replayed)
    }
}

/// Syncs the directory holding `path`, so a newly created file's name is durable.
fn sync_parent_dir(path: &Path) -> Result<(), JournalError> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| JournalError::io("sync directory", &e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
