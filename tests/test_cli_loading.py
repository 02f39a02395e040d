"""A command loads only what it needs: ``--help`` none of the commands' modules, ``generate``
not those of bulk runs, the wizard or the other commands, and ``import clausewright`` no package
metadata (a lawyer's wait for one agreement is mostly the start of the process)."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES

from clausewright.cli.main import COMMANDS

pytestmark = pytest.mark.timeout(300)

_LOADED = """
import json, sys
sys.argv = ["clausewright", *json.loads(sys.argv[1])]
from clausewright.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules_after(*args: str, cwd=ROOT) -> set[str]:
    """The modules a fresh process has loaded once ``clausewright ARGS`` has run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", _LOADED, json.dumps(list(args))], capture_output=True, text=True, env=env, cwd=cwd, timeout=240)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), proc.stderr
    return set(report["modules"])


def test_help_lists_every_command_with_its_own_summary():
    for name, (module, attribute, summary) in COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        assert command.name == name
        assert command.get_short_help_str(10**6) == summary, name


def test_help_loads_no_commands_module():
    loaded = _modules_after("--help")
    assert not {m for m in loaded if m.startswith("clausewright.") and m not in ("clausewright.cli", "clausewright.cli.main")}
    assert not {"jinja2", "yaml", "docx", "docxtpl", "lxml", "babel", "openpyxl"} & loaded


def test_generate_loads_neither_bulk_nor_the_wizard_nor_other_commands(tmp_path):
    loaded = _modules_after("generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(tmp_path / "a.docx"), "--no-page-numbers")
    assert (tmp_path / "a.docx").is_file()
    unwanted = {"clausewright.bulk.runner", "clausewright.wizard", "clausewright.cli.bulk", "clausewright.cli.qa", "clausewright.qa.diff",
                "clausewright.qa.library_check", "openpyxl", "questionary", "pypdf"}
    assert not unwanted & loaded


def test_the_version_is_read_without_package_metadata():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", "import sys, clausewright; print(clausewright.__version__, 'importlib.metadata' in sys.modules)"],
                          capture_output=True, text=True, env=env, timeout=60, check=True)
    version, metadata_loaded = proc.stdout.split()
    assert metadata_loaded == "False"
    assert version == importlib.metadata.version("clausewright")  # the version the package is installed as (pyproject.toml reads it from __init__.py)
