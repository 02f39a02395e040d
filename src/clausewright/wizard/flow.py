"""The question loop: sections in order, only the questions that apply, back, and a review.

A *step* is either a parameter id (ask that question) or ``section:<id>`` (show the values the
section filled in from earlier answers and profiles, and offer to change them). After every
answer the whole schema is evaluated again, so the next step, the conditions and the computed
defaults always follow the answers as they now stand.

- A question is asked when it applies and is not yet done, or when its answer is missing or
  invalid.
- A question whose default is computed from earlier answers (``{{ ... }}``) is not asked when the
  default gives a valid value: the section's summary lists such values and lets the lawyer
  change any of them. Until changed, they keep following the answers they come from.
- Back returns to the previous question asked (skipping any that no longer apply).
- The review lists every answer by section; the lawyer can change any answer, generate, or quit.
"""

from __future__ import annotations

from collections.abc import Callable

from clausewright.inputs.schema import Section
from clausewright.wizard.answers import Answers, as_text, display
from clausewright.wizard.asker import BACK, Asker
from clausewright.wizard.questions import ListEditor, ask_value, show_help, wrap

SUMMARY = "section:"
GENERATE, QUIT = "generate", "quit"


class Wizard:
    def __init__(
        self,
        asker: Asker,
        answers: Answers,
        *,
        done: list[str] | None = None,
        history: list[str] | None = None,
        review: bool = True,
        on_change: Callable[[Wizard], None] | None = None,
    ):
        self.asker = asker
        self.answers = answers
        self.schema = answers.schema
        self.done: list[str] = list(dict.fromkeys(done or []))
        self.history: list[str] = list(history or [])
        self.with_review = review
        self.on_change = on_change or (lambda wizard: None)
        self._section_shown: str | None = None

    def mark_answered(self) -> None:
        """Treat the answers as they stand as given (answers read from a file): only missing or
        invalid answers are asked, and questions that start to apply after a change."""
        steps = [pid for pid in self.schema.ids() if self.answers.applies(pid) or pid in self.answers.given]
        steps += [SUMMARY + s.id for s in self.schema.sections]
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
        for section in self.schema.sections:
            for param in section.parameters:
                pid = param.id
                if not self.answers.applies(pid) or self.answers.derived(pid):
                    continue
                if pid not in self.done or self.answers.problems(pid):
                    return pid
            if SUMMARY + section.id not in self.done and self._derived(section):
                return SUMMARY + section.id
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
        if step.startswith(SUMMARY):
            section = next((s for s in self.schema.sections if SUMMARY + s.id == step), None)
            return section is not None and bool(self._derived(section))
        return step in self.schema and self.answers.applies(step) and not self.answers.derived(step)

    def _derived(self, section: Section) -> list[str]:
        return [p.id for p in section.parameters if self.answers.derived(p.id)]

    # --- one step --------------------------------------------------------------------------------

    def _take(self, step: str):
        if step.startswith(SUMMARY):
            return self._summary(next(s for s in self.schema.sections if SUMMARY + s.id == step))
        return self.ask(step, back=True)

    def ask(self, pid: str, *, back: bool):
        """Ask one question and keep the answer; returns BACK if the lawyer went back."""
        param = self.schema[pid]
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

            answer = ListEditor(self.asker, param, [r for r in records if isinstance(r, dict)], keep).run(back=back)
        else:
            answer = ask_value(self.asker, param, self.answers.current_text(pid), back=back)
        if answer is BACK:
            return BACK
        self.answers.set(pid, answer)
        if pid not in self.done:
            self.done.append(pid)
        return None

    def _summary(self, section: Section):
        """Show what this section filled in by itself; let the lawyer change any of it."""
        self._enter(section.id)
        while True:
            derived = self._derived(section)
            if not derived:
                return None
            self.asker.say("  Filled in from earlier answers and the jurisdiction profiles:", "note")
            for pid in derived:
                self.asker.say(f"    {self.schema[pid].label}: {display(self.schema[pid], self.answers.value(pid))}")
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
        section = next(s for s in self.schema.sections if s.id == section_id)
        self.asker.say("")
        self.asker.say(f"== {section.title} ==", "section")
        if section.help:
            self.asker.say(wrap(section.help), "help")

    # --- review ----------------------------------------------------------------------------------

    def show_answers(self) -> None:
        self.asker.say("")
        self.asker.say("== Review your answers ==", "section")
        for section in self.schema.sections:
            pids = [p.id for p in section.parameters if self.answers.applies(p.id)]
            if not pids:
                continue
            self.asker.say(section.title, "section")
            for pid in pids:
                param = self.schema[pid]
                mark = "  (default)" if self.answers.outcome(pid).from_default else ""
                self.asker.say(f"  {param.label}: {display(param, self.answers.value(pid))}{mark}")
                if param.type.name == "list":
                    for n, record in enumerate(self.answers.value(pid) or [], start=1):
                        shown = " — ".join(display(f, record[f.id], limit=40) for f in param.fields if record.get(f.id) is not None)
                        self.asker.say(f"      {n}. {shown}")
        self._section_shown = None

    def review(self):
        """The review screen; returns GENERATE, QUIT, BACK, or None after an edit."""
        self.show_answers()
        choices = [(GENERATE, "Generate the agreement"), ("edit", "Change an answer"), (QUIT, "Quit (the answers are kept for --resume)")]
        picked = self.asker.select("What next?", choices, default=GENERATE, back=bool(self.history))
        if picked == GENERATE and not self.answers.complete():
            for problem in self.answers.resolution.problems:
                self.asker.say(f"  ! {problem}", "error")
            return None
        if picked != "edit":
            return picked
        while True:
            sections = [(s.id, s.title) for s in self.schema.sections if any(self.answers.applies(p.id) for p in s.parameters)]
            if len(sections) == 1:
                section_id = sections[0][0]
            else:
                section_id = self.asker.select("Which section?", sections, back=True)
                if section_id is BACK:
                    return None
            section = next(s for s in self.schema.sections if s.id == section_id)
            pids = [p.id for p in section.parameters if self.answers.applies(p.id)]
            options = [(pid, f"{self.schema[pid].label}: {display(self.schema[pid], self.answers.value(pid), limit=40)}") for pid in pids]
            pid = self.asker.select("Which answer?", options, back=True)
            if pid is BACK:
                if len(sections) == 1:
                    return None
                continue
            if self.ask(pid, back=True) is not BACK:
                self.on_change(self)
                return None
