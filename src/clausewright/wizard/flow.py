"""The question loop: sections in order, only the questions that apply, back, and a review.

A *step* is a parameter id (ask that question) or one of:

- ``defaults:<section>``: at the start of a section that has questions with defaults, offer to
  keep them (only the questions without a default are then asked, and those the section lists
  under ``always_ask``);
- ``section:<section>``: at its end, show the values the section filled in from earlier answers
  and profiles, and offer to change them;
- ``confirm:<currency>``: the deal's currency, asked before the first amount when its own
  question was left to its default (quick mode), since every amount is in it.

After every answer the whole schema is evaluated again, so the next step, the conditions and the
computed defaults always follow the answers as they now stand.

- A question is asked when it applies and is not yet done, or when its answer is missing or
  invalid; unless it is left to its default: its section's defaults were kept (or the wizard runs
  in quick mode, which keeps every section's defaults without asking), or its default is computed
  from earlier answers (``{{ ... }}``) and gives a valid value (then the section's summary lists
  it). Until changed, such values keep following the answers they come from.
- When the library drafts more than one type of agreement, its type (``agreement.type``) is the
  first question, in quick mode too: it decides which of the others are asked.
- Back returns to the previous step taken (skipping any that no longer apply).
- The review lists the sections, one line each; opening one shows its answers a page at a time
  (so it fits a 40-line terminal), and any of them can be changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from clausewright.inputs.agreement_types import TYPE_PARAMETER
from clausewright.inputs.schema import Section
from clausewright.inputs.types import CURRENCY_PARAMETER
from clausewright.interview.answers import Answers, as_text, display, record_title, templated
from clausewright.interview.questions import has_default
from clausewright.wizard.asker import BACK, Asker
from clausewright.wizard.questions import ListEditor, ask_value, show_help, wrap

SUMMARY, OFFER, CONFIRM = "section:", "defaults:", "confirm:"
GENERATE, QUIT = "generate", "quit"
KEEP, ASK_ALL = "keep", "ask"
NEXT_PAGE, PREVIOUS_PAGE = "next page", "previous page"
PAGE = 18  # answers shown at once when a section is opened at the review
LISTED_DEFAULTS = 20  # defaults listed when offering to keep them


class Wizard:
    def __init__(
        self,
        asker: Asker,
        answers: Answers,
        *,
        done: list[str] | None = None,
        history: list[str] | None = None,
        kept: list[str] | None = None,
        quick: bool = False,
        review: bool = True,
        on_change: Callable[[Wizard], None] | None = None,
    ):
        self.asker = asker
        self.answers = answers
        self.schema = answers.schema
        self.done: list[str] = list(dict.fromkeys(done or []))
        self.history: list[str] = list(history or [])
        self.kept: list[str] = list(dict.fromkeys(kept or []))  # sections whose defaults the lawyer kept
        self.quick = quick
        self.with_review = review
        self.on_change = on_change or (lambda wizard: None)
        self._section_shown: str | None = None
        self._reopen: tuple[str, int] | None = None  # the review page to come back to after an edit

    def mark_answered(self) -> None:
        """Treat the answers as they stand as given (answers read from a file): only missing or
        invalid answers are asked, and questions that start to apply after a change."""
        steps = [pid for pid in self.schema.ids() if self.answers.applies(pid) or pid in self.answers.given]
        steps += [marker + s.id for s in self.schema.sections for marker in (OFFER, SUMMARY)]
        self.done = list(dict.fromkeys(self.done + steps))

    # --- the loop --------------------------------------------------------------------------------

    def run(self) -> bool:
        """Ask until the lawyer generates (True) or quits (False). Ctrl-C raises ``Cancelled``."""
        forced: str | None = None
        while True:
            step = forced or self.next_step()
            forced = None
            if step is None:
                if not self.with_review:
                    return True
                action = self.review()
                if action in (GENERATE, QUIT):
                    return action == GENERATE
                if action is BACK:
                    forced = self._previous(None)
                continue
            if self._take(step) is BACK:
                forced = self._previous(step)
                continue
            if step not in self.done:
                self.done.append(step)
            self.history.append(step)
            self.on_change(self)

    def next_step(self) -> str | None:
        if self._chooses_type() and self._pending(self._section_of(self.schema[TYPE_PARAMETER].section), TYPE_PARAMETER):
            return TYPE_PARAMETER  # first: the type decides what else is asked
        for section in self.schema.sections:
            if OFFER + section.id not in self.done and self._keepable(section):
                return OFFER + section.id
            for param in section.parameters:
                if self._pending(section, param.id):
                    return self._currency_first(param.id) or param.id
            if SUMMARY + section.id not in self.done and self._summarised(section):
                return SUMMARY + section.id
        return None

    def _pending(self, section: Section, pid: str) -> bool:
        if not self.answers.applies(pid):
            return False
        if self.answers.problems(pid):
            return True
        return pid not in self.done and not self._left_to_default(section, pid)

    def _left_to_default(self, section: Section, pid: str) -> bool:
        """Not asked on the way through: kept with the section's defaults, or filled in from
        earlier answers (and listed in the section's summary)."""
        if pid in section.always_ask and not self.quick:
            return False
        if pid == TYPE_PARAMETER and self._chooses_type():
            return False
        return self.answers.derived(pid) or (self._keeps(section) and has_default(self.schema[pid]))

    def _chooses_type(self) -> bool:
        """The library drafts more than one type of agreement: the wizard asks which, first, in
        every mode."""
        return TYPE_PARAMETER in self.schema and len(self.schema.types) > 1

    def _keeps(self, section: Section) -> bool:
        return self.quick or section.id in self.kept

    def _keepable(self, section: Section) -> list[str]:
        """The questions still to come in ``section`` that keeping its defaults would skip (none
        in quick mode, which keeps them without asking)."""
        if self.quick:
            return []
        return [
            p.id for p in section.parameters
            if p.id not in section.always_ask and p.id not in self.done and not (p.id == TYPE_PARAMETER and self._chooses_type()) and has_default(p)
            and self.answers.applies(p.id) and not self.answers.problems(p.id)
        ]

    def _summarised(self, section: Section) -> list[str]:
        """The values ``section`` filled in from earlier answers, for its summary (not those
        asked already, such as the currency confirmed before an amount)."""
        if self._keeps(section):
            return []
        return [p.id for p in section.parameters if self.answers.derived(p.id) and p.id not in section.always_ask and p.id not in self.done]

    def _currency_first(self, pid: str) -> str | None:
        """The step confirming the deal's currency, when ``pid`` asks an amount before it was."""
        currency = CURRENCY_PARAMETER
        if self.schema[pid].asks_amount() and currency in self.schema and self.answers.applies(currency) and currency not in self.done:
            return CONFIRM + currency
        return None

    def _previous(self, current: str | None) -> str | None:
        """The step to go back to from ``current`` (None: from the review)."""
        while self.history:
            step = self.history.pop()
            if step != current and self._askable(step):
                self.on_change(self)
                return step
        self.asker.say("  This is the first question.", "note")
        return current

    def _askable(self, step: str) -> bool:
        """Whether going back to ``step`` would ask something (a summary or an offer with nothing
        left to show is passed over)."""
        for marker, listed in ((SUMMARY, self._summarised), (OFFER, self._keepable)):
            if step.startswith(marker):
                section = self._section(step.removeprefix(marker))
                return section is not None and bool(listed(section))
        pid = step.removeprefix(CONFIRM)
        if pid not in self.schema or not self.answers.applies(pid):
            return False
        if step.startswith(CONFIRM) or self.answers.problems(pid):
            return True
        return not self._left_to_default(self._section_of(self.schema[pid].section), pid)

    def _section(self, section_id: str) -> Section | None:
        return next((s for s in self.schema.sections if s.id == section_id), None)

    # --- one step --------------------------------------------------------------------------------

    def _take(self, step: str):
        if step.startswith(SUMMARY):
            return self._summary(self._section_of(step.removeprefix(SUMMARY)))
        if step.startswith(OFFER):
            return self._offer(self._section_of(step.removeprefix(OFFER)))
        if step.startswith(CONFIRM):
            self.asker.say("  Every amount is in the deal's currency: confirm it before the first amount.", "note")
            return self.ask(step.removeprefix(CONFIRM), back=True, header=False)
        section = self._section_of(self.schema[step].section)
        return self.ask(step, back=True, brief=self._keeps(section))

    def _section_of(self, section_id: str) -> Section:
        section = self._section(section_id)
        assert section is not None, section_id
        return section

    def ask(self, pid: str, *, back: bool, header: bool = True, brief: bool = False):
        """Ask one question and keep the answer; returns BACK if the lawyer went back.
        ``brief``: new list entries are asked only their fields without a default."""
        param = self.answers.param(pid)
        if header:
            self._enter(param.section)
        show_help(self.asker, param)
        seen = pid in self.done or pid in self.answers.given  # a new question is not "missing" yet
        for problem in self.answers.problems(pid) if seen else ():
            field = f"{problem.field}: " if problem.field != pid else ""
            self.asker.say(f"  ! {field}{problem.message}", "error")
        if param.type.name == "list":
            records = self.answers.given.get(pid)
            if not isinstance(records, list):
                records = [{f.id: as_text(f, r[f.id]) for f in param.fields if r.get(f.id) is not None} for r in self.answers.value(pid) or []]

            def keep(entries):
                self.answers.set(pid, list(entries))
                self.on_change(self)

            editor = ListEditor(self.asker, param, [r for r in records if isinstance(r, dict)], keep, brief=brief)
            answer = editor.run(back=back)
        else:
            answer = ask_value(self.asker, param, self.answers.current_text(pid), back=back)
        if answer is BACK:
            return BACK
        self.answers.set(pid, answer)
        if pid not in self.done:
            self.done.append(pid)
        return None

    def _offer(self, section: Section):
        """At the start of a section: list its defaults and offer to keep them all."""
        self._enter(section.id)
        keepable = self._keepable(section)
        if not keepable:
            return None
        asked = [p.id for p in section.parameters if p.id not in keepable and self.answers.applies(p.id) and p.id not in self.done]
        self.asker.say(f"  {_count(len(keepable), 'question')} of this section {'has' if len(keepable) == 1 else 'have'} a default or may stay blank:", "note")
        for pid in keepable[:LISTED_DEFAULTS]:
            self.asker.say(f"    {self._line(pid)}")
        if len(keepable) > LISTED_DEFAULTS:
            self.asker.say(f"    … and {len(keepable) - LISTED_DEFAULTS} more (every answer is listed in the review)")
        rest = f"ask only the {_count(len(asked), 'question')} without one" if asked else "nothing else to ask here"
        choices = [(ASK_ALL, "Ask every question of this section"), (KEEP, f"Keep these defaults ({rest})")]
        picked = self.asker.select("Keep the defaults for this section?", choices, default=ASK_ALL, back=True)
        if picked is BACK:
            return BACK
        if picked == KEEP and section.id not in self.kept:
            self.kept.append(section.id)
        elif picked == ASK_ALL and section.id in self.kept:
            self.kept.remove(section.id)
        return None

    def _summary(self, section: Section):
        """Show what this section filled in by itself; let the lawyer change any of it."""
        self._enter(section.id)
        while True:
            derived = self._summarised(section)
            if not derived:
                return None
            self.asker.say("  Filled in from earlier answers and the jurisdiction profiles:", "note")
            for pid in derived:
                self.asker.say(f"    {self._line(pid)}")
            choices = [("keep", "Keep these")] + [(pid, f"Change: {self.schema[pid].label}") for pid in derived]
            picked = self.asker.select("Keep these, or change one?", choices, default="keep", back=True)
            if picked is BACK:
                return BACK
            if picked == "keep":
                return None
            if self.ask(picked, back=True) is not BACK:
                self.on_change(self)

    def _enter(self, section_id: str) -> None:
        if section_id == self._section_shown:
            return
        self._section_shown = section_id
        section = self._section_of(section_id)
        self.asker.say("")
        self.asker.say(f"== {section.title} ==", "section")
        if section.help:
            self.asker.say(wrap(section.help), "help")

    def _line(self, pid: str, limit: int = 70) -> str:
        """One answer as the wizard lists it: its label and its value (amounts with their currency)."""
        param = self.answers.param(pid)
        value = self.answers.value(pid)
        if value is None and templated(param):
            return f"{param.label}: (follows your earlier answers)"
        text = f"{param.label}: {display(param, value, limit=limit)}"
        if param.type.name == "list" and value:
            text += f" ({'; '.join(record_title(param, r) for r in value)})"
        return text

    # --- review ----------------------------------------------------------------------------------

    def review(self):
        """The review: one line per section, then a section's answers a page at a time.

        Returns GENERATE, QUIT, BACK, or None after an edit (the same page opens again next time).
        """
        self._section_shown = None
        if self._reopen is not None:
            section_id, page = self._reopen
            self._reopen = None
            section = self._section(section_id)
            if section is not None and self.answers.in_section(section):
                edited = self._open(section, page)
                if edited:
                    return None
        while True:
            self.asker.say("")
            self.asker.say("== Review your answers ==", "section")
            self.asker.say("  Open a section to see and change its answers.", "note")
            sections = [s for s in self.schema.sections if self.answers.in_section(s)]
            choices = [(GENERATE, "Generate the agreement")]
            choices += [(s.id, self._section_line(s)) for s in sections]
            choices.append((QUIT, "Quit (the answers are kept for --resume)"))
            picked = self.asker.select("What next?", choices, default=GENERATE, back=bool(self.history))
            if picked == GENERATE and not self.answers.complete():
                for problem in self.answers.resolution.problems:
                    self.asker.say(f"  ! {problem}", "error")
                return None
            if picked in (GENERATE, QUIT) or picked is BACK:
                return picked
            if self._open(self._section_of(picked), 0):
                return None

    def _section_line(self, section: Section) -> str:
        pids = self.answers.in_section(section)
        defaults = sum(1 for pid in pids if self.answers.outcome(pid).from_default)
        problems = sum(1 for pid in pids if self.answers.problems(pid))
        line = f"{section.title}: {_count(len(pids), 'answer')}" + (f", {defaults} from defaults" if defaults else "")
        return line + (f" ({problems} to correct)" if problems else "")

    def _open(self, section: Section, page: int) -> bool:
        """Show a section's answers a page at a time; True once one was changed."""
        while True:
            pages = _pages(self.answers.in_section(section))
            page = min(page, len(pages) - 1)
            self.asker.say("")
            where = f" (page {page + 1} of {len(pages)})" if len(pages) > 1 else ""
            self.asker.say(f"== Review: {section.title}{where} ==", "section")
            width = max(40, shutil.get_terminal_size((100, 40)).columns - 10)
            options = [(pid, self._review_line(pid, width)) for pid in pages[page]]
            if page + 1 < len(pages):
                options.append((NEXT_PAGE, f"More answers of this section (page {page + 2} of {len(pages)}) ›"))
            if page > 0:
                options.append((PREVIOUS_PAGE, f"‹ Earlier answers of this section (page {page} of {len(pages)})"))
            self.asker.say("  Pick an answer to change it; Back returns to the sections.", "note")
            picked = self.asker.select("Which answer?", options, back=True)
            if picked is BACK:
                return False
            if picked in (NEXT_PAGE, PREVIOUS_PAGE):
                page += 1 if picked == NEXT_PAGE else -1
                continue
            before = self.answers.values()
            if self.ask(picked, back=True) is not BACK:
                for change in self.answers.followed(before, picked):
                    self.asker.say(f"  Followed your change: {change.line()}", "note")
                self.on_change(self)
                self._reopen = (section.id, page)
                return True

    def _review_line(self, pid: str, width: int) -> str:
        outcome = self.answers.outcome(pid)
        mark = " (to correct)" if outcome.problems else (" (default)" if outcome.from_default else "")
        text = self._line(pid, limit=width)
        if len(text) + len(mark) > width:
            text = text[: width - len(mark) - 1] + "…"
        return text + mark


def _pages(items: list[str]) -> list[list[str]]:
    """``items`` in pages of at most PAGE, as even as possible."""
    count = max(1, -(-len(items) // PAGE))
    size = -(-len(items) // count) if items else 1
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
