"""The questions of a page as the templates show them, and the answers a posted page gives.

A ``Field`` is one question (or one field of a list entry) with everything shown beside it: the
question as worded for the deal (amounts with its currency), help, the answer expected, the
current answer or the default it follows (marked as such), the schema's messages, and the counsel
notes of the profile the answer selects. Hidden questions are rendered too (``visible`` false),
so that a change of condition shows them without reloading the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from clausewright.assembly.notes import Note, note_body, refers_to
from clausewright.inputs.agreement_types import TYPE_PARAMETER
from clausewright.inputs.library import Library
from clausewright.inputs.schema import Parameter, Section
from clausewright.inputs.types import is_missing
from clausewright.interview.answers import CHOICE_TYPES, Answers, as_text
from clausewright.interview.questions import expected, may_stay_blank, question
from clausewright.roles import PROFILE_ROLES

SHOWN_DEFAULT = "default:"  # prefix of the hidden field holding the default a page showed
_ENTRY = re.compile(r"(?P<pid>[a-z0-9_.]+)\.(?P<n>\d{1,4})\.(?P<field>[a-z0-9_]+)")
MAX_ENTRIES = 500  # entries read from one posted list


@dataclass
class CounselNote:
    profile: str
    text: str
    reviewed: str
    verify: bool
    citation: str | None


@dataclass
class Field:
    pid: str
    name: str  # the form field's name: the parameter id, or ``products.2.name`` in a list
    label: str
    kind: str  # text, longtext, choice, bool, multichoice, list
    value: Any  # the answer as text (a list of texts for multichoice)
    help: str = ""
    expected: str = ""
    required: bool = True
    blank_ok: bool = False
    currency: str | None = None
    visible: bool = True
    from_default: bool = False
    shown_default: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[CounselNote] = field(default_factory=list)
    entries: list[list[Field]] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def kind_of(param: Parameter) -> str:
    name = param.type.name
    if name in CHOICE_TYPES:
        return "choice"
    return name if name in ("longtext", "bool", "multichoice", "list") else "text"


def build(answers: Answers, pid: str, *, show_missing: bool = False, library: Library | None = None) -> Field:
    """The question ``pid`` as the answers stand (``library``: for the counsel notes beside it)."""
    param = answers.param(pid)
    outcome = answers.outcome(pid)
    given = pid in answers.given
    if given:
        value: Any = answers.given[pid]
    elif answers.has_value(pid):
        value = answers.value(pid)
        value = _records_text(param, value) if param.type.name == "list" else param.type.to_text(value)
    else:
        value = None if outcome.default is None or param.type.name == "list" else outcome.default
    shown = show_missing or given
    problems = [p.message for p in outcome.problems if p.field == pid and shown]
    f = _field(param, pid, value, problems, answers.currency())
    f.visible = outcome.applies is True
    f.from_default = not given and outcome.from_default
    f.shown_default = None if outcome.default is None or param.type.name == "list" else _text(param, outcome.default)
    f.notes = counsel_notes(answers, pid, library)
    if param.type.name == "list":
        records = value if isinstance(value, list) else []
        for n, record in enumerate(records, start=1):
            record = record if isinstance(record, dict) else {}
            f.entries.append([
                _field(sub, f"{pid}.{n}.{sub.id}", record.get(sub.id),
                       [p.message for p in outcome.problems if p.field == f"{pid}[{n}].{sub.id}" and shown], answers.currency())
                for sub in param.fields
            ])
        f.problems = [p.message for p in outcome.problems if p.field in (pid, *(f"{pid}[{n}]" for n in range(1, len(records) + 1))) and shown]
    return f


def _field(param: Parameter, name: str, value: Any, problems: list[str], currency: str | None) -> Field:
    if currency:
        param = param.in_currency(currency)
    kind = kind_of(param)
    options = list(param.choice_map().items()) if kind in ("choice", "multichoice") else []
    if kind == "multichoice":
        value = value if isinstance(value, list) else [v.strip() for v in str(value or "").split(";") if v.strip()]
    elif kind != "list":
        value = "" if is_missing(value) else _text(param, value)
    return Field(
        pid=param.id, name=name, label=question(param), kind=kind, value=value, help=" ".join(param.help.split()),
        expected="; ".join(expected(param)) if kind in ("text", "longtext") else "", required=param.required,
        blank_ok=may_stay_blank(param), currency=currency if param.type.name == "money" else None, options=options, problems=problems,
    )


def _text(param: Parameter, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return as_text(param, value)


def _records_text(param: Parameter, records: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{f.id: as_text(f, r[f.id]) for f in param.fields if r.get(f.id) is not None} for r in records]


def counsel_notes(answers: Answers, pid: str, library: Library | None = None) -> list[CounselNote]:
    """The notes of the profile this answer selects that apply under the role it gives that
    profile (the Vietnamese notes for Vietnamese law beside the governing law, not beside the
    supplier's country), as ``assembly/notes.py`` decides for the draft. With ``library``, only
    the notes on clauses the chosen type of agreement drafts, in its words (its party names and
    spelling), each clause they refer to named by its title, as there is no draft to number yet."""
    out = []
    kind = answers.schema.type_named(answers.value(TYPE_PARAMETER)) if library is not None else None
    for role in PROFILE_ROLES:
        if role.parameter != pid:
            continue
        profile = answers.jurisdictions.profiles.get(answers.value(pid) or "")
        if profile is None:
            continue
        for data in profile.data.get("notes") or []:
            note = Note(profile, data, frozenset({role.id}))
            if role.id not in note.roles:
                continue
            if library is None or kind is None:
                text = " ".join(str(data.get("text", "")).split())
            else:
                clause = library.clauses.get(note.clause)
                if clause is None or not library.used_by(clause, kind):
                    continue  # a note on a clause this type of agreement does not draft
                titles = {ref: f"“{library.clauses[ref.split('.')[0]].title}”" for ref in refers_to(note) if ref.split(".")[0] in library.clauses}
                text = note_body(note, kind, titles, library.spelling.get(str(answers.value("agreement.locale") or ""), {}))
            out.append(CounselNote(profile.name, text, str(data.get("last_reviewed", "")), note.verify, data.get("citation")))
    return out


def section_fields(answers: Answers, section: Section, *, skip: tuple[str, ...] = (), show_missing: bool = False, library: Library | None = None) -> list[Field]:
    return [build(answers, p.id, show_missing=show_missing, library=library) for p in section.parameters if p.id not in skip]


# --- reading a posted page --------------------------------------------------------------------


def apply(answers: Answers, form: FormData, pids: list[str]) -> None:
    """Set the answers a posted page gives for ``pids``, in asking order, so a condition or a
    default follows an answer above it on the same page. An answer equal to the default the page
    showed, for a question that was following its default, keeps following it (the default may
    have changed with an answer above it)."""
    for pid in pids:
        if not answers.applies(pid):
            continue
        param = answers.schema[pid]
        raw = _posted(param, form)
        if raw is None:
            continue
        if pid not in answers.given and isinstance(raw, str) and raw == form.get(SHOWN_DEFAULT + pid):
            continue
        answers.set(pid, raw)


def _posted(param: Parameter, form: FormData) -> Any:
    kind = kind_of(param)
    if kind == "list":
        if f"{param.id}.entries" not in form:
            return None
        return _entries(param, form)
    if kind == "multichoice":
        return [str(v) for v in form.getlist(param.id)] if f"{param.id}.shown" in form else None
    value = form.get(param.id)
    return value if isinstance(value, str) else None


def _entries(param: Parameter, form: FormData) -> list[dict[str, str]]:
    records: dict[int, dict[str, str]] = {}
    for key, value in form.multi_items():
        m = _ENTRY.fullmatch(key)
        if m is None or m["pid"] != param.id or not isinstance(value, str):
            continue
        n = int(m["n"])
        if n <= MAX_ENTRIES and value.strip():
            records.setdefault(n, {})[m["field"]] = value
    count = form.get(f"{param.id}.entries")
    total = int(count) if isinstance(count, str) and count.isdigit() else 0
    return [records.get(n, {}) for n in range(1, min(total, MAX_ENTRIES) + 1)]
