//! A caseload kept in a journal: open (replaying every event), then record events, each
//! checked against the model, written durably, then applied.

use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::{Caseload, CaseloadError, Event, Rejection, StaffId};
use crate::journal::{Envelope, Journal, JournalError, JournalReader, OpenOptions, Warning};

/// The schema label of caseload journals (the journal header's `schema`).
///
/// # Example
///
/// ```
/// assert_eq!(carecoord::caseload::SCHEMA, "carecoord.caseload.v1");
/// ```
pub const SCHEMA: &str = "carecoord.caseload.v1";

/// What opening or replaying a journal found besides the state: the last sequence number,
/// the journal's warnings (a torn tail that was ignored or repaired), and the events the
/// model rejected (none for a journal written through [`CaseloadJournal`]).
///
/// # Example
///
/// ```
/// use carecoord::caseload::ReplayReport;
/// let r = ReplayReport::default();
/// assert_eq!((r.last_seq, r.warnings.len(), r.rejected.len()), (0, 0, 0));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayReport {
    /// Sequence number of the last event read.
    pub last_seq: u64,
    /// Journal warnings (torn tail or header), each with its byte offset.
    pub warnings: Vec<Warning>,
    /// Events the model rejected, with why.
    pub rejected: Vec<Rejection>,
}

/// A replayed caseload and its report.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, Replay, ReplayReport};
/// let r = Replay { caseload: Caseload::new(), report: ReplayReport::default() };
/// assert_eq!(r.caseload.last_seq(), 0);
/// ```
#[derive(Debug, Clone)]
pub struct Replay {
    /// The state.
    pub caseload: Caseload,
    /// What the replay found.
    pub report: ReplayReport,
}

fn fold(c: &mut (Caseload, Vec<Rejection>), e: Envelope<Event>) {
    if let Err(error) = c.0.apply(&e) {
        c.1.push(Rejection { seq: e.seq, error });
    }
}

impl Caseload {
    /// Replays a caseload journal read-only: folds every event in order, ignoring (and
    /// reporting) a torn tail. Events the model rejects are skipped and listed in the report.
    ///
    /// # Errors
    ///
    /// [`CaseloadError::Journal`]: the journal cannot be read, is damaged before its tail
    /// (`corrupt_record`, with the record's byte offset; nothing after it is used), or its
    /// schema label is not [`SCHEMA`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Caseload, CaseloadJournal, Event, PatientRef};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-cl-replay-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let mut store = CaseloadJournal::open(&path)?;
    /// store.record("pcc-1", at, Event::PatientRegistered {
    ///     patient: PatientRef::new("P1")?, nhs_number: None, practice: "SYN001".into(),
    ///     birth_date: NaiveDate::from_ymd_opt(1950, 1, 1).unwrap(),
    /// })?;
    /// drop(store);
    /// let replay = Caseload::replay(&path)?;
    /// assert_eq!(replay.caseload.patients().count(), 1);
    /// assert!(replay.report.rejected.is_empty());
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replay(path: impl AsRef<Path>) -> Result<Replay, CaseloadError> {
        let reader = JournalReader::<Event>::open(path)?;
        check_schema(&reader.header().schema)?;
        let replayed = reader.replay((Caseload::new(), Vec::new()), fold)?;
        let (caseload, rejected) = replayed.state;
        Ok(Replay {
            caseload,
            report: ReplayReport {
                last_seq: replayed.last_seq,
                warnings: replayed.warnings,
                rejected,
            },
        })
    }

    /// Folds events held in memory, in order; rejected events are skipped and returned.
    ///
    /// # Errors
    ///
    /// None; rejections are returned.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Caseload, Event, PatientRef};
    /// use carecoord::journal::Envelope;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let events = vec![Envelope { seq: 1, who: "x".into(), at, event: Event::SafeguardingClosed { patient: PatientRef::new("P1")? } }];
    /// let (c, rejected) = Caseload::from_events(&events);
    /// assert_eq!((c.applied(), rejected.len()), (0, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = &'a Envelope<Event>>,
    ) -> (Caseload, Vec<Rejection>) {
        let mut c = Caseload::new();
        let mut rejected = Vec::new();
        for e in events {
            if let Err(error) = c.apply(e) {
                rejected.push(Rejection { seq: e.seq, error });
            }
        }
        (c, rejected)
    }

    /// Opens (creating if missing) the journal at `path` and replays it: the same as
    /// [`CaseloadJournal::open`].
    ///
    /// # Errors
    ///
    /// As [`CaseloadJournal::open`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Caseload;
    /// let path = std::env::temp_dir().join(format!("cc-doc-cl-open-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let store = Caseload::open(&path)?;
    /// assert_eq!(store.caseload().last_seq(), 0);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<CaseloadJournal, CaseloadError> {
        CaseloadJournal::open(path)
    }
}

fn check_schema(found: &str) -> Result<(), CaseloadError> {
    if found != SCHEMA {
        return Err(JournalError::SchemaMismatch {
            expected: SCHEMA.to_string(),
            found: found.to_string(),
        }
        .into());
    }
    Ok(())
}

/// What [`CaseloadJournal::record_batch`] did: the sequence numbers written, and the first
/// event rejected (its index in the batch and why), after which nothing was recorded.
///
/// # Example
///
/// ```
/// use carecoord::caseload::BatchOutcome;
/// let b = BatchOutcome { recorded: 1..4, rejected: None };
/// assert_eq!(b.recorded.end - b.recorded.start, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Sequence numbers of the events recorded.
    pub recorded: Range<u64>,
    /// The first rejected event (index in the batch) and the error; the events after it
    /// were not checked or recorded.
    pub rejected: Option<(usize, CaseloadError)>,
}

/// A caseload kept in a journal file: the single writer of that file.
///
/// [`CaseloadJournal::record`] checks an event against the model, appends it durably (the
/// journal syncs before returning) and then applies it, so the state always equals the
/// replay of the journal. A rejected event writes nothing. If a write fails the store is
/// poisoned; open it again to recover what is on disk.
///
/// `Debug` shows the caseload's counts and the journal position only.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{CaseloadJournal, Event, PatientRef, ReferralId, CloseOutcome};
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let path = std::env::temp_dir().join(format!("cc-doc-cl-store-{}.journal", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let mut store = CaseloadJournal::open(&path)?;
/// let seq = store.record_json("pcc-1", at, r#"{"patient_registered":{"patient":"P1","practice":"SYN001","birth_date":"1950-01-01"}}"#)?;
/// assert_eq!(seq, 1);
/// // Closing a referral that does not exist is rejected and nothing is written.
/// let err = store.record("pcc-1", at, Event::ReferralClosed { referral: ReferralId::new("R9")?, outcome: CloseOutcome::Completed }).unwrap_err();
/// assert_eq!(err.code(), "not_found");
/// drop(store);
/// let store = CaseloadJournal::open(&path)?;
/// assert_eq!(store.caseload().last_seq(), 1);
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CaseloadJournal {
    journal: Journal<Event>,
    caseload: Caseload,
    report: ReplayReport,
    poisoned: bool,
}

impl std::fmt::Debug for CaseloadJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseloadJournal")
            .field("caseload", &self.caseload)
            .field("next_seq", &self.journal.next_seq())
            .field("poisoned", &self.poisoned)
            .finish_non_exhaustive()
    }
}

impl CaseloadJournal {
    /// Opens the caseload journal at `path`, creating it if missing, replaying every event
    /// in the same pass. A torn tail left by a crash is truncated (reported in
    /// [`CaseloadJournal::report`] as a warning with `repaired: true`); damage anywhere else
    /// is an error and the file is left alone.
    ///
    /// # Errors
    ///
    /// [`CaseloadError::Journal`]: I/O, a corrupt record (with its offset), a header that is
    /// not a journal, or a schema label other than [`SCHEMA`].
    ///
    /// # Example
    ///
    /// See [`CaseloadJournal`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CaseloadError> {
        Self::open_with(path, true, true)
    }

    /// Opens an existing caseload journal without creating it and without repairing a torn
    /// tail (a torn tail is then an error, and the file is left alone).
    ///
    /// # Errors
    ///
    /// As [`CaseloadJournal::open`], plus `torn_tail` and a missing file (`io`).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::CaseloadJournal;
    /// let err = CaseloadJournal::open_existing("/nonexistent/cc.journal").unwrap_err();
    /// assert_eq!(err.code(), "journal");
    /// ```
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Self, CaseloadError> {
        Self::open_with(path, false, false)
    }

    fn open_with(
        path: impl AsRef<Path>,
        create: bool,
        repair: bool,
    ) -> Result<Self, CaseloadError> {
        let options = OpenOptions::new()
            .create(create)
            .repair_torn_tail(repair)
            .schema(SCHEMA);
        let (journal, replayed) =
            options.open_and_replay::<Event, _, _>(path, (Caseload::new(), Vec::new()), fold)?;
        let (caseload, rejected) = replayed.state;
        Ok(Self {
            journal,
            caseload,
            report: ReplayReport {
                last_seq: replayed.last_seq,
                warnings: replayed.warnings,
                rejected,
            },
            poisoned: false,
        })
    }

    /// The caseload.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See [`CaseloadJournal`].
    pub fn caseload(&self) -> &Caseload {
        &self.caseload
    }

    /// What opening the journal found (warnings, rejected events).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::CaseloadJournal;
    /// let path = std::env::temp_dir().join(format!("cc-doc-cl-report-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// assert!(CaseloadJournal::open(&path)?.report().warnings.is_empty());
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self) -> &ReplayReport {
        &self.report
    }

    /// The sequence number the next recorded event will get.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::CaseloadJournal;
    /// let path = std::env::temp_dir().join(format!("cc-doc-cl-next-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// assert_eq!(CaseloadJournal::open(&path)?.next_seq(), 1);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_seq(&self) -> u64 {
        self.journal.next_seq()
    }

    /// Checks `event`, appends it durably, then applies it; returns its sequence number.
    ///
    /// # Errors
    ///
    /// A rejection (nothing is written); [`CaseloadError::Journal`] if the append fails
    /// (the store is then poisoned); [`CaseloadError::Poisoned`] after an earlier failure.
    ///
    /// # Example
    ///
    /// See [`CaseloadJournal`].
    pub fn record(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        event: Event,
    ) -> Result<u64, CaseloadError> {
        if self.poisoned {
            return Err(CaseloadError::Poisoned);
        }
        let env = Envelope {
            seq: self.journal.next_seq(),
            who: who.to_string(),
            at,
            event,
        };
        self.caseload.check(&env)?;
        match self.journal.append(who, at, &env.event) {
            Ok(_) => {}
            Err(e @ JournalError::InvalidEvent { .. }) => return Err(e.into()),
            Err(e) => {
                self.poisoned = true;
                return Err(e.into());
            }
        }
        if let Err(e) = self.caseload.apply(&env) {
            // Cannot happen (checked above); memory would disagree with disk.
            self.poisoned = true;
            return Err(e);
        }
        Ok(env.seq)
    }

    /// [`CaseloadJournal::record`] for an event given as JSON ([`Event::from_json`]).
    ///
    /// # Errors
    ///
    /// [`CaseloadError::InvalidJson`], then as [`CaseloadJournal::record`].
    ///
    /// # Example
    ///
    /// See [`CaseloadJournal`].
    pub fn record_json(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        json: &str,
    ) -> Result<u64, CaseloadError> {
        let event = Event::from_json(json)?;
        self.record(who, at, event)
    }

    /// Records a batch of events with one write and one sync: each is checked and applied
    /// in order until the first rejection; the accepted prefix is then appended durably.
    ///
    /// # Errors
    ///
    /// [`CaseloadError::Journal`] if the append fails: the store is then poisoned and its
    /// in-memory state may hold events that are not on disk, so drop it and open the journal
    /// again. [`CaseloadError::Poisoned`] after an earlier failure. Rejections are reported
    /// in the [`BatchOutcome`], not as errors.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{CaseloadJournal, Event, PatientRef};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    ///
    /// let path = std::env::temp_dir().join(format!("cc-doc-cl-batch-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let reg = |id: &str| Event::PatientRegistered {
    ///     patient: PatientRef::new(id).unwrap(), nhs_number: None, practice: "SYN001".into(),
    ///     birth_date: NaiveDate::from_ymd_opt(1950, 1, 1).unwrap(),
    /// };
    /// let mut store = CaseloadJournal::open(&path)?;
    /// let out = store.record_batch(vec![("pcc", at, reg("P1")), ("pcc", at, reg("P2")), ("pcc", at, reg("P1"))])?;
    /// assert_eq!(out.recorded, 1..3);
    /// assert_eq!(out.rejected.as_ref().map(|(i, e)| (*i, e.code())), Some((2, "duplicate")));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_batch<'w>(
        &mut self,
        batch: impl IntoIterator<Item = (&'w str, DateTime<Utc>, Event)>,
    ) -> Result<BatchOutcome, CaseloadError> {
        if self.poisoned {
            return Err(CaseloadError::Poisoned);
        }
        let first = self.journal.next_seq();
        let mut accepted: Vec<Envelope<Event>> = Vec::new();
        let mut rejected = None;
        for (i, (who, at, event)) in batch.into_iter().enumerate() {
            let env = Envelope {
                seq: first + accepted.len() as u64,
                who: who.to_string(),
                at,
                event,
            };
            if let Err(e) = self.caseload.apply(&env) {
                rejected = Some((i, e));
                break;
            }
            accepted.push(env);
        }
        if accepted.is_empty() {
            return Ok(BatchOutcome {
                recorded: first..first,
                rejected,
            });
        }
        let result = self
            .journal
            .append_batch(accepted.iter().map(|e| (e.who.as_str(), e.at, &e.event)));
        match result {
            Ok(recorded) => Ok(BatchOutcome { recorded, rejected }),
            Err(e) => {
                // The events are applied in memory but not (all) on disk.
                self.poisoned = true;
                Err(e.into())
            }
        }
    }

    /// Suggests a member of staff for the referral ([`Caseload::suggest_allocation`] with the
    /// referral's required skill on the day of `at`) and records the allocation.
    ///
    /// # Errors
    ///
    /// [`CaseloadError::NotFound`] for an unknown referral, [`CaseloadError::NoAllocation`]
    /// when nobody can take it (with the reason), then as [`CaseloadJournal::record`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{CaseloadJournal, CaseloadError, NoAllocation, ReferralId};
    /// use chrono::{TimeZone, Utc};
    /// let path = std::env::temp_dir().join(format!("cc-doc-cl-alloc-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut store = CaseloadJournal::open(&path)?;
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// assert_eq!(store.allocate("lead", at, &ReferralId::new("R1")?).unwrap_err().code(), "not_found");
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allocate(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        referral: &super::ReferralId,
    ) -> Result<StaffId, CaseloadError> {
        let Some(r) = self.caseload.referral(referral.as_str()) else {
            return Err(CaseloadError::NotFound {
                seq: self.journal.next_seq(),
                event: "referral_allocated",
                field: "referral",
                entity: "referral",
            });
        };
        let s = self
            .caseload
            .suggest_allocation(r.required_skill, at)
            .map_err(|reason| CaseloadError::NoAllocation { reason })?;
        self.record(
            who,
            at,
            Event::ReferralAllocated {
                referral: referral.clone(),
                staff: s.staff.clone(),
            },
        )?;
        Ok(s.staff)
    }

    /// Applies each parsed row in order, keeping going past rejections, then appends the
    /// accepted events in one synced write. Returns the number applied and the rejects
    /// `(row, kind, error)`.
    pub(crate) fn record_each(
        &mut self,
        rows: Vec<super::table::BulkRow>,
    ) -> Result<(u64, Vec<super::table::ModelReject>), CaseloadError> {
        if self.poisoned {
            return Err(CaseloadError::Poisoned);
        }
        let first = self.journal.next_seq();
        let mut accepted: Vec<Envelope<Event>> = Vec::new();
        let mut rejected = Vec::new();
        for (row, who, at, event) in rows {
            let env = Envelope {
                seq: first + accepted.len() as u64,
                who,
                at,
                event,
            };
            match self.caseload.apply(&env) {
                Ok(()) => accepted.push(env),
                Err(e) => rejected.push((row, env.event.kind(), e)),
            }
        }
        if !accepted.is_empty() {
            let result = self
                .journal
                .append_batch(accepted.iter().map(|e| (e.who.as_str(), e.at, &e.event)));
            if let Err(e) = result {
                // The events are applied in memory but not (all) on disk.
                self.poisoned = true;
                return Err(e.into());
            }
        }
        Ok((accepted.len() as u64, rejected))
    }

    /// Gives up the journal and returns the caseload.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::CaseloadJournal;
    /// let path = std::env::temp_dir().join(format!("cc-doc-cl-into-{}.journal", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let c = CaseloadJournal::open(&path)?.into_caseload();
    /// assert_eq!(c.applied(), 0);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_caseload(self) -> Caseload {
        self.caseload
    }
}
