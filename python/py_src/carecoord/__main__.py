"""The ``carecoord`` command line: ``python -m carecoord COMMAND ...``.

Commands
--------
schedule
    Plan the meetings of a ``carecoord.schedule.v1`` instance and write the solution::

        python -m carecoord schedule INSTANCE.json -o SOLUTION.json \\
            [--previous PREVIOUS.json] [--time-limit SECONDS] [--seed N]

    Without ``-o`` the solution goes to standard output. A file that cannot be read or is
    not a valid document ends the command with exit status 2 and a message naming the file
    and the JSON path of the problem (never a value from it).

Examples
--------
>>> from carecoord.__main__ import main
>>> main(["schedule", "missing.json"])
2
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys
from typing import Callable, Dict, List, Optional

from . import schedule
from .errors import ScheduleError

PROG = "python -m carecoord"


def _fail(command: str, message: str) -> int:
    sys.stderr.write(f"{PROG} {command}: error: {message}\n")
    return 2


def _read(path: pathlib.Path) -> str:
    return path.read_text(encoding="utf-8")


def _schedule(args: argparse.Namespace) -> int:
    files = {"instance": args.instance, "previous": args.previous}
    texts: Dict[str, str] = {}
    for argument, path in files.items():
        if path is None:
            continue
        try:
            texts[argument] = _read(path)
        except OSError as e:
            return _fail("schedule", f"{path}: cannot read: {e.strerror or e}")
        except UnicodeDecodeError:
            return _fail("schedule", f"{path}: not UTF-8 text")
    try:
        solution = schedule.solve(
            texts["instance"], texts.get("previous"), args.time_limit, seed=args.seed
        )
    except ScheduleError as e:
        path = files.get(e.argument or "instance") or args.instance
        return _fail("schedule", f"{path}: {e}")
    if args.output is None:
        sys.stdout.write(solution + "\n")
        return 0
    try:
        args.output.write_text(solution + "\n", encoding="utf-8")
    except OSError as e:
        return _fail("schedule", f"{args.output}: cannot write: {e.strerror or e}")
    return 0


def _seconds(text: str) -> float:
    value = float(text)
    if math.isnan(value) or value < 0:
        raise argparse.ArgumentTypeError("must be a non-negative number of seconds, or inf")
    return value


def _seed(text: str) -> int:
    value = int(text)
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError("must be an integer from 0 to 2**64 - 1")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser, one subcommand per capability."""
    p = argparse.ArgumentParser(prog=PROG, description="carecoord: care coordination for NHS teams.")
    commands = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    s = commands.add_parser(
        "schedule",
        help="plan the meetings of a carecoord.schedule.v1 instance",
        description="Plan the meetings of a carecoord.schedule.v1 instance and write the "
        "solution (placed meetings, unplaced ones with the ids that block them, series "
        "conflicts) as JSON.",
    )
    s.add_argument("instance", metavar="INSTANCE.json", type=pathlib.Path, help="the instance")
    s.add_argument(
        "-o",
        "--output",
        metavar="SOLUTION.json",
        type=pathlib.Path,
        help="write the solution here (default: standard output)",
    )
    s.add_argument(
        "--previous",
        metavar="PREVIOUS.json",
        type=pathlib.Path,
        help="an earlier solution whose assignments replace the instance's previous plan "
        "(moves from it are minimised)",
    )
    s.add_argument(
        "--time-limit",
        metavar="SECONDS",
        type=_seconds,
        default=None,
        help="search budget in seconds (default 1.5; inf for no limit)",
    )
    s.add_argument(
        "--seed", metavar="N", type=_seed, default=0, help="search seed (default 0)"
    )
    s.set_defaults(run=_schedule)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
