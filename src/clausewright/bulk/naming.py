"""Output file names: ``--name`` patterns, names safe on Windows and macOS, collisions, and the
guarantee that no name leads outside the output folder.

A pattern is text with fields in braces: ``{supplier_id}``, ``{row}`` or any parameter id
(``{supplier.name}``, ``{supplier.country}``, ``{agreement.date}``), each optionally followed by
filters: ``{supplier.name|slug}``, ``|upper``, ``|lower``. Values are the validated answers
(dates as YYYY-MM-DD). The result is then made safe: characters that Windows or macOS refuse in a
file name are replaced, reserved names (``CON``, ``NUL``...) are changed, leading dots and
trailing dots or spaces are removed, and it is cut to ``MAX_STEM`` characters. ``.docx`` and
``.answers.yaml`` are added to it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from pathvalidate import sanitize_filename
from slugify import slugify

from clausewright.bulk.layout import SUPPLIER_ID
from clausewright.errors import ClausewrightError, Problem, UsageError
from clausewright.inputs.schema import Schema

DEFAULT_PATTERN = "{supplier_id}-{supplier.name|slug}"
MAX_STEM = 120
DOCX, ANSWERS, PDF = ".docx", ".answers.yaml", ".pdf"
FILTERS = {
    "slug": lambda text: slugify(text, max_length=MAX_STEM, word_boundary=True),
    "upper": str.upper,
    "lower": str.lower,
}
_FIELD = re.compile(r"\{([^{}]*)\}")


class PatternError(UsageError):
    """A ``--name`` pattern that cannot work."""


class NamePattern:
    def __init__(self, pattern: str, schema: Schema):
        self.pattern = pattern
        self.pieces: list[str | tuple[str, list[str]]] = []
        position = 0
        for match in _FIELD.finditer(pattern):
            self.pieces.append(pattern[position : match.start()])
            name, *filters = [part.strip() for part in match.group(1).split("|")]
            if name not in (SUPPLIER_ID, "row"):
                param = schema.get(name)
                if param is None:
                    hint = schema.suggest(name)
                    raise PatternError(f"--name: {{{name}}} is not a field" + (f"; did you mean {{{hint}}}?" if hint else "; use supplier_id, row or a parameter id"))
                if param.type.name == "list":
                    raise PatternError(f"--name: {{{name}}} is a list and cannot be part of a file name")
            for f in filters:
                if f not in FILTERS:
                    raise PatternError(f"--name: unknown filter |{f}; filters are {', '.join('|' + k for k in FILTERS)}")
            self.pieces.append((name, filters))
            position = match.end()
        self.pieces.append(pattern[position:])
        rest = _FIELD.sub("", pattern)
        if "{" in rest or "}" in rest:
            raise PatternError("--name: unbalanced braces; fields are written {supplier_id} or {supplier.name|slug}")
        if not any(isinstance(p, tuple) for p in self.pieces):
            raise PatternError("--name: the pattern has no field, so every document would get the same name")

    def render(self, values: dict[str, Any]) -> str:
        """The safe file stem for one row; ``values`` maps field names to validated values."""
        out = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            name, filters = piece
            text = _text(values.get(name))
            for f in filters:
                text = FILTERS[f](text)
            out.append(text)
        return safe_stem("".join(out))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "-".join(_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def safe_stem(text: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    for _ in range(2):  # stripping can uncover a reserved name such as "CON"
        text = text.lstrip(". ")[:MAX_STEM].rstrip(". ")
        text = sanitize_filename(text, replacement_text="_", platform="universal", max_len=MAX_STEM)
    return text


def collision_key(stem: str) -> str:
    """Names that Windows or macOS would treat as the same file (case, Unicode normal form)."""
    return unicodedata.normalize("NFC", stem).casefold()


def collisions(named: list[tuple[int, str]]) -> list[Problem]:
    """``named`` is (row, stem) for every row to be written; one problem per clashing row."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row, stem in named:
        groups[collision_key(stem)].append((row, stem))
    problems = []
    for group in groups.values():
        if len(group) > 1:
            for row, stem in group:
                others = ", ".join(str(r) for r, _ in group if r != row)
                problems.append(Problem("--name", f"{stem}{DOCX} would also be the name of row {others}; make the names unique (e.g. with {{supplier_id}})", row))
    return sorted(problems, key=lambda p: p.row or 0)


def target(out_dir: Path, stem: str, suffix: str) -> Path:
    """The path of a file in ``out_dir``; raises if it would lead anywhere else."""
    if not stem or stem in (".", "..") or os.sep in stem or (os.altsep and os.altsep in stem):
        raise ClausewrightError(f"{stem!r} is not a usable file name")
    return inside(out_dir, f"{stem}{suffix}")


def inside(out_dir: Path, name: str) -> Path:
    """``out_dir / name``, resolved; raises if a link there leads outside ``out_dir``."""
    base = out_dir.resolve()
    path = base / name
    if path.resolve().parent != base:
        raise ClausewrightError(f"{name} would be written outside {out_dir} (it is a link to elsewhere)")
    return path
