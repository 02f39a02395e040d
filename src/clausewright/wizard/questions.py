"""Asking one parameter, with the prompt that suits its type.

Everything shown comes from the schema's ``Parameter`` (label, help, example, type, choices,
limits). Every typed answer is checked with ``inputs.deal.check``, the conversion that validates
deal files and bulk rows, and an invalid answer is explained and asked again.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from clausewright.inputs import deal as deals
from clausewright.inputs.schema import Parameter
from clausewright.inputs.types import is_missing
from clausewright.interview.answers import CHOICE_TYPES, as_text, record_title, templated
from clausewright.interview.questions import expected, has_default, may_stay_blank, question
from clausewright.wizard.asker import BACK, Asker

BLANK_LABEL = "(leave blank)"
CLEAR_KEY = "-"


def wrap(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=96, initial_indent="  ", subsequent_indent="  ")


def show_help(asker: Asker, param: Parameter) -> None:
    if param.help:
        asker.say(wrap(param.help), "help")


def hint(param: Parameter, current: str | None) -> str:
    """What kind of answer is expected, for text prompts."""
    parts = expected(param, example=not current)
    if may_stay_blank(param):
        parts.append(f"optional; {CLEAR_KEY} clears it" if current else "optional")
    return "; ".join(parts)


def ask_value(asker: Asker, param: Parameter, current: str | None, *, back: bool) -> Any:
    """Ask for one value (a parameter or a field of a list entry); returns the raw answer or BACK.

    ``current`` is the answer as text, kept when the lawyer just presses Enter. An amount's
    ``param`` carries the deal's currency (``Answers.param``), so the question and its messages
    name it.
    """
    kind = param.type.name
    may_blank = may_stay_blank(param)
    if kind in CHOICE_TYPES or kind == "bool":
        options = [("yes", "Yes"), ("no", "No")] if kind == "bool" else list(param.choice_map().items())
        if may_blank:
            options.append(("", BLANK_LABEL))
        values = [v for v, _ in options]
        default = _matching(current, param, values) if current else ("" if may_blank else None)
        return asker.select(question(param), options, default=default, back=back)
    if kind == "multichoice":
        chosen = [v.strip() for v in (current or "").split(";") if v.strip()]
        return asker.checkbox(question(param), list(param.choice_map().items()), default=chosen, back=back)

    def typed_to_raw(typed: str) -> str:
        if typed == "" and current is not None:
            return current
        if may_blank and typed.strip() == CLEAR_KEY:
            return ""
        return typed

    def check(typed: str) -> str | None:
        _, problems = deals.check(param, typed_to_raw(typed))
        return "; ".join(p.message for p in problems) or None

    typed = asker.text(
        question(param), current=current, check=check, multiline=kind == "longtext", back=back, hint=hint(param, current), blank_ok=may_blank
    )
    return BACK if typed is BACK else typed_to_raw(typed)


def _matching(current: str, param: Parameter, values: list[str]) -> str | None:
    """The listed value that ``current`` stands for (``current`` may be e.g. "true" or a label)."""
    if current in values:
        return current
    value, problems = deals.check(param, current)
    if problems or value is deals.MISSING:
        return None
    text = as_text(param, value)
    return text if text in values else None


class ListEditor:
    """Add, change and remove the entries of a list parameter (e.g. the products).

    ``on_change`` receives the entries after every change, so they are saved as they are typed.
    ``brief``: a new entry is asked only the fields without a default (the others are kept at
    their defaults, and can be filled in by changing the entry).
    """

    def __init__(self, asker: Asker, param: Parameter, records: list[dict[str, Any]], on_change: Callable[[list], None], *, brief: bool = False):
        self.asker = asker
        self.param = param
        self.records = [dict(r) for r in records]
        self.on_change = on_change
        self.brief = brief

    def run(self, *, back: bool) -> Any:
        while True:
            self._show()
            choices: list[tuple[Any, str]] = [("add", "Add an entry")]
            for n, record in enumerate(self.records, start=1):
                choices.append((("edit", n), f"Change {n}. {record_title(self.param, record)}"))
            for n, record in enumerate(self.records, start=1):
                choices.append((("remove", n), f"Remove {n}. {record_title(self.param, record)}"))
            choices.append(("done", f"Done ({len(self.records)} entr{'y' if len(self.records) == 1 else 'ies'})"))
            picked = self.asker.select(f"{self.param.label}: what next?", choices, default="done" if self.records else "add", back=back)
            if picked is BACK:
                return BACK
            if picked == "done":
                _, problems = deals.check(self.param, self.records)
                if not problems:
                    return self.records
                for p in problems:
                    self.asker.say(f"  ! {p.field}: {p.message}", "error")
            elif picked == "add":
                self._entry(len(self.records))
            elif picked[0] == "edit":
                self._entry(picked[1] - 1)
            else:
                del self.records[picked[1] - 1]
                self.on_change(self.records)

    def _show(self) -> None:
        if not self.records:
            self.asker.say(f"  {self.param.label}: no entries yet.", "note")
        for n, record in enumerate(self.records, start=1):
            self.asker.say(f"  {n}. {record_title(self.param, record)}")

    def _entry(self, index: int) -> None:
        """Ask each field of entry ``index`` (a new one at the end) in turn, saving as it goes;
        going back from the first field leaves the list as it was."""
        before = [dict(r) for r in self.records]
        new = index >= len(self.records)
        brief = self.brief and new
        self.asker.say(f"  Entry {index + 1} ({BRIEF_HINT if brief else ''}{BACK_HINT})", "note")
        record = {} if new else dict(self.records[index])
        fields = [f for f in self.param.fields if not (brief and has_default(f))]
        i = 0
        while i < len(fields):
            f = fields[i]
            current = record.get(f.id)
            if is_missing(current):
                current = None if f.default is None or templated(f) else f.default
            answer = ask_value(self.asker, f, None if current is None else str(current), back=True)
            if answer is BACK:
                if i == 0:
                    self.records = before
                    self.on_change(self.records)
                    return
                i -= 1
                continue
            if is_missing(answer):
                record.pop(f.id, None)
            else:
                record[f.id] = answer
            self.records[index : index + 1] = [dict(record)]
            self.on_change(self.records)
            i += 1


BACK_HINT = "going back from the first field leaves the entry unchanged"
BRIEF_HINT = "only the fields without a default are asked; change the entry for the others; "
