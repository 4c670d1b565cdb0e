"""Tests of the package itself: version, stubs and the release-build check."""

from __future__ import annotations

import importlib.metadata
import pathlib
import subprocess
import sys

import carecoord
from carecoord import _native


def test_version_matches_distribution() -> None:
    assert carecoord.__version__ == _native.__version__
    assert carecoord.__version__ == importlib.metadata.version("carecoord")


def test_typed_package_ships_stubs() -> None:
    root = pathlib.Path(carecoord.__file__).parent
    assert (root / "py.typed").is_file()
    assert (root / "_native.pyi").is_file()


def test_release_build_imports_without_warning() -> None:
    # A debug build warns on import (as arro3's check_debug_build); `make wheel` builds
    # release, so importing with warnings as errors must succeed.
    assert _native.DEBUG_BUILD is False
    subprocess.run([sys.executable, "-W", "error", "-c", "import carecoord"], check=True)


def test_public_names() -> None:
    from carecoord import calendar, errors, ids

    for module in (calendar, errors, ids):
        for name in module.__all__:
            obj = getattr(module, name)
            assert getattr(obj, "__doc__", None) or not callable(obj), name
