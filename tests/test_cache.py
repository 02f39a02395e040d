"""The cache of parsed library files, compiled fragments and fragment reads (cache.py) only ever
saves time: every document is byte for byte the one an uncached run makes, whatever state the
cache is in (stale after an edit, damaged, unwritable, filled by runs at the same time)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, need_soffice

from clausewright import cache

pytestmark = pytest.mark.timeout(300)

DEAL = SAMPLES / "vietnam-supplier.yaml"
KINDS = ("yaml", "jinja", "reads", "master-template")


def _env(cache_dir: Path | None, path: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (cache.DIR_VARIABLE, cache.OFF_VARIABLE)}
    if path is not None:
        env["PATH"] = f"{path}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT / "src")
    if cache_dir is None:
        env[cache.OFF_VARIABLE] = "1"
    else:
        env[cache.DIR_VARIABLE] = str(cache_dir)
    return env


def _start(out: Path, cache_dir: Path | None, *extra: str, layout: bool = False, path: Path | None = None) -> subprocess.Popen:
    """``clausewright generate`` of the Vietnam sample in a fresh process (so only the cache on
    disk carries anything over from an earlier run); ``layout``: with the contents' page numbers."""
    command = [sys.executable, "-m", "clausewright", "generate", str(DEAL), "-o", str(out), "--force", *([] if layout else ["--no-page-numbers"]), *extra]
    return subprocess.Popen(command, env=_env(cache_dir, path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _generate(out: Path, cache_dir: Path | None, *extra: str, layout: bool = False, path: Path | None = None) -> bytes:
    proc = _start(out, cache_dir, *extra, layout=layout, path=path)
    stdout, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 0, stdout + stderr
    assert "Traceback" not in stderr
    return out.read_bytes()


def _entries(cache_dir: Path) -> dict[str, list[Path]]:
    return {kind: sorted(p for p in (cache_dir / kind).glob("*") if p.is_file()) if (cache_dir / kind).is_dir() else [] for kind in KINDS}


def test_cached_and_uncached_documents_are_byte_identical(tmp_path):
    uncached = _generate(tmp_path / "uncached.docx", None)
    store = tmp_path / "cache"
    filling = _generate(tmp_path / "filling.docx", store)
    entries = _entries(store)
    assert all(entries[kind] for kind in KINDS), {kind: len(found) for kind, found in entries.items()}
    cached = _generate(tmp_path / "cached.docx", store)
    assert filling == uncached and cached == uncached
    assert _entries(store) == entries  # a warm run finds everything and adds nothing


def test_turned_off_the_cache_writes_nothing(tmp_path):
    env_dir = tmp_path / "cache"
    proc = subprocess.run([sys.executable, "-m", "clausewright", "generate", str(DEAL), "-o", str(tmp_path / "a.docx"), "--no-page-numbers"],
                          env={**_env(None), cache.DIR_VARIABLE: str(env_dir)}, capture_output=True, text=True, cwd=ROOT, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert not env_dir.exists()


def test_an_edit_to_a_firms_library_or_profiles_is_seen_by_the_next_run(tmp_path):
    """A firm's --library and --jurisdictions, cached, then edited: the next run drafts from the
    edited files, exactly as an uncached run does."""
    library, profiles = tmp_path / "library", tmp_path / "jurisdictions"
    shutil.copytree(ROOT / "clause_library", library)
    shutil.copytree(ROOT / "jurisdictions", profiles)
    sources = ("--library", str(library), "--jurisdictions", str(profiles))
    store = tmp_path / "cache"
    before = _generate(tmp_path / "before.docx", store, *sources)
    assert before == _generate(tmp_path / "before-uncached.docx", None, *sources)

    audit = library / "clauses" / "audit.clause"
    audit.write_text(audit.read_text(encoding="utf-8").replace("complete and accurate records", "complete, accurate and legible records"), encoding="utf-8")
    vietnam = profiles / "profiles" / "vietnam.yaml"
    vietnam.write_text(vietnam.read_text(encoding="utf-8").replace("confirm with local counsel before choosing courts", "confirm with counsel in Hanoi before choosing courts"),
                       encoding="utf-8")
    after = _generate(tmp_path / "after.docx", store, *sources)
    assert after != before
    assert after == _generate(tmp_path / "after-uncached.docx", None, *sources)
    text = _document_text(after)
    assert "complete, accurate and legible records" in text and "complete and accurate records" not in text


def _document_text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_a_damaged_cache_is_ignored_and_made_again(tmp_path, monkeypatch):
    store = tmp_path / "cache"
    reference = _generate(tmp_path / "reference.docx", store)
    damaged = 0
    for paths in _entries(store).values():
        for i, path in enumerate(paths):
            data = path.read_bytes()
            # cut short, one byte changed, emptied, replaced by text: each entry one way
            path.write_bytes([data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 0xFF]), b"", b"not a cache entry\n"][i % 4])
            damaged += 1
    assert damaged > 50
    assert _generate(tmp_path / "again.docx", store) == reference
    monkeypatch.setenv(cache.DIR_VARIABLE, str(store))
    monkeypatch.delenv(cache.OFF_VARIABLE, raising=False)
    for kind, paths in _entries(store).items():  # each damaged entry was made again
        assert paths and all(cache.Store(kind, "").get(path.name) is not None for path in paths), kind
    assert _generate(tmp_path / "third.docx", store) == reference


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path):
    reference = _generate(tmp_path / "reference.docx", None)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert _generate(tmp_path / "under-a-file.docx", blocker / "cache") == reference
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="the superuser writes into read-only folders")
def test_a_read_only_cache_folder_is_read_and_left_alone(tmp_path):
    store = tmp_path / "cache"
    reference = _generate(tmp_path / "reference.docx", store)
    before = _entries(store)
    for folder in [store, *(store / kind for kind in KINDS)]:
        folder.chmod(0o555)
    try:
        for path in before["jinja"][: len(before["jinja"]) // 2]:  # half the entries are missing, and cannot be written again
            path.chmod(0o644)
        assert _generate(tmp_path / "read-only.docx", store) == reference
    finally:
        for folder in [store, *(store / kind for kind in KINDS)]:
            folder.chmod(0o755)


def test_runs_at_the_same_time_fill_one_cache_safely(tmp_path):
    reference = _generate(tmp_path / "reference.docx", None)
    store = tmp_path / "cache"
    procs = [(tmp_path / f"run-{i}.docx", _start(tmp_path / f"run-{i}.docx", store)) for i in range(4)]
    for out, proc in procs:
        stdout, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, stdout + stderr
        assert out.read_bytes() == reference
    assert not [p for p in store.rglob("*") if p.name.endswith(".tmp")]  # no half-written entry is left
    assert _generate(tmp_path / "after.docx", store) == reference


def test_a_store_refuses_entries_it_did_not_write(tmp_path, monkeypatch):
    """An entry is found only under its own key, and only with its checksum intact."""
    monkeypatch.setenv(cache.DIR_VARIABLE, str(tmp_path))
    monkeypatch.delenv(cache.OFF_VARIABLE, raising=False)
    store = cache.Store("test", "salt")
    key = store.key("some text")
    assert key != store.key("some text ") and key != cache.Store("test", "other salt").key("some text")
    store.put(key, {"a": [1, 2.5, None, True, ("x",)]})
    assert store.get(key) == {"a": [1, 2.5, None, True, ("x",)]}
    path = tmp_path / "test" / key
    data = bytearray(path.read_bytes())
    data[-2] ^= 1
    path.write_bytes(bytes(data))
    assert store.get(key) is None
    store.put(key, object())  # not plain data: not kept, no error
    assert store.get(key) is None


@pytest.mark.skipif(sys.platform == "win32", reason="the LibreOffice stand-in is a shell script")
def test_a_document_is_laid_out_once_for_its_contents_page_numbers(tmp_path):
    """The layout pass (LibreOffice, seconds) runs once per document: the next run of the same
    document takes its pages from the cache, and the bytes are those of an uncached run."""
    real = need_soffice()
    calls, folder = tmp_path / "soffice-calls.log", tmp_path / "bin"
    folder.mkdir()
    stand_in = folder / "soffice"
    stand_in.write_text(f'#!/bin/sh\necho called >> "{calls}"\nexec "{real}" "$@"\n', encoding="utf-8")
    stand_in.chmod(0o755)
    store = tmp_path / "cache"
    uncached = _generate(tmp_path / "uncached.docx", None, layout=True, path=folder)
    assert calls.read_text().count("called") == 1
    first = _generate(tmp_path / "first.docx", store, layout=True, path=folder)
    second = _generate(tmp_path / "second.docx", store, layout=True, path=folder)
    assert calls.read_text().count("called") == 2  # the second cached run laid nothing out
    assert first == uncached and second == uncached
    assert b"PAGEREF" in zipfile.ZipFile(io.BytesIO(second)).read("word/document.xml")
