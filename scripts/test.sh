#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run it.
# Creates .venv, installs clausewright with its test extras (a regular, non-editable install, so
# the tests exercise the package as users get it), installs LibreOffice when soffice is missing and
# Chromium with its driver when they are missing (browser tests of clausewright serve),
# runs ruff and mypy, and runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null 2>&1; then
  echo "Installing LibreOffice (needed to check generated documents)..."
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-writer-nogui >/dev/null
fi

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "Installing Chromium and its driver (the browser tests of clausewright serve)..."
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q ".[test]"
# Lint and type-check (configured in pyproject.toml), then the tests. pytest exits non-zero when a
# test fails and with 5 when no test ran: both fail this script.
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
