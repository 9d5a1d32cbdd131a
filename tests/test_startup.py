"""Start-up: the commands that read no drawing import no drawing library (issue 16.2).

Structural, not timed: each command runs in a fresh interpreter, which then reports the modules it
imported. ezdxf alone costs about 0.45 s to import and networkx, shapely and numpy another 0.3 s, so
a command that pulls one in by accident is slow again however fast the machine."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

HEAVY = ("ezdxf", "shapely", "numpy", "networkx", "scipy", "matplotlib", "PIL", "fpdf", "openpyxl", "ezdwg",
         "fontTools", "pyparsing")

PROBE = """
import contextlib, io, json, sys
from layoutcheck.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def imported_by(*args: str) -> dict:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("args", [("--version",), ("rules",), ("explain", "access.route"), ("standards", "list"),
                                  ("standards", "show", "kaifeng-2014"), ("conventions",)])
def test_commands_that_read_no_drawing_import_no_drawing_library(args):
    got = imported_by(*args)
    assert got["code"] == 0
    assert got["out"].strip()  # the command did its work
    assert [m for m in HEAVY if m in got["modules"]] == []


def test_version_imports_neither_rules_nor_rich():
    got = imported_by("--version")
    assert got["out"].strip() == "layoutcheck, version 0.1.0"
    assert "rich" not in got["modules"]
    run = subprocess.run([sys.executable, "-c", PROBE + "\nprint(sorted(m for m in sys.modules if m.startswith("
                          "'layoutcheck.rules')))", "--version"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_rules_lists_every_rule_of_the_registry():
    """`rules` without the geometry still registers every rule: the same ids as a full import."""
    from layoutcheck.rules import REGISTRY

    listed = {line.split()[0] for line in imported_by("rules")["out"].splitlines()
              if line.strip() and line.split()[0] in REGISTRY}
    assert listed == set(REGISTRY)


def test_the_package_api_still_resolves():
    """`from layoutcheck import …` works for every name in __all__; `measure` is the function."""
    code = ("import layoutcheck, sys; names = [getattr(layoutcheck, n) for n in layoutcheck.__all__]; "
            "import layoutcheck.measure; print(callable(layoutcheck.measure), layoutcheck.build_report.__name__, "
            "layoutcheck.read_plan.__module__)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.stdout.split() == ["True", "build", "layoutcheck.ingest"], run.stderr
