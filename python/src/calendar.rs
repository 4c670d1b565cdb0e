//! `carecoord::calendar` for Python: bank holidays, `Europe/London` time, service hours.
//!
//! Argument conversion only; every call goes through `boundary`. Instants arrive as
//! `DateTime<Utc>` (the Python layer converts aware datetimes to UTC and rejects naive ones)
//! and leave as UTC-aware datetimes. The public, documented API is `carecoord/calendar.py`.
//!
//! The column functions convert each Arrow value to a chrono value and call the scalar core
//! function on it: the core has no Arrow API for calendars (yet).

use std::str::FromStr;
use std::sync::Arc;

use arrow_array::builder::BooleanBufferBuilder;
use arrow_array::cast::AsArray;
use arrow_array::temporal_conversions::{as_date, as_datetime};
use arrow_array::types::{
    ArrowTimestampType, Date32Type, Date64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, BooleanArray, PrimitiveArray};
use arrow_schema::{DataType, TimeUnit};
use carecoord::calendar::{
    self as core, BankHoliday, BankHolidayPolicy, CalendarError, Disambiguation, HolidaySource,
    Region,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday};
use pyo3::prelude::*;
use pyo3_arrow::PyChunkedArray;

use crate::boundary::{enter_core, enter_core_ok, join_chunks, to_pyarrow};
use crate::errors::BindingError;

/// One bank holiday as `(date, title, region slug, source)`.
type HolidayRow = (NaiveDate, &'static str, &'static str, &'static str);

fn holiday_row(h: BankHoliday) -> HolidayRow {
    let source = match h.source {
        HolidaySource::Table => "table",
        HolidaySource::Rules => "rules",
    };
    (h.date, h.title, h.region.as_str(), source)
}

fn region(name: &str) -> Result<Region, CalendarError> {
    Region::from_str(name)
}

/// The canonical slug of a region name (`wales` -> `england-and-wales`).
#[pyfunction]
fn region_slug(py: Python<'_>, name: String) -> PyResult<&'static str> {
    enter_core(py, move || region(&name).map(Region::as_str))
}

/// Bank holidays of `region` in `year`.
#[pyfunction]
fn bank_holidays(py: Python<'_>, region_name: String, year: i32) -> PyResult<Vec<HolidayRow>> {
    enter_core(py, move || {
        core::bank_holidays(region(&region_name)?, year)
            .map(|v| v.into_iter().map(holiday_row).collect())
    })
}

/// Bank holidays of `region` from `start` to `end`, both inclusive.
#[pyfunction]
fn bank_holidays_between(
    py: Python<'_>,
    region_name: String,
    start: NaiveDate,
    end: NaiveDate,
) -> PyResult<Vec<HolidayRow>> {
    enter_core(py, move || {
        core::bank_holidays_between(region(&region_name)?, start, end)
            .map(|v| v.into_iter().map(holiday_row).collect())
    })
}

/// The bank holiday of `region` on `date`, if any.
#[pyfunction]
fn bank_holiday(
    py: Python<'_>,
    region_name: String,
    date: NaiveDate,
) -> PyResult<Option<HolidayRow>> {
    enter_core(py, move || {
        region(&region_name).map(|r| core::bank_holiday(r, date).map(holiday_row))
    })
}

/// Whether `date` is a bank holiday in `region`.
#[pyfunction]
fn is_bank_holiday(py: Python<'_>, region_name: String, date: NaiveDate) -> PyResult<bool> {
    enter_core(py, move || {
        region(&region_name).map(|r| core::is_bank_holiday(r, date))
    })
}

/// Call `f` with the date of each row of a `date32`/`date64` column (`None` for nulls).
fn for_each_date(
    array: &dyn Array,
    mut f: impl FnMut(Option<NaiveDate>),
) -> Result<(), BindingError> {
    macro_rules! dates {
        ($t:ty) => {{
            let a = array.as_primitive::<$t>();
            for i in 0..a.len() {
                if a.is_null(i) {
                    f(None);
                } else {
                    let d = as_date::<$t>(i64::from(a.value(i)))
                        .ok_or(BindingError::OutOfRange { what: "date" })?;
                    f(Some(d));
                }
            }
        }};
    }
    match array.data_type() {
        DataType::Date32 => dates!(Date32Type),
        DataType::Date64 => dates!(Date64Type),
        other => {
            return Err(BindingError::UnsupportedColumn {
                what: "date",
                data_type: other.to_string(),
                expected: "date32 or date64",
            })
        }
    }
    Ok(())
}

/// The unit of a timestamp column that has a time zone; the error for any other column.
fn instant_unit(data_type: &DataType) -> Result<TimeUnit, BindingError> {
    match data_type {
        DataType::Timestamp(unit, Some(_)) => Ok(*unit),
        DataType::Timestamp(_, None) => Err(BindingError::NaiveTimestampColumn),
        other => Err(BindingError::UnsupportedColumn {
            what: "instant",
            data_type: other.to_string(),
            expected: "timestamp with a time zone",
        }),
    }
}

/// Call `f` with the instant of each row of a timestamp column that has a time zone.
fn for_each_instant(
    array: &dyn Array,
    mut f: impl FnMut(Option<DateTime<Utc>>) -> Result<(), BindingError>,
) -> Result<(), BindingError> {
    fn run<T: ArrowTimestampType>(
        array: &dyn Array,
        f: &mut impl FnMut(Option<DateTime<Utc>>) -> Result<(), BindingError>,
    ) -> Result<(), BindingError> {
        let a = array.as_primitive::<T>();
        for i in 0..a.len() {
            if a.is_null(i) {
                f(None)?;
            } else {
                // Arrow timestamps with a time zone count from the UTC epoch.
                let t = as_datetime::<T>(a.value(i))
                    .ok_or(BindingError::OutOfRange { what: "timestamp" })?;
                f(Some(t.and_utc()))?;
            }
        }
        Ok(())
    }
    match instant_unit(array.data_type())? {
        TimeUnit::Second => run::<TimestampSecondType>(array, &mut f),
        TimeUnit::Millisecond => run::<TimestampMillisecondType>(array, &mut f),
        TimeUnit::Microsecond => run::<TimestampMicrosecondType>(array, &mut f),
        TimeUnit::Nanosecond => run::<TimestampNanosecondType>(array, &mut f),
    }
}

/// Whether each row of a date column or time-zoned timestamp column (taken at its
/// `Europe/London` date) is a bank holiday in `region`. Input nulls are shared.
fn bank_holiday_flags(array: &dyn Array, region: Region) -> Result<BooleanArray, BindingError> {
    let mut flags = BooleanBufferBuilder::new(array.len());
    if let DataType::Timestamp(..) = array.data_type() {
        for_each_instant(array, |t| {
            flags.append(t.is_some_and(|t| core::is_bank_holiday(region, core::local_date(t))));
            Ok(())
        })?;
    } else {
        for_each_date(array, |d| {
            flags.append(d.is_some_and(|d| core::is_bank_holiday(region, d)))
        })?;
    }
    Ok(BooleanArray::new(flags.finish(), array.logical_nulls()))
}

/// Vectorised `is_bank_holiday` over a date or time-zoned timestamp column.
#[pyfunction]
fn is_bank_holiday_column<'py>(
    py: Python<'py>,
    region_name: String,
    column: PyChunkedArray,
) -> PyResult<Bound<'py, PyAny>> {
    let r = enter_core(py, move || region(&region_name))?;
    let (chunks, field) = column.into_inner();
    let out = enter_core(py, move || -> Result<ArrayRef, BindingError> {
        let flags = |a: &dyn Array| bank_holiday_flags(a, r).map(|b| Arc::new(b) as ArrayRef);
        join_chunks(&chunks, field.data_type(), flags)
    })?;
    to_pyarrow(py, out)
}

/// `Reject`, `Earlier` or `Later` from its Python spelling.
fn disambiguation(name: &str) -> Option<Disambiguation> {
    match name {
        "reject" => Some(Disambiguation::Reject),
        "earlier" => Some(Disambiguation::Earlier),
        "later" => Some(Disambiguation::Later),
        _ => None,
    }
}

/// A `Europe/London` wall-clock time as a UTC instant.
#[pyfunction]
fn local_to_utc(py: Python<'_>, local: NaiveDateTime, how: String) -> PyResult<DateTime<Utc>> {
    let how = disambiguation(&how).ok_or(BindingError::UnknownDisambiguation)?;
    enter_core(py, move || core::local_to_utc(local, how))
}

/// The `Europe/London` date of an instant.
#[pyfunction]
fn local_date(py: Python<'_>, instant: DateTime<Utc>) -> NaiveDate {
    enter_core_ok(py, move || core::local_date(instant))
}

/// The wall-clock deadline `within` after `start`.
#[pyfunction]
fn elapsed_deadline(py: Python<'_>, start: DateTime<Utc>, within: TimeDelta) -> DateTime<Utc> {
    enter_core_ok(py, move || core::elapsed_deadline(start, within))
}

/// A service calendar (`carecoord::calendar::ServiceHours`).
#[pyclass(frozen, eq, hash, module = "carecoord._native", name = "ServiceHours")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyServiceHours(core::ServiceHours);

fn policy_region(policy: BankHolidayPolicy) -> Option<&'static str> {
    match policy {
        BankHolidayPolicy::Worked => None,
        BankHolidayPolicy::Closed(r) => Some(r.as_str()),
    }
}

#[pymethods]
impl PyServiceHours {
    /// `days` are `date.weekday()` numbers (0 = Monday); `closed_region` is `None` when
    /// bank holidays are worked.
    #[new]
    #[pyo3(signature = (open, close, days, closed_region))]
    fn new(
        py: Python<'_>,
        open: NaiveTime,
        close: NaiveTime,
        days: Vec<u8>,
        closed_region: Option<String>,
    ) -> PyResult<Self> {
        let days = days
            .into_iter()
            .map(Weekday::try_from)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| BindingError::BadWeekday)?;
        enter_core(py, move || {
            let policy = match closed_region {
                None => BankHolidayPolicy::Worked,
                Some(name) => BankHolidayPolicy::Closed(region(&name)?),
            };
            core::ServiceHours::new(open, close, &days, policy).map(Self)
        })
    }

    #[staticmethod]
    fn community_seven_day() -> Self {
        Self(core::ServiceHours::community_seven_day())
    }

    #[staticmethod]
    fn weekday_office(py: Python<'_>, region_name: String) -> PyResult<Self> {
        enter_core(py, move || {
            region(&region_name).map(|r| Self(core::ServiceHours::weekday_office(r)))
        })
    }

    #[staticmethod]
    fn ucr_national() -> Self {
        Self(core::ServiceHours::ucr_national())
    }

    #[getter]
    fn open(&self) -> NaiveTime {
        self.0.open()
    }

    #[getter]
    fn close(&self) -> NaiveTime {
        self.0.close()
    }

    /// The service days as `date.weekday()` numbers, Monday first.
    #[getter]
    fn days(&self) -> Vec<u8> {
        self.0
            .days()
            .iter(Weekday::Mon)
            .map(|d| d.num_days_from_monday() as u8)
            .collect()
    }

    /// The region whose bank holidays close the service, `None` if they are worked.
    #[getter]
    fn closed_region(&self) -> Option<&'static str> {
        policy_region(self.0.bank_holidays())
    }

    fn is_working_day(&self, py: Python<'_>, date: NaiveDate) -> bool {
        enter_core_ok(py, || self.0.is_working_day(date))
    }

    fn opening_on(
        &self,
        py: Python<'_>,
        date: NaiveDate,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        enter_core_ok(py, || self.0.opening_on(date))
    }

    fn is_open(&self, py: Python<'_>, instant: DateTime<Utc>) -> bool {
        enter_core_ok(py, || self.0.is_open(instant))
    }

    fn next_opening(&self, py: Python<'_>, instant: DateTime<Utc>) -> PyResult<DateTime<Utc>> {
        enter_core(py, || self.0.next_opening(instant))
    }

    fn service_time_between(
        &self,
        py: Python<'_>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> TimeDelta {
        enter_core_ok(py, || self.0.service_time_between(start, end))
    }

    fn deadline_in_service_hours(
        &self,
        py: Python<'_>,
        start: DateTime<Utc>,
        within: TimeDelta,
    ) -> PyResult<DateTime<Utc>> {
        enter_core(py, || self.0.deadline_in_service_hours(start, within))
    }

    fn add_working_days(
        &self,
        py: Python<'_>,
        start: DateTime<Utc>,
        days: u32,
    ) -> PyResult<DateTime<Utc>> {
        enter_core(py, || self.0.add_working_days(start, days))
    }

    fn working_days_between(&self, py: Python<'_>, start: NaiveDate, end: NaiveDate) -> i64 {
        enter_core_ok(py, || self.0.working_days_between(start, end))
    }

    /// Vectorised `deadline_in_service_hours` over a time-zoned timestamp column: a
    /// `timestamp[<same unit>, tz=UTC]` array; the first row error is raised.
    fn deadline_in_service_hours_column<'py>(
        &self,
        py: Python<'py>,
        starts: PyChunkedArray,
        within: TimeDelta,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (chunks, field) = starts.into_inner();
        let out = enter_core(py, || -> Result<ArrayRef, BindingError> {
            let deadlines = |a: &dyn Array| deadline_column(&self.0, a, within);
            join_chunks(&chunks, field.data_type(), deadlines)
        })?;
        to_pyarrow(py, out)
    }
}

/// Deadlines of one chunk, in the chunk's timestamp unit, time zone UTC.
fn deadline_column(
    hours: &core::ServiceHours,
    array: &dyn Array,
    within: TimeDelta,
) -> Result<ArrayRef, BindingError> {
    fn build<T: ArrowTimestampType>(
        hours: &core::ServiceHours,
        array: &dyn Array,
        within: TimeDelta,
    ) -> Result<ArrayRef, BindingError> {
        let mut out: Vec<Option<i64>> = Vec::with_capacity(array.len());
        for_each_instant(array, |t| {
            let v = match t {
                None => None,
                Some(t) => {
                    let due = hours.deadline_in_service_hours(t, within)?;
                    Some(
                        T::from_datetime(due)
                            .ok_or(BindingError::OutOfRange { what: "timestamp" })?,
                    )
                }
            };
            out.push(v);
            Ok(())
        })?;
        Ok(Arc::new(
            out.into_iter()
                .collect::<PrimitiveArray<T>>()
                .with_timezone("UTC"),
        ))
    }
    match instant_unit(array.data_type())? {
        TimeUnit::Second => build::<TimestampSecondType>(hours, array, within),
        TimeUnit::Millisecond => build::<TimestampMillisecondType>(hours, array, within),
        TimeUnit::Microsecond => build::<TimestampMicrosecondType>(hours, array, within),
        TimeUnit::Nanosecond => build::<TimestampNanosecondType>(hours, array, within),
    }
}

/// Add this module's functions and classes to `_native`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(region_slug, m)?)?;
    m.add_function(wrap_pyfunction!(bank_holidays, m)?)?;
    m.add_function(wrap_pyfunction!(bank_holidays_between, m)?)?;
    m.add_function(wrap_pyfunction!(bank_holiday, m)?)?;
    m.add_function(wrap_pyfunction!(is_bank_holiday, m)?)?;
    m.add_function(wrap_pyfunction!(is_bank_holiday_column, m)?)?;
    m.add_function(wrap_pyfunction!(local_to_utc, m)?)?;
    m.add_function(wrap_pyfunction!(local_date, m)?)?;
    m.add_function(wrap_pyfunction!(elapsed_deadline, m)?)?;
    m.add_class::<PyServiceHours>()?;
    Ok(())
}
