"""The light markup of clause bodies (docs/library-format.md §4), parsed into paragraphs.

Runs after Jinja: deal values arrive as literal tokens, so nothing a user typed is ever read as
markup. Parsing errors name the clause and the line.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from clausewright.assembly.model import (
    Inline,
    Paragraph,
    Placeholder,
    Ref,
    TermDef,
    TermUse,
    Text,
)
from clausewright.jinja import LITERAL, LITERAL_OPEN

MAX_LEVEL = 4
_ANCHOR = re.compile(r"\{#([A-Za-z0-9][A-Za-z0-9-]*)\}\s*")
_ANY_ANCHOR = re.compile(r"^\s*\++\s*\{#([A-Za-z0-9][A-Za-z0-9-]*)\}", re.M)
# Every alternative starts with a literal character, so the regex engine can skip plain text
# quickly (a leading group would make it try every alternative at every position).
_INLINE = re.compile(
    r"""\\(?P<escaped>.)
      | \[\[(?P<term>[^\]|]+?)(?:\|(?P<display>[^\]]+?))?\]\]
      | ""(?P<define>[^"]+?)""
      | <<(?P<ref>\.?[a-z0-9][a-z0-9.-]*)>>
      | \[\?(?P<placeholder>.+?)\?\]
      | \*(?P<bold>\*)
    """,
    re.X | re.S,
)
DIRECTIVE_DEFINITIONS = "::definitions"
_STRAY = ("[[", "]]", "<<", ">>", '""', "[?", "?]")
_ANY_STRAY = re.compile("|".join(re.escape(s) for s in _STRAY))


def anchors_written(source: str, clause_id: str) -> list[str]:
    """The anchors a clause body gives its paragraphs (``+ {#records}``), as references name them
    (``audit.records``), whichever paragraphs a deal keeps."""
    return sorted({f"{clause_id}.{a}" for a in _ANY_ANCHOR.findall(source)})


class MarkupError(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.reason = line, message
        super().__init__(f"line {line}: {message}")


_PARSED: OrderedDict[tuple[str, str, tuple[str, ...]], list[Paragraph]] = OrderedDict()
MAX_CACHED = 256  # least recently used first out: clauses that never vary stay


def parse_cached(text: str, clause_id: str, literals: list[str]) -> list[Paragraph]:
    """``parse``, remembering the result: most clauses render to the same text, with the same
    values, for every supplier of a bulk run. Returns fresh copies the caller may change."""
    key = (clause_id, text, tuple(literals))
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = parse(text, clause_id, literals)
        _PARSED[key] = parsed
        if len(_PARSED) > MAX_CACHED:
            _PARSED.popitem(last=False)
    else:
        _PARSED.move_to_end(key)
    return [p.clone() for p in parsed]


def parse(text: str, clause_id: str, literals: list[str]) -> list[Paragraph]:
    """Split rendered markup into paragraphs with their inline pieces."""
    blocks = _blocks(text)
    paragraphs: list[Paragraph] = []
    last_level = 0
    for line, kind, payload in blocks:
        if kind == "directive":
            paragraphs.append(Paragraph(kind="directive", level=last_level, inlines=[Text(payload)], line=line))
            continue
        if kind == "table":
            rows = [[inlines(cell.strip(), clause_id, literals, line) for cell in _cells(row)] for row in payload]
            widths = {len(r) for r in rows}
            if len(widths) != 1:
                raise MarkupError(line, "every row of a table needs the same number of cells")
            paragraphs.append(Paragraph(kind="table", level=last_level, rows=rows, line=line))
            continue
        text_level = re.match(r"(=+)\s+", payload)
        if text_level:
            level = len(text_level.group(1))
            if level > last_level:
                raise MarkupError(line, f"'{'=' * level}' continues text at level {level}, but no numbered paragraph of that level comes before it")
            body = payload[text_level.end():]
            paragraphs.append(Paragraph(kind="text", level=level, inlines=inlines(body, clause_id, literals, line), line=line))
            continue
        level, body = _level(payload)
        anchor = None
        m = _ANCHOR.match(body)
        if m:
            if not level:
                raise MarkupError(line, "only a numbered paragraph (+) can carry an anchor")
            anchor = f"{clause_id}.{m.group(1)}"
            body = body[m.end():]
        if level:
            if level > last_level + 1:
                raise MarkupError(line, f"a {'+' * level} paragraph must follow a {'+' * (level - 1)} paragraph")
            last_level = level
            paragraphs.append(Paragraph(kind="numbered", level=level, inlines=inlines(body, clause_id, literals, line), anchor=anchor, line=line))
        else:
            paragraphs.append(Paragraph(kind="text", level=last_level, inlines=inlines(body, clause_id, literals, line), line=line))
    return paragraphs


def _blocks(text: str):
    """Yield (line, kind, payload): paragraphs, tables (list of row lines) and directives."""
    current: list[str] = []
    start = 0
    table: list[str] = []
    table_start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line.startswith("|"):
            if current:
                yield start, "para", " ".join(current)
                current = []
            if not table:
                table_start = number
            table.append(line)
            continue
        if table:
            yield table_start, "table", table
            table = []
        if not line:
            if current:
                yield start, "para", " ".join(current)
                current = []
            continue
        if line == DIRECTIVE_DEFINITIONS:
            if current:
                yield start, "para", " ".join(current)
                current = []
            yield number, "directive", "definitions"
            continue
        if line.startswith(("+", "=")) and current:
            yield start, "para", " ".join(current)
            current = []
        if not current:
            start = number
        current.append(line)
    if table:
        yield table_start, "table", table
    if current:
        yield start, "para", " ".join(current)


def _level(text: str) -> tuple[int, str]:
    m = re.match(r"(\++)\s+", text)
    if not m:
        return 0, text
    level = len(m.group(1))
    if level > MAX_LEVEL:
        raise MarkupError(0, f"at most {MAX_LEVEL} levels of '+'")
    return level, text[m.end():]


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return re.split(r"(?<!\\)\|", row)


def inlines(text: str, clause_id: str, literals: list[str], line: int = 0) -> list[Inline]:
    """Parse inline markup; literal tokens become exactly the text they stand for."""
    out: list[Inline] = []
    bold = False
    pos = 0

    def plain(chunk: str, escaped: bool = False) -> None:
        if not chunk:
            return
        if not escaped and _ANY_STRAY.search(chunk):
            stray = next(s for s in _STRAY if s in chunk)
            raise MarkupError(line, f"unmatched {stray!r} (put a backslash before it if it is meant literally)")
        for piece, literal in _pieces(chunk, literals):
            last = out[-1] if out else None
            if isinstance(last, Text) and last.bold == bold and last.literal == literal:
                last.text += piece
            else:
                out.append(Text(piece, bold=bold, literal=literal))

    for m in _INLINE.finditer(text):
        plain(text[pos:m.start()])
        pos = m.end()
        if m.group("escaped") is not None:
            plain(m.group("escaped"), escaped=True)
        elif m.group("term") is not None:
            term = _restore_all(m.group("term").strip(), literals)
            display = _restore_all(m.group("display").strip(), literals) if m.group("display") else term
            out.append(TermUse(term=term, display=display, bold=bold))
        elif m.group("define") is not None:
            out.append(TermDef(term=_restore_all(m.group("define").strip(), literals)))
        elif m.group("ref") is not None:
            target = m.group("ref")
            if target.startswith("."):
                target = clause_id + target
            out.append(Ref(target=target, bold=bold))
        elif m.group("placeholder") is not None:
            out.append(Placeholder(_restore_all(m.group("placeholder").strip(), literals)))
        elif m.group("bold") is not None:
            bold = not bold
    plain(text[pos:])
    if bold:
        raise MarkupError(line, "a '**' has no closing '**'")
    return out


def _pieces(chunk: str, literals: list[str]):
    """Split a chunk at literal tokens: (text, False) for the clause's own words, (value, True)
    for each value a token stands for."""
    if LITERAL_OPEN not in chunk:
        yield chunk, False
        return
    pos = 0
    for m in LITERAL.finditer(chunk):
        if m.start() > pos:
            yield chunk[pos:m.start()], False
        yield literals[int(m.group(1))], True
        pos = m.end()
    if pos < len(chunk):
        yield chunk[pos:], False


def _restore(chunk: str, literals: list[str]):
    """Split a chunk at literal tokens; yield text pieces with tokens replaced by their values."""
    if LITERAL_OPEN not in chunk:
        yield chunk
        return
    pos = 0
    for m in LITERAL.finditer(chunk):
        if m.start() > pos:
            yield chunk[pos:m.start()]
        yield literals[int(m.group(1))]
        pos = m.end()
    if pos < len(chunk):
        yield chunk[pos:]


def _restore_all(chunk: str, literals: list[str]) -> str:
    return "".join(_restore(chunk, literals))
