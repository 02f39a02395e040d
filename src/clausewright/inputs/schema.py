"""The parameter schema: one declaration of every question a deal answers.

Declared in ``clause_library/parameters/*.yaml`` (see docs/library-format.md §2). The same
objects validate deal files, drive the wizard, name the bulk columns and produce documentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clausewright import yamlio
from clausewright.errors import LibraryError, nearest
from clausewright.inputs.types import CATALOGUE_TYPES, ONE_CHOICE_TYPES, TYPES, Money, OtherNames, ParamType, compile_pattern

if TYPE_CHECKING:
    from clausewright.inputs.agreement_types import AgreementType

_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_RESERVED = {name for name in dir(dict) if not name.startswith("_")} | {"items", "keys", "values", "get"}
_KEYS = {
    "id", "type", "label", "help", "example", "required", "default", "when", "choices", "min", "max",
    "min_length", "max_length", "pattern", "pattern_help", "min_items", "max_items", "fields", "bulk", "secret",
}


@dataclass
class Parameter:
    id: str
    type: ParamType
    label: str
    help: str = ""
    example: Any = None
    required: bool = True
    default: Any = None
    when: str | None = None
    choices: Any = None
    min: Any = None
    max: Any = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_help: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    fields: list[Parameter] = field(default_factory=list)
    bulk: str = "shared"
    section: str = ""
    source: str = ""
    _catalogue: dict[str, str] | None = None
    other_names: OtherNames = field(default_factory=OtherNames)  # of a catalogue's entries, bound with it

    def choice_map(self) -> dict[str, str]:
        if self.type.name in CATALOGUE_TYPES:
            return self.catalogue()
        if isinstance(self.choices, dict):
            return {str(k): str(v) for k, v in self.choices.items()}
        return {str(c): str(c) for c in (self.choices or [])}

    def catalogue(self) -> dict[str, str]:
        if self._catalogue is None:
            raise LibraryError(self.source, f"parameter {self.id}: the {self.type.name} catalogue is not loaded")
        return self._catalogue

    def in_currency(self, currency: str) -> Parameter:
        """This parameter with its amounts of money (its own value, or its list fields') in
        ``currency``: their help names it and messages quote amounts with it."""
        if isinstance(self.type, Money):
            return replace(self, type=self.type.in_currency(currency))
        if any(isinstance(f.type, Money) for f in self.fields):
            return replace(self, fields=[f.in_currency(currency) for f in self.fields])
        return self

    def asks_amount(self) -> bool:
        """Its answer is (or its entries hold) an amount of money."""
        return isinstance(self.type, Money) or any(f.asks_amount() for f in self.fields)

    def describe_type(self) -> str:
        if self.type.name in ("multichoice", *ONE_CHOICE_TYPES):
            return f"{self.type.help}: {', '.join(self.choice_map())}"
        return self.type.help


@dataclass
class Section:
    id: str
    title: str
    order: int
    help: str = ""
    parameters: list[Parameter] = field(default_factory=list)
    always_ask: list[str] = field(default_factory=list)  # asked by the wizard even when the section's defaults are kept


class Schema:
    """Every declared parameter, in asking order (sections by ``order``, then file order)."""

    def __init__(self, sections: list[Section]):
        self.sections = sorted(sections, key=lambda s: (s.order, s.id))
        self.parameters: list[Parameter] = [p for s in self.sections for p in s.parameters]
        self._by_id = {p.id: p for p in self.parameters}
        self.types: dict[str, AgreementType] = {}  # the library's agreement types, default first (bind_types)

    def __contains__(self, pid: str) -> bool:
        return pid in self._by_id

    def __getitem__(self, pid: str) -> Parameter:
        return self._by_id[pid]

    def get(self, pid: str) -> Parameter | None:
        return self._by_id.get(pid)

    def ids(self) -> list[str]:
        return [p.id for p in self.parameters]

    def parameter_at(self, path: tuple[str, ...]) -> tuple[Parameter | None, tuple[str, ...]]:
        """The declared parameter a deal path reads (its longest declared prefix), and what
        follows it: ``("products", "[]", "name")`` is ``products`` then ``("[]", "name")``."""
        for k in range(len(path), 0, -1):
            param = self._by_id.get(".".join(path[:k]))
            if param is not None:
                return param, path[k:]
        return None, path

    def suggest(self, pid: str) -> str | None:
        close = nearest(pid, self.ids(), count=1, cutoff=0.75)
        return close[0] if close else None

    def bind_catalogues(self, catalogues: dict[str, dict[str, str]], other_names: dict[str, OtherNames] | None = None) -> None:
        for p in self._walk():
            if p.type.name in catalogues:
                p._catalogue = catalogues[p.type.name]
                p.other_names = (other_names or {}).get(p.type.name, OtherNames())

    def bind_types(self, types: dict[str, AgreementType]) -> None:
        """The library's agreement types: they decide which parameters a deal is asked and give
        some their defaults; the type parameter (``agreement.type``) chooses among them."""
        self.types = types
        for p in self._walk():
            if p.type.name == "agreement_type":
                p._catalogue = {t.id: t.label for t in types.values()}

    def type_named(self, tid: Any) -> AgreementType | None:
        """The agreement type ``tid`` names, else the default (None when no types are bound)."""
        return self.types.get(str(tid)) or next(iter(self.types.values()), None)

    def _walk(self):
        for p in self.parameters:
            yield p
            yield from p.fields


def load_schema(directory: Path) -> Schema:
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise LibraryError(str(directory), "no parameter files (*.yaml) found")
    sections: list[Section] = []
    seen: dict[str, str] = {}
    for path in files:
        data = yamlio.load_file(path)
        where = str(path)
        if not isinstance(data, dict) or "section" not in data or "parameters" not in data:
            raise LibraryError(where, "a parameter file needs 'section' and 'parameters'")
        sec = data["section"]
        if not isinstance(sec, dict) or "id" not in sec:
            raise LibraryError(where, "'section' needs at least an 'id'")
        section = Section(
            id=str(sec["id"]), title=str(sec.get("title", sec["id"])), order=int(sec.get("order", 100)), help=str(sec.get("help", ""))
        )
        for raw in data["parameters"] or []:
            param = _parameter(raw, where, section.id)
            if param.id in seen:
                raise LibraryError(where, f"parameter {param.id} is declared twice (also in {seen[param.id]})")
            seen[param.id] = where
            section.parameters.append(param)
        section.always_ask = _always_ask(sec, section, where)
        sections.append(section)
    return Schema(sections)


def _always_ask(sec: dict[str, Any], section: Section, where: str) -> list[str]:
    ids = sec.get("always_ask") or []
    if not isinstance(ids, list):
        raise LibraryError(where, "'always_ask' is a list of parameter ids of this section")
    own = {p.id for p in section.parameters}
    for pid in ids:
        if pid not in own:
            raise LibraryError(where, f"always_ask: {pid!r} is not a parameter of section {section.id}")
    return [str(pid) for pid in ids]


def _parameter(raw: Any, where: str, section: str, *, nested: bool = False) -> Parameter:
    if not isinstance(raw, dict) or "id" not in raw or "type" not in raw:
        raise LibraryError(where, f"each parameter needs an 'id' and a 'type' (got {raw!r:.80})")
    pid = str(raw["id"])
    here = f"{where}: parameter {pid}"
    unknown = set(raw) - _KEYS
    if unknown:
        raise LibraryError(here, f"unknown key(s): {', '.join(sorted(unknown))}")
    if not _ID.fullmatch(pid) or (nested and "." in pid):
        raise LibraryError(here, "ids are lower-case words joined by dots, e.g. buyer.name")
    clash = [seg for seg in pid.split(".") if seg in _RESERVED]
    if clash:
        raise LibraryError(here, f"'{clash[0]}' cannot be part of an id (it is a method name in templates)")
    ptype = TYPES.get(str(raw["type"]))
    if ptype is None:
        raise LibraryError(here, f"unknown type {raw['type']!r}; expected one of {', '.join(TYPES)}")
    has_default = "default" in raw
    param = Parameter(
        id=pid,
        type=ptype,
        label=str(raw.get("label") or pid),
        help=str(raw.get("help") or ""),
        example=raw.get("example"),
        required=bool(raw.get("required", not has_default)),
        default=raw.get("default"),
        when=str(raw["when"]) if raw.get("when") is not None else None,
        choices=raw.get("choices"),
        min=raw.get("min"),
        max=raw.get("max"),
        min_length=raw.get("min_length"),
        max_length=raw.get("max_length"),
        pattern=str(raw["pattern"]) if raw.get("pattern") is not None else None,
        pattern_help=raw.get("pattern_help"),
        min_items=raw.get("min_items"),
        max_items=raw.get("max_items"),
        bulk=str(raw.get("bulk", "row" if pid.split(".")[0] in ("supplier", "products") else "shared")),
        section=section,
        source=where,
    )
    if ptype.name in ("choice", "multichoice") and not param.choices:
        raise LibraryError(here, "a choice needs 'choices'")
    if ptype.name == "list":
        if not raw.get("fields"):
            raise LibraryError(here, "a list needs 'fields'")
        param.fields = [_parameter(f, where, section, nested=True) for f in raw["fields"]]
    if param.pattern:
        try:
            compile_pattern(param.pattern)
        except ValueError as exc:
            raise LibraryError(here, f"pattern {param.pattern!r} cannot be used: {exc} (patterns are matched without backtracking: no look-ahead, look-behind or backreferences)") from None
    return param
