# Hand-written stubs for the compiled module `carecoord._native` (python/src/*.rs).
# Checked by `python -m mypy.stubtest carecoord._native` in `make test-python`.
# The public, documented API is carecoord.ids / carecoord.calendar; these functions only
# convert arguments. Arrow results are pyarrow objects, typed `Any` here so that the stubs
# need no pyarrow type information.

import os
from datetime import date, datetime, time, timedelta
from typing import Any, Dict, List, Optional, Protocol, Sequence, Tuple, Union, final

class _ArrowStreamExportable(Protocol):
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...

__all__ = [
    "__version__",
    "DEBUG_BUILD",
    "nhs_number_parse",
    "nhs_number_is_valid",
    "nhs_number_range",
    "nhs_number_with_check_digit",
    "nhs_number_mask",
    "nhs_number_to_spaced",
    "snomed_parse",
    "snomed_is_valid",
    "snomed_verhoeff_check_digit",
    "icd10_parse",
    "nhs_number_validate",
    "nhs_number_normalise",
    "nhs_number_reasons",
    "snomed_validate",
    "snomed_reasons",
    "icd10_clean_column",
    "icd10_reasons",
    "region_slug",
    "bank_holidays",
    "bank_holidays_between",
    "bank_holiday",
    "is_bank_holiday",
    "is_bank_holiday_column",
    "local_to_utc",
    "local_date",
    "elapsed_deadline",
    "ServiceHours",
    "risk_charlson",
    "risk_elixhauser",
    "risk_hfrs",
    "risk_efi",
    "risk_lace",
    "risk_hospital",
    "risk_tiers",
    "RiskModel",
    "CohortFilter",
    "schedule_solve",
    "schedule_evaluate",
    "schedule_series_conflicts",
    "schedule_series_occurrences",
    "schedule_meeting_time",
    "schedule_candidate_slots",
    "schedule_availability_email",
    "schedule_to_icalendar",
    "Diary",
    "Agenda",
    "ActionLog",
    "Caseload",
]

__version__: str
DEBUG_BUILD: bool

# ids
def nhs_number_parse(s: str) -> str: ...
def nhs_number_is_valid(s: str) -> bool: ...
def nhs_number_range(s: str) -> str: ...
def nhs_number_with_check_digit(first_nine: int) -> str: ...
def nhs_number_mask(s: str) -> str: ...
def nhs_number_to_spaced(s: str) -> str: ...
def snomed_parse(s: str, concept: bool = False) -> Tuple[int, str, bool, Optional[int]]: ...
def snomed_is_valid(s: str) -> bool: ...
def snomed_verhoeff_check_digit(body: int) -> int: ...
def icd10_parse(s: str) -> Tuple[str, str, str]: ...
def nhs_number_validate(column: _ArrowStreamExportable) -> Any: ...
def nhs_number_normalise(column: _ArrowStreamExportable) -> Any: ...
def nhs_number_reasons(column: _ArrowStreamExportable) -> Any: ...
def snomed_validate(column: _ArrowStreamExportable) -> Any: ...
def snomed_reasons(column: _ArrowStreamExportable) -> Any: ...
def icd10_clean_column(column: _ArrowStreamExportable) -> Any: ...
def icd10_reasons(column: _ArrowStreamExportable) -> Any: ...

# calendar
_HolidayRow = Tuple[date, str, str, str]

def region_slug(name: str) -> str: ...
def bank_holidays(region_name: str, year: int) -> List[_HolidayRow]: ...
def bank_holidays_between(region_name: str, start: date, end: date) -> List[_HolidayRow]: ...
def bank_holiday(region_name: str, date: date) -> Optional[_HolidayRow]: ...
def is_bank_holiday(region_name: str, date: date) -> bool: ...
def is_bank_holiday_column(region_name: str, column: _ArrowStreamExportable) -> Any: ...
def local_to_utc(local: datetime, how: str) -> datetime: ...
def local_date(instant: datetime) -> date: ...
def elapsed_deadline(start: datetime, within: timedelta) -> datetime: ...

@final
class ServiceHours:
    def __new__(
        cls, open: time, close: time, days: Sequence[int], closed_region: Optional[str]
    ) -> ServiceHours: ...
    @staticmethod
    def community_seven_day() -> ServiceHours: ...
    @staticmethod
    def weekday_office(region_name: str) -> ServiceHours: ...
    @staticmethod
    def ucr_national() -> ServiceHours: ...
    @property
    def open(self) -> time: ...
    @property
    def close(self) -> time: ...
    @property
    def days(self) -> List[int]: ...
    @property
    def closed_region(self) -> Optional[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def is_working_day(self, date: date) -> bool: ...
    def opening_on(self, date: date) -> Optional[Tuple[datetime, datetime]]: ...
    def is_open(self, instant: datetime) -> bool: ...
    def next_opening(self, instant: datetime) -> datetime: ...
    def service_time_between(self, start: datetime, end: datetime) -> timedelta: ...
    def deadline_in_service_hours(self, start: datetime, within: timedelta) -> datetime: ...
    def add_working_days(self, start: datetime, days: int) -> datetime: ...
    def working_days_between(self, start: date, end: date) -> int: ...
    def deadline_in_service_hours_column(
        self, starts: _ArrowStreamExportable, within: timedelta
    ) -> Any: ...

# risk
# (scores, rejects, explanations or None, (rows_in, rows_scored, rows_excluded,
#  rows_rejected, patients))
_RiskResult = Tuple[Any, Any, Optional[Any], Tuple[int, int, int, int, int]]

def risk_charlson(
    table: _ArrowStreamExportable,
    weights: str,
    patient: str,
    code: str,
    date: Optional[str],
    age: Optional[str],
    index_date: Optional[date],
    lookback_days: Optional[int],
    explain: bool,
) -> _RiskResult: ...
def risk_elixhauser(
    table: _ArrowStreamExportable,
    patient: str,
    code: str,
    date: Optional[str],
    index_date: Optional[date],
    lookback_days: Optional[int],
    explain: bool,
) -> _RiskResult: ...
def risk_hfrs(
    table: _ArrowStreamExportable,
    patient: str,
    code: str,
    date: Optional[str],
    index_date: Optional[date],
    lookback_days: Optional[int],
    explain: bool,
) -> _RiskResult: ...
def risk_efi(
    conditions: _ArrowStreamExportable,
    medications: Optional[_ArrowStreamExportable],
    codelist_csv: Optional[str],
    banding: str,
    patient: str,
    code: str,
    date: Optional[str],
    med_patient: str,
    med_code: str,
    med_date: Optional[str],
    index_date: Optional[date],
    lookback_days: Optional[int],
) -> _RiskResult: ...
def risk_lace(
    table: _ArrowStreamExportable,
    patient: str,
    stay: Optional[str],
    los_days: str,
    acute_admission: str,
    charlson: str,
    ed_visits_6m: str,
    los_convention: str,
) -> _RiskResult: ...
def risk_hospital(
    table: _ArrowStreamExportable,
    patient: str,
    stay: Optional[str],
    haemoglobin: str,
    haemoglobin_unit: str,
    oncology_discharge: str,
    sodium: str,
    procedure: str,
    urgent_admission: str,
    admissions_12m: str,
    los_days: str,
    los_convention: str,
) -> _RiskResult: ...
def risk_tiers(
    table: _ArrowStreamExportable, id: str, score: str, cuts: Sequence[float]
) -> _RiskResult: ...
@final
class RiskModel:
    def __new__(cls, spec_json: str) -> RiskModel: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    def to_json(self) -> str: ...
    def apply(self, table: _ArrowStreamExportable, id: str) -> _RiskResult: ...

@final
class CohortFilter:
    def __new__(cls) -> CohortFilter: ...
    @staticmethod
    def from_json(spec_json: str) -> CohortFilter: ...
    def to_json(self) -> str: ...
    def id_column(self, column: str) -> CohortFilter: ...
    def age_between(self, column: str, min: int, max: int) -> CohortFilter: ...
    def practice_in(self, column: str, practices: Sequence[str]) -> CohortFilter: ...
    def on_register(self, column: str) -> CohortFilter: ...
    def band_in(self, column: str, bands: Sequence[str]) -> CohortFilter: ...
    def score_at_least(self, column: str, threshold: float) -> CohortFilter: ...
    def not_on_caseload(self, column: str) -> CohortFilter: ...
    def not_on_caseload_ids(self, ids: Sequence[str]) -> CohortFilter: ...
    def no_contact_for_days(self, column: str, days: int, index_date: date) -> CohortFilter: ...
    def sort_by_score(self, column: str) -> CohortFilter: ...
    def label(self, column: str, label: str) -> CohortFilter: ...
    def apply(self, table: _ArrowStreamExportable) -> Any: ...

# schedule
def schedule_solve(
    instance: str,
    previous: Optional[str] = None,
    time_limit: Optional[float] = None,
    seed: int = 0,
) -> str: ...
def schedule_evaluate(instance: str, solution: str) -> Dict[str, Any]: ...
def schedule_series_conflicts(instance: str) -> List[Dict[str, Any]]: ...
@final
class Diary:
    def __new__(cls, instance: str, solution: Optional[str] = None) -> Diary: ...
    def earliest_common_slot(
        self,
        people: Sequence[str],
        preferred: Sequence[str],
        duration_minutes: int,
        earliest: Optional[datetime] = None,
        latest: Optional[datetime] = None,
        rooms: Union[str, Sequence[str], None] = None,
        needs_physical: bool = False,
    ) -> Optional[Dict[str, Any]]: ...
    def free_slots(
        self,
        people: Sequence[str],
        preferred: Sequence[str],
        duration_minutes: int,
        earliest: Optional[datetime] = None,
        latest: Optional[datetime] = None,
        rooms: Union[str, Sequence[str], None] = None,
        needs_physical: bool = False,
    ) -> List[Dict[str, Any]]: ...
    def who_blocks(
        self,
        people: Sequence[str],
        start: datetime,
        end: datetime,
        room: Optional[str] = None,
    ) -> List[str]: ...

# meeting work
# (id, title, start, end, room, required, preferred)
_MeetingArg = Tuple[str, str, datetime, datetime, Optional[str], Sequence[str], Sequence[str]]
# (patient_ref, label, risk_tier, breached, days_since_review, minutes, involved,
#  reason, key_problems, risk_scores [(name, value)], open_actions)
_ItemArg = Tuple[
    str,
    str,
    Optional[int],
    bool,
    Optional[int],
    Optional[int],
    Sequence[str],
    str,
    Sequence[str],
    Sequence[Tuple[str, str]],
    Sequence[str],
]

def schedule_series_occurrences(instance: str) -> List[Dict[str, Any]]: ...
def schedule_meeting_time(instance: str, solution: str, meeting_id: str) -> Dict[str, Any]: ...
def schedule_candidate_slots(
    instance: str,
    meeting_id: str,
    max_slots: int,
    earliest: Optional[datetime] = None,
    latest: Optional[datetime] = None,
) -> List[Dict[str, Any]]: ...
def schedule_availability_email(
    instance: str,
    meeting_id: str,
    slots: Optional[Sequence[Tuple[datetime, datetime, Optional[str]]]],
    reply_by: date,
    greeting: Optional[str] = None,
    sign_off: Optional[str] = None,
) -> Dict[str, str]: ...
def schedule_to_icalendar(
    instance: str,
    solution: str,
    domain: Optional[str] = None,
    prodid: Optional[str] = None,
    dtstamp: Optional[datetime] = None,
    sequence: int = 0,
    addresses: Optional[Dict[str, str]] = None,
) -> str: ...
@final
class Agenda:
    def __new__(
        cls,
        meeting: _MeetingArg,
        items: Sequence[_ItemArg],
        default_minutes: int,
        opening: Optional[Sequence[Tuple[str, int]]],
        closing: Optional[Sequence[Tuple[str, int]]],
        backfill: bool,
    ) -> Agenda: ...
    @property
    def meeting(self) -> Dict[str, Any]: ...
    @property
    def entries(self) -> List[Dict[str, Any]]: ...
    @property
    def deferred(self) -> List[Dict[str, Any]]: ...
    def to_markdown(self, person: Optional[str] = None) -> str: ...
    def to_html(self, person: Optional[str] = None) -> str: ...

@final
class ActionLog:
    def __new__(cls) -> ActionLog: ...
    @staticmethod
    def from_json(text: str) -> ActionLog: ...
    def add_minutes(
        self,
        meeting: _MeetingArg,
        attendees: Sequence[str],
        apologies: Sequence[str],
        decisions: Sequence[Tuple[Optional[str], str]],
        actions_json: str,
    ) -> int: ...
    def set_status(self, action_id: str, status: str, completed: Optional[date] = None) -> None: ...
    def overdue(self, as_of: date) -> Any: ...
    def chase_list(self, as_of: date) -> Any: ...
    def to_markdown(self) -> str: ...
    def to_html(self) -> str: ...
    def to_json(self) -> str: ...
    def __len__(self) -> int: ...

# caseload
@final
class Caseload:
    def __new__(cls) -> Caseload: ...
    @staticmethod
    def open(path: Union[str, os.PathLike[str]]) -> Caseload: ...
    @staticmethod
    def replay(path: Union[str, os.PathLike[str]]) -> Caseload: ...
    @property
    def last_seq(self) -> int: ...
    @property
    def is_durable(self) -> bool: ...
    def report_json(self) -> str: ...
    def record_json(self, who: str, at: datetime, event_json: str) -> int: ...
    def load_batch(
        self,
        table: _ArrowStreamExportable,
        event: Optional[str] = None,
        who: Optional[str] = None,
        recorded_at: Optional[datetime] = None,
    ) -> Tuple[Any, int, int]: ...
    def run_json(self, query_json: str) -> Any: ...
    def chase_list(self, today: date, logs: List[ActionLog]) -> Any: ...
    def run_json_text(self, query_json: str) -> str: ...
