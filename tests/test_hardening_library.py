"""Hostile libraries beyond fragments (those are in test_hostile_library.py): YAML that tries to
run code, overwrite keys or expand aliases without bound, and house templates (--template) that
are not DOCX packages, are zip bombs, or lack parts. Each fails fast with a clear error, and the
command line prints it without a traceback."""

from __future__ import annotations

import shutil
import struct
import time
import zipfile
from pathlib import Path

import pytest
from bulk_helpers import MINI_OPTIONS
from click.testing import CliRunner
from conftest import MINI

from clausewright import pipeline, resources, yamlio
from clausewright.cli.main import cli
from clausewright.errors import EXIT_INPUT, EXIT_LIBRARY, ClausewrightError, TemplateError

pytestmark = pytest.mark.timeout(120)

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.fixture
def sources_dirs(tmp_path):
    lib, jur = tmp_path / "library", tmp_path / "jurisdictions"
    shutil.copytree(MINI / "library", lib)
    shutil.copytree(MINI / "jurisdictions", jur)
    return lib, jur


def _cli_generate(tmp_path: Path, *options: str):
    return CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(tmp_path / "o.docx"), *options])


def _assert_clear(result, *needles: str, status: int = EXIT_LIBRARY):
    """One clear message, and the exit status of a broken library (or of invalid input)."""
    assert result.exit_code == status, result.output
    assert result.output.startswith("Error: ") and "Traceback" not in result.output and "internal error" not in result.output, result.output
    for needle in needles:
        assert needle in result.output, result.output


# --- YAML ---------------------------------------------------------------------------------------------

YAML_ATTACKS = {
    "python object tag": ("!!python/object/apply:os.system ['touch {marker}']", "could not determine a constructor"),
    "python name tag": ("!!python/name:os.system", "could not determine a constructor"),
    "duplicate key": ("id: vietnam\nid: singapore", "duplicate key 'id'"),
    "billion laughs": (BILLION_LAUGHS, "refusing to expand"),
}


@pytest.mark.parametrize("where", ["profile", "parameters"])
@pytest.mark.parametrize("attack", list(YAML_ATTACKS))
def test_hostile_yaml_in_library_or_profile(sources_dirs, tmp_path, attack, where):
    lib, jur = sources_dirs
    text, message = YAML_ATTACKS[attack]
    marker = tmp_path / "pwned"
    text = text.format(marker=marker)
    target = jur / "profiles" / "vietnam.yaml" if where == "profile" else lib / "parameters" / "main.yaml"
    original = target.read_text(encoding="utf-8")
    if attack == "duplicate key":
        first = original.splitlines()[0]  # a top-level key, written again at the end
        target.write_text(original + "\n" + first + "\n", encoding="utf-8")
        message = f"duplicate key {first.split(':')[0]!r}"
    elif attack == "billion laughs":
        target.write_text(original + "\nbomb:\n" + "".join("  " + line + "\n" for line in text.splitlines()), encoding="utf-8")
    else:
        target.write_text(original + f"\nevil: {text}\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ClausewrightError) as exc:  # a broken profile is refused once a deal chooses it (the mini deal does)
        pipeline.generate(MINI / "deal.yaml", None, sources=pipeline.load_sources(lib, jur))
    assert time.monotonic() - started < 5
    assert str(target) in str(exc.value) and message in str(exc.value), str(exc.value)
    assert not marker.exists()
    result = _cli_generate(tmp_path, "--library", str(lib), "--jurisdictions", str(jur))
    _assert_clear(result, message)
    assert not (tmp_path / "o.docx").exists() and not marker.exists()


def test_hostile_yaml_in_a_deal_file(tmp_path):
    # deal files are read with every tag ignored: a Python tag is plain data, here a list where a mapping belongs
    for text, message in (("buyer: !!python/object/apply:os.system ['id']\n", "buyer: unknown field"),
                          ("buyer: {name: A}\nbuyer: {name: B}\n", "duplicate key 'buyer'"), (BILLION_LAUGHS, "refusing to expand")):
        deal = tmp_path / "d.yaml"
        deal.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["generate", str(deal), "-o", str(tmp_path / "o.docx"), *MINI_OPTIONS])
        _assert_clear(result, message, str(deal), status=EXIT_INPUT)


def test_answers_files_keep_every_character():
    """What clausewright writes as YAML (answers files, wizard sessions) reads back exactly."""
    from fixtures.hostile_values import VALUES

    for label, value in VALUES:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            continue
        data = {"buyer": {"name": value}}
        assert yamlio.load_text(yamlio.dump(data), answers=True) == data, label


# --- house templates ------------------------------------------------------------------------------------


def _master_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(resources.master_template()) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def _template(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _bomb(path: Path, *, name: str, size: int, lie: bool) -> Path:
    """The master template plus a part of ``size`` zero bytes (about 1/1000 of that compressed);
    with ``lie``, its headers declare 1,000 bytes instead."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in _master_parts().items():
            if part != name:
                z.writestr(part, data)
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w") as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
    if lie:
        data = bytearray(path.read_bytes())
        encoded = name.encode()
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
            at = data.find(signature + b"")
            while at != -1:
                name_at = at + (30 if signature == b"PK\x03\x04" else 46)
                if data[name_at : name_at + len(encoded)] == encoded:
                    struct.pack_into("<I", data, at + offset, 1000)
                at = data.find(signature, at + 4)
        path.write_bytes(bytes(data))
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


def _bombs(path: Path, *, count: int, size: int) -> Path:
    """The master template plus ``count`` parts of ``size`` zero bytes each, each under the
    limit for one part, together over the limit for a package."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in _master_parts().items():
            z.writestr(part, data)
        for index in range(count):
            with z.open(f"word/media/zeros{index}.bin", "w") as fh:
                for _ in range(size >> 20):
                    fh.write(b"\0" * (1 << 20))
    return path


TEMPLATES = {
    "not a zip": (lambda p: (p.write_bytes(b"this is not a Word document\n" * 10), p)[1], "not a DOCX file"),
    "empty file": (lambda p: (p.write_bytes(b""), p)[1], "not a DOCX file"),
    "truncated zip": (lambda p: (p.write_bytes(resources.master_template().read_bytes()[:5000]), p)[1], "not a DOCX file"),
    "missing styles": (lambda p: _template(p, {k: v for k, v in _master_parts().items() if k != "word/styles.xml"}), "missing word/styles.xml"),
    "missing document": (lambda p: _template(p, {k: v for k, v in _master_parts().items() if k != "word/document.xml"}), "missing word/document.xml"),
    "missing numbering": (lambda p: _template(p, {k: v for k, v in _master_parts().items() if k != "word/numbering.xml"}), "missing word/numbering.xml"),
    "empty zip": (lambda p: _template(p, {}), "missing [Content_Types].xml"),
    "styles not xml": (lambda p: _template(p, {**_master_parts(), "word/styles.xml": b"<w:styles"}), "word/styles.xml is not well-formed"),
    "too many parts": (lambda p: _template(p, {**_master_parts(), **{f"word/media/x{i}.bin": b"x" for i in range(300)}}), "parts in the package"),
    "zip bomb declared": (lambda p: _bomb(p, name="word/media/zeros.bin", size=200 << 20, lie=False), "word/media/zeros.bin unpacks to 209,715,200 bytes"),
    "zip bomb in many parts": (lambda p: _bombs(p, count=3, size=40 << 20), "the package unpacks to"),
    "zip bomb lying styles": (lambda p: _bomb(p, name="word/styles.xml", size=200 << 20, lie=True), "word/styles.xml"),
    "zip bomb lying part": (lambda p: _bomb(p, name="word/settings.xml", size=200 << 20, lie=True), "word/settings.xml"),
}


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_bad_house_template_is_refused_clearly(tmp_path, kind):
    make, message = TEMPLATES[kind]
    path = make(tmp_path / "house.docx")
    started = time.monotonic()
    with pytest.raises(TemplateError) as exc:
        sources = pipeline.load_sources(MINI / "library", MINI / "jurisdictions", path)
        pipeline.generate(MINI / "deal.yaml", None, sources=sources)  # a template is also used whole when rendering
    assert time.monotonic() - started < 10
    assert str(path) in str(exc.value) and message in str(exc.value), str(exc.value)
    result = _cli_generate(tmp_path, *MINI_OPTIONS, "--template", str(path))
    _assert_clear(result, message)
    assert not (tmp_path / "o.docx").exists()


def test_oversized_template_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.docx"
    with open(path, "wb") as fh:
        fh.truncate(25 * 1024 * 1024)  # sparse: no disk space used
    result = _cli_generate(tmp_path, *MINI_OPTIONS, "--template", str(path))
    _assert_clear(result, "the limit is")


@pytest.mark.parametrize("text", ["a: " + "[" * 5000 + "]" * 5000, "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 3000))])
def test_deeply_nested_yaml_is_a_clear_error(tmp_path, text):
    deal = tmp_path / "deal.yaml"
    deal.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["generate", str(deal), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == EXIT_INPUT, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "o.docx").exists()
