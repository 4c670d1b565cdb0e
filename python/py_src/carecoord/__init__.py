"""carecoord: care coordination for NHS teams.

Submodules
----------
ids
    NHS number, SNOMED CT identifier and ICD-10 code: scalar and vectorised validation.
calendar
    UK bank holidays, ``Europe/London`` time, service hours and deadlines.
caseload
    The caseload and patient flow as the fold of a durable event journal: referrals with
    response clocks, rota, tasks, stays; queries as pyarrow tables.
risk
    Charlson, Elixhauser, HFRS, eFI, LACE, HOSPITAL, custom models, tiers, cohort filters.
schedule
    Meeting planning (``carecoord.schedule.v1`` JSON), plan checking and diary queries;
    ``python -m carecoord schedule INSTANCE.json -o SOLUTION.json`` on the command line.
errors
    The exception classes (every one has a stable ``.code``).

Results of vectorised functions are pyarrow objects; polars users can call
``pl.from_arrow``, pandas users ``.to_pandas()``.

Examples
--------
>>> import carecoord
>>> carecoord.ids.nhs_number_is_valid("943 476 5919")
True
>>> carecoord.__version__ == carecoord._native.__version__
True
"""

from . import _native, calendar, caseload, errors, ids, risk, schedule

__version__: str = _native.__version__

__all__ = ["__version__", "calendar", "caseload", "errors", "ids", "risk", "schedule"]
