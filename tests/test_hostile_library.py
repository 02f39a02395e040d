"""A clause library is content from outside the firm: hostile fragments fail cleanly, fast, and
touch nothing."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import MINI

from clausewright import pipeline
from clausewright.errors import LibraryError

HOSTILE = {
    "class escape": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ lipsum.__globals__ }}",
    "read a file": "{{ open('/etc/passwd').read() }}",
    "import": "{% import 'os' as os %}{{ os }}",
    "include": "{% include '/etc/passwd' %}",
    "billion loop": "{% for i in range(1000000000) %}{% endfor %}",
    "nested loops": "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}",
    "recursive macro": "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}",
    "gigabytes": "{{ 'x' * 1000000000 }}",
    "huge power": "{{ 10 ** 100000000 }}",
    "long output": "{% for i in range(10000) %}{{ 'y' * 999999 }}{% endfor %}",
    "ljust": "{{ 'a'.ljust(1000000000) }}",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_fragment_fails_clearly_and_quickly(name, tmp_path):
    lib = tmp_path / "library"
    shutil.copytree(MINI / "library", lib)
    clause = lib / "clauses" / "law.clause"
    clause.write_text(clause.read_text(encoding="utf-8") + "\n" + HOSTILE[name] + "\n", encoding="utf-8")
    sources = pipeline.load_sources(lib, MINI / "jurisdictions")
    before = sorted(p.name for p in tmp_path.iterdir())
    started = time.monotonic()
    with pytest.raises(LibraryError) as exc:
        pipeline.generate(MINI / "deal.yaml", tmp_path / "out.docx", sources=sources)
    assert time.monotonic() - started < 15
    assert "clause law" in str(exc.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
