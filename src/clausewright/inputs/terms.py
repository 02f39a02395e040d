"""The key terms a library declares in ``terms.yaml`` (docs/terms.md): for each, its id (the
stable column name), what it is, its type, how its value is found (an expression over the deal and
the profiles, or a text template) and the clause of the draft it comes from. ``qa/terms.py``
computes them for one agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from clausewright import jinja, yamlio
from clausewright.errors import LibraryError
from clausewright.inputs.schema import Schema
from clausewright.reads import Read, expression_reads, template_reads

FILE = "terms.yaml"
TYPES = ("text", "integer", "date", "money", "percent", "boolean", "list", "dates")
LIST_TYPES = ("list", "dates")
_KEYS = {"id", "label", "type", "from", "text", "each", "when", "clause"}
_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_CLAUSE = re.compile(r"[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)?")
_METHODS = {"get", "items", "keys", "values"}
_TERM_USE = re.compile(r"""terms\[['"]([a-z0-9_.]+)['"]\]""")


@dataclass(frozen=True)
class TermSpec:
    id: str  # the column name systems import by: never renamed
    label: str
    type: str  # one of TYPES
    source: str | None = None  # ``from``: an expression whose value is the term's
    text: str | None = None  # a template whose text is the term's (instead of ``from``)
    each: str | None = None  # list terms: an expression giving the items (``item`` in from/text)
    when: str | None = None  # the term is empty unless this holds
    clause: str | None = None  # clause id or clause-id.anchor: its number in the draft is given
    parameters: frozenset[str] = frozenset()  # the parameters it reads, directly or through terms['id']: empty where the agreement type asks one not


def load_terms(directory: Path, schema: Schema, clause_ids: set[str]) -> list[TermSpec]:
    """The terms of the library in ``directory`` (none when it has no ``terms.yaml``)."""
    path = Path(directory) / FILE
    if not path.is_file():
        return []
    data = yamlio.load_file(path)
    where = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise LibraryError(where, "a terms file holds 'terms:', a list of terms")
    specs: list[TermSpec] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["terms"]):
        spec = _spec(raw, f"{where}: terms[{i}]")
        here = f"{where}: term {spec.id}"
        if spec.id in seen:
            raise LibraryError(here, "is declared twice")
        seen.add(spec.id)
        if spec.clause and spec.clause.split(".")[0] not in clause_ids:
            raise LibraryError(here, f"clause {spec.clause!r} names no clause of the library")
        parameters = _parameters(_reads(spec, here), schema, here)
        for used in _TERM_USE.findall(" ".join(e for e in (spec.source, spec.text, spec.each, spec.when) if e)):
            parameters |= next((s.parameters for s in specs if s.id == used), frozenset())
        specs.append(replace(spec, parameters=frozenset(parameters)))
    return specs


def _spec(raw: Any, where: str) -> TermSpec:
    if not isinstance(raw, dict) or not all(raw.get(k) for k in ("id", "label", "type")):
        raise LibraryError(where, "each term needs an id, a label and a type")
    tid = str(raw["id"])
    here = f"{where} ({tid})"
    unknown = set(raw) - _KEYS
    if unknown:
        raise LibraryError(here, f"unknown key(s): {', '.join(sorted(unknown))}")
    if not _ID.fullmatch(tid) or tid.endswith(".clause"):
        raise LibraryError(here, "ids are lower-case words joined by dots, e.g. buyer.name (and do not end in .clause)")
    if raw["type"] not in TYPES:
        raise LibraryError(here, f"type must be one of {', '.join(TYPES)}")
    if ("from" in raw) == ("text" in raw):
        raise LibraryError(here, "give either 'from' (an expression) or 'text' (a template)")
    if "each" in raw and raw["type"] not in LIST_TYPES:
        raise LibraryError(here, f"'each' is for the list types ({', '.join(LIST_TYPES)})")
    if "text" in raw and raw["type"] not in ("text", "list"):
        raise LibraryError(here, "'text' gives text: use it for a text or list term, 'from' for the others")
    clause = raw.get("clause")
    if clause is not None and not _CLAUSE.fullmatch(str(clause)):
        raise LibraryError(here, f"clause {clause!r} is not a clause id or clause-id.anchor")
    return TermSpec(
        id=tid, label=str(raw["label"]), type=str(raw["type"]),
        source=_text(raw.get("from")), text=_text(raw.get("text")), each=_text(raw.get("each")), when=_text(raw.get("when")),
        clause=_text(clause),
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _reads(spec: TermSpec, where: str) -> list[Read]:
    """What the term's expressions and template read (each must compile)."""
    reads: list[Read] = []
    try:
        for expression in (spec.source, spec.each, spec.when):
            if expression:
                reads += expression_reads(expression)
        if spec.text:
            reads += template_reads(spec.text)
    except jinja.FragmentError as exc:
        raise LibraryError(where, str(exc)) from None
    return reads


def _parameters(reads: list[Read], schema: Schema, where: str) -> set[str]:
    """The declared parameters the deal reads name; a read of anything undeclared is refused (a
    misspelt parameter would otherwise give an empty term for ever)."""
    out: set[str] = set()
    for read in reads:
        if read.root != "deal":
            continue
        if not _declared(read.path, schema):
            raise LibraryError(where, f"reads deal.{'.'.join(read.path)}, which the schema does not declare")
        param, _ = schema.parameter_at(tuple(p for p in read.path if p != "[]"))
        if param is not None:
            out.add(param.id)
    return out


def _declared(path: tuple[str, ...], schema: Schema) -> bool:
    """A parameter, a section of parameters (``deal.buyer``) or a field of a list parameter."""
    parts = [p for p in path if p != "[]"]
    while parts and parts[-1] in _METHODS:
        parts.pop()
    dotted = ".".join(parts)
    if not dotted:
        return True
    return any(pid == dotted or pid.startswith(dotted + ".") or dotted.startswith(pid + ".") for pid in schema.ids())
