"""Problems of a render in the lawyer's coordinates: the line of the ``.clause`` file, not of the
rendered text, and what a mistyped name, anchor or term probably meant.

A clause body is Jinja; what the markup parser sees is its output, in which ``{% if %}`` lines
have gone and values are printed. A line of that output is traced back to the body by the text
it shares with it: the longest piece of the line that no value printed is looked for in the
body, from the same line number on (a body line never prints later than it stands).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from clausewright import jinja
from clausewright.errors import nearest
from clausewright.inputs.library import Clause
from clausewright.inputs.schema import Schema
from clausewright.reads import template_reads

_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined")


def place(clause: Clause, body_line: int | None) -> str:
    """``clause audit (clauses/audit.clause, line 56)``: a line of the body as a line of its file."""
    if not body_line:
        return f"clause {clause.id} ({clause.path})"
    return f"clause {clause.id} ({clause.path}, line {clause.body_line + body_line - 1})"


def source_line(source: str, rendered: str, line: int, token: re.Pattern[str] | None = None) -> int | None:
    """The line of ``source`` that printed line ``line`` of ``rendered`` (both counted from 1);
    with ``token``, the first source line from there on that holds it (a term or reference in a
    paragraph that runs over several lines). None when it cannot be told."""
    lines = source.split("\n")
    start = _printed_from(lines, rendered, line)
    if token is None:
        return start
    for n in range(start or 1, len(lines) + 1):
        if token.search(lines[n - 1]):
            return n
    found = [n for n, text in enumerate(lines, start=1) if token.search(text)]
    return found[0] if found else start


_FOLLOWING = 8  # printed lines compared after the one looked for, to tell apart alike lines (the positions often share one)


def _printed_from(lines: list[str], rendered: str, line: int) -> int | None:
    printed = rendered.split("\n")
    if not 1 <= line <= len(printed):
        return None
    piece = _piece(printed[line - 1])
    if not piece:
        return None
    candidates = [n for n in range(line, len(lines) + 1) if piece in lines[n - 1]]

    def agreement(n: int) -> int:  # how many of the following printed lines stand on the following source lines
        count = 0
        for k in range(1, _FOLLOWING + 1):
            if line + k > len(printed) or n + k > len(lines):
                break
            following = _piece(printed[line + k - 1])
            if following and following not in lines[n + k - 1]:
                break
            count += 1
        return count

    return max(candidates, key=lambda n: (agreement(n), -n), default=None)


def _piece(printed: str) -> str:
    """The longest stretch of a printed line that no value printed."""
    return max((p.strip() for p in jinja.LITERAL.split(printed)[::2]), key=len, default="")


def term_token(term: str) -> re.Pattern[str]:
    return re.compile(r"\[\[\s*" + re.escape(term) + r"\s*(?:\||\]\])")


def ref_token(target: str, clause_id: str) -> re.Pattern[str]:
    own, _, anchor = target.partition(".")
    if own == clause_id and anchor:
        return re.compile(r"<<\s*(?:" + re.escape(own) + r")?\." + re.escape(anchor) + r"\s*>>")
    return re.compile(r"<<\s*" + re.escape(target) + r"\s*>>")


def did_you_mean(word: str, existing: Iterable[str], *, what: str, listed: bool = True) -> str:
    """"; did you mean X?" (a difference in capitals only is said as such), then the list of what
    exists, ``what`` naming it ("the anchors of clause audit")."""
    known = sorted(set(existing))
    same = [k for k in known if k.casefold() == word.casefold() and k != word]
    if same:
        hint = f"; did you mean {same[0]}? (it differs in capitals only)"
    else:
        close = nearest(word, known, count=1) or nearest(word.casefold(), {k.casefold(): k for k in known}, count=1)
        match = next((k for k in known if close and k.casefold() == close[0].casefold()), None)
        hint = f"; did you mean {match}?" if match else ""
    if listed and known:
        hint += f" ({what}: {', '.join(known)})"
    elif listed:
        hint += f" ({what}: none)"
    return hint


def undeclared(dotted: str, schema: Schema) -> str:
    """How a read of a parameter the schema does not declare is worded, here and by ``library check``."""
    hint = schema.suggest(dotted.replace("[]", ""))
    return f"reads deal.{dotted}, which the schema does not declare" + (f"; did you mean {hint}?" if hint else "")


def explain_undefined(reason: str, source: str, line: int | None, context: Mapping[str, Any], schema: Schema) -> str:
    """A render's "not defined" error said as what was read and what probably was meant:
    ``'dict object' has no attribute 'notice_dayz'`` becomes ``reads deal.audit.notice_dayz, which
    the schema does not declare; did you mean audit.notice_days?``. Anything else is kept."""
    name = _UNDEFINED_NAME.search(reason.split("not defined: ", 1)[-1])
    if name:
        names = [k for k in context if not k.startswith("_")]
        return f"{name.group(1)!r} is not a name a clause can read" + did_you_mean(name.group(1), names, what="the names are")
    attribute = _NO_ATTRIBUTE.search(reason)
    if not attribute or not line:
        return reason
    missing = attribute.group(1)
    try:
        reads = template_reads(source)
    except jinja.FragmentError:
        return reason
    for read in reads:
        if read.line != line or missing not in read.path:
            continue
        path = read.path[: read.path.index(missing) + 1]
        if read.root == "deal":
            dotted = ".".join(path)
            if dotted in schema:  # declared, but this deal has no value for it
                parent, _, leaf = dotted.rpartition(".")
                how = f"deal.{parent}.get('{leaf}')" if parent else f"deal.get('{leaf}')"
                return (f"reads deal.{dotted}, which this deal does not answer (it is optional, or its condition is false); "
                        f"read it as {how}, or test `deal.{dotted} is defined` first")
            return undeclared(dotted, schema)
        node: Any = context.get(read.root)
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping):
            owner = ".".join((read.root, *path[:-1]))
            # what exists differs from profile to profile, so only the nearest is named
            return f"{owner} has no entry {missing!r}" + did_you_mean(missing, [str(k) for k in node], what=f"{owner} has", listed=False)
    return reason
