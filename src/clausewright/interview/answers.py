"""An interview's answers (the terminal wizard's and the web interview's): what the lawyer typed, evaluated exactly as a deal file is.

Only the answers the lawyer gave are kept (as typed, the way a deal file holds them). Everything
else (whether a question applies, what its default is, whether an answer is valid) is worked
out again by ``inputs.deal.resolve`` after every change, so conditions and defaults that depend on
an edited answer follow it. An answer equal to its default is not kept: the parameter then
follows its default, as if the lawyer had never overridden it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausewright.errors import InputError, Problem
from clausewright.inputs import deal as deals
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.schema import Parameter, Schema, Section
from clausewright.inputs.types import CURRENCY_PARAMETER, ONE_CHOICE_TYPES, is_missing

CHOICE_TYPES = ONE_CHOICE_TYPES


def templated(param: Parameter) -> bool:
    """The default is computed from earlier answers or profiles (``{{ ... }}``)."""
    return isinstance(param.default, str) and "{{" in param.default


class Answers:
    def __init__(self, schema: Schema, jurisdictions: Jurisdictions, given: dict[str, Any] | None = None):
        self.schema = schema
        self.jurisdictions = jurisdictions
        self.given: dict[str, Any] = {pid: raw for pid, raw in (given or {}).items() if not is_missing(raw)}
        self.refresh()

    @classmethod
    def from_file_data(cls, raw: dict[str, Any], schema: Schema, jurisdictions: Jurisdictions) -> tuple[Answers, list[Problem]]:
        """Start from a deal or answers file's contents; also returns its unknown fields."""
        flat, unknown = deals.flatten(raw, schema)
        answers = cls(schema, jurisdictions, flat)
        answers.forget_defaults()
        return answers, unknown

    def refresh(self) -> None:
        self.resolution = deals.resolve(self.given, self.schema, self.jurisdictions)

    # --- what the answers amount to ---------------------------------------------------------------

    def outcome(self, pid: str) -> deals.Outcome:
        return self.resolution.outcomes[pid]

    def applies(self, pid: str) -> bool:
        return self.outcome(pid).applies is True

    def has_value(self, pid: str) -> bool:
        return pid in self.resolution.flat

    def value(self, pid: str) -> Any:
        return self.resolution.flat.get(pid)

    def currency(self) -> str | None:
        """The deal's currency as the answers stand (every amount is in it), once known."""
        value = self.value(CURRENCY_PARAMETER)
        return value if isinstance(value, str) else None

    def param(self, pid: str) -> Parameter:
        """The parameter ``pid`` as the wizard asks and shows it: its amounts in the deal's currency."""
        currency = self.currency()
        return self.schema[pid].in_currency(currency) if currency else self.schema[pid]

    def problems(self, pid: str) -> list[Problem]:
        return self.outcome(pid).problems

    def derived(self, pid: str) -> bool:
        """Filled in from earlier answers or a profile, valid, and never overridden."""
        o = self.outcome(pid)
        return o.applies is True and not o.given and o.from_default and not o.problems and templated(o.param)

    def current_text(self, pid: str) -> str | None:
        """The answer as text to offer again: what was typed, else the value or default it has."""
        param = self.schema[pid]
        raw = self.given.get(pid)
        if isinstance(raw, str):
            return raw
        if self.has_value(pid):
            return as_text(param, self.value(pid))
        default = self.outcome(pid).default
        return None if default is None else str(default)

    def in_section(self, section: Section) -> list[str]:
        """The questions of ``section`` that apply as the answers stand, in asking order."""
        return [p.id for p in section.parameters if self.applies(p.id)]

    def values(self) -> dict[str, Any]:
        """Every value as the answers stand (given or from defaults), to compare after a change."""
        return dict(self.resolution.flat)

    def followed(self, before: dict[str, Any], changed: str | set[str]) -> list[Change]:
        """What changed since ``before`` (``values()``) besides the answers ``changed`` set: the
        values that followed them, such as the seat a new institution brings, or a question that
        now applies or no longer does."""
        skip = {changed} if isinstance(changed, str) else set(changed)
        out = []
        for pid in self.schema.ids():
            if pid in skip:
                continue
            old, new = before.get(pid), self.value(pid)
            if old != new:
                param = self.param(pid)
                out.append(Change(pid, param.label, display(param, old), display(param, new)))
        return out

    def complete(self) -> bool:
        return not self.resolution.problems

    def tree(self) -> dict[str, Any]:
        """The given answers, nested as in a deal file."""
        return deals.nest({pid: self.given[pid] for pid in self.schema.ids() if pid in self.given})

    def deal(self) -> deals.Deal:
        if self.resolution.problems:
            raise InputError(self.resolution.problems)
        return self.resolution.deal()

    # --- changing them ----------------------------------------------------------------------------

    def set(self, pid: str, raw: Any) -> None:
        param = self.schema[pid]
        if is_missing(raw) or self._is_default(param, raw):
            self.given.pop(pid, None)
        else:
            self.given[pid] = raw
        self.refresh()

    def forget_defaults(self) -> None:
        """Drop given answers that equal their default, so they follow it from now on."""
        for pid in [p for p in self.schema.ids() if p in self.given]:
            if self.outcome(pid).applies and self._is_default(self.schema[pid], self.given[pid]):
                del self.given[pid]
        self.refresh()

    def _is_default(self, param: Parameter, raw: Any) -> bool:
        default = self.outcome(param.id).default
        if default is None or param.type.name == "list":
            return False
        value, problems = deals.check(param, raw)
        expected, default_problems = deals.check(param, default)
        return not problems and not default_problems and value is not deals.MISSING and value == expected


@dataclass(frozen=True)
class Change:
    """A value that followed an edited answer: its label, as it was and as it is now (as shown)."""

    pid: str
    label: str
    before: str
    after: str

    def line(self) -> str:
        return f"{self.label}: {self.before} → {self.after}"


def as_text(param: Parameter, value: Any) -> str:
    """A typed value as it would be typed (and as an answers file writes it)."""
    text = param.type.to_text(value)
    if isinstance(text, list):
        return "; ".join(str(v) for v in text)
    return str(text)


def display(param: Parameter, value: Any, *, limit: int = 70) -> str:
    """A value as the review screen shows it."""
    if value is None:
        return "—"
    kind = param.type.name
    if kind == "list":
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    if kind in CHOICE_TYPES:
        return param.choice_map().get(value, str(value))
    if kind == "multichoice":
        labels = param.choice_map()
        return ", ".join(labels.get(v, v) for v in value) or "—"
    if kind == "bool":
        return "Yes" if value else "No"
    text = (param.type.quote(value) if kind == "money" else as_text(param, value)).replace("\n", " / ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_title(param: Parameter, record: dict[str, Any]) -> str:
    """A short name for one entry of a list: its first two filled-in fields."""
    parts = [str(record[f.id]).replace("\n", " / ") for f in param.fields if not is_missing(record.get(f.id))]
    return " — ".join(parts[:2]) or "(empty)"
