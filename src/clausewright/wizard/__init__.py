"""The interactive wizard: the questions of the parameter schema, asked in the terminal.

``run()`` drives one session (fresh, prefilled from a deal or answers file, or resumed) and
writes the DOCX with its answers file. ``ask_missing()`` serves ``generate --ask-missing``: it asks
only for the answers a deal file lacks or gets wrong.
"""

from __future__ import annotations

from pathlib import Path

from clausewright import pipeline
from clausewright.errors import InputError
from clausewright.findings import FindingsError
from clausewright.interview.answers import Answers
from clausewright.interview.output import suggested_name
from clausewright.interview.session import Session, session_path
from clausewright.wizard.asker import (
    Asker,
    Cancelled,
    TerminalAsker,
    is_terminal,
    make_asker,
)
from clausewright.wizard.flow import Wizard
from clausewright.wizard.output import (
    Written,
    answers_path,
    check_free,
    write_agreement,
    write_answers,
)

__all__ = ["Answers", "Asker", "Cancelled", "Wizard", "Written", "ask_missing", "make_asker", "run"]


def run(
    sources: pipeline.Sources,
    asker: Asker,
    *,
    output: Path | None = None,
    answers_file: Path | None = None,
    resume: bool = False,
    quick: bool = False,
    force: bool = False,
    allow: tuple[str, ...] | list[str] = (),
    options: str = "",
) -> Written | None:
    """One wizard session. Returns what was written, or None when the lawyer quit.

    ``quick``: ask only the questions without a default (a resumed session stays quick if it
    was); every other answer is at the review.

    Raises ``Cancelled`` on Ctrl-C or end of input; the answers so far are then in the session
    file (``session_path(output)``). Error-level check findings not named in ``allow`` stop the
    generation and bring the lawyer back to the review.
    """
    if output is not None:
        check_free(output, force=force)
    path = session_path(output)
    if not resume and path.exists():
        resume = _offer_to_resume(asker, path)
        if not resume:
            path.unlink()
    if resume:
        session = Session.load(path)
        answers, unknown = Answers.from_file_data(session.answers, sources.schema, sources.jurisdictions)
        session.quick = session.quick or quick
        wizard = Wizard(asker, answers, done=session.done, history=session.history, kept=session.kept, quick=session.quick)
        asker.say(f"Continuing the answers saved in {path}.", "note")
    else:
        raw = pipeline.read_answers(answers_file) if answers_file else {}
        answers, unknown = Answers.from_file_data(raw, sources.schema, sources.jurisdictions)
        wizard = Wizard(asker, answers, quick=quick)
        session = Session(path, output, quick=quick)
        if answers_file:
            wizard.mark_answered()
            missing = len({p.field.split("[")[0] for p in answers.resolution.problems})
            asker.say(f"Answers read from {answers_file}" + (f"; {missing} still to give or correct." if missing else "."), "note")
    for problem in unknown:
        asker.say(f"  Ignored {problem.field}: {problem.message}", "note")
    if wizard.quick:
        asker.say(QUICK_NOTE, "note")

    def autosave(w: Wizard) -> None:
        session.answers, session.done, session.history, session.kept = w.answers.tree(), w.done, w.history, w.kept
        session.save()

    wizard.on_change = autosave
    if answers.given:
        autosave(wizard)
    while True:
        if not wizard.run():
            autosave(wizard)
            return None
        if output is None:
            output = _ask_output(asker, answers, force)
        try:
            written = write_agreement(answers.deal(), sources, output, force=force, options=options, allow=allow)
        except FindingsError as exc:  # e.g. placeholders left in a final version: back to the review
            asker.say(str(exc), "error")
            asker.say("Change the answers concerned, or quit and keep them for later.", "note")
            continue
        session.delete()
        return written


QUICK_NOTE = (
    "Quick mode: only the questions without a default are asked (and the currency before the first amount). "
    "Every other answer keeps its default; the review at the end lists every answer by section, "
    "and any of them can be seen and changed there before the agreement is written."
)


def _offer_to_resume(asker: Asker, path: Path) -> bool:
    asker.say(f"There are unfinished answers from an earlier session in {path}.", "note")
    picked = asker.select(
        "Continue them, or start over?",
        [("resume", "Continue where I left off"), ("new", "Start over (the saved answers will be replaced)")],
        default="resume",
        back=False,
    )
    return picked == "resume"


def _ask_output(asker: Asker, answers: Answers, force: bool) -> Path:
    suggestion = suggested_name(answers.value("supplier.name"), answers.value("buyer.name"))

    def check(typed: str) -> str | None:
        path = Path(typed.strip() or suggestion)
        if path.suffix.lower() != ".docx":
            return "the name must end in .docx"
        if not (path.parent if str(path.parent) else Path(".")).is_dir():
            return f"folder {path.parent} does not exist"
        for target in (path, answers_path(path)):
            if target.exists() and not force:
                return f"{target} already exists; choose another name"
        return None

    typed = asker.text("Save the agreement as", current=suggestion, check=check, back=False)
    return Path(typed.strip() or suggestion)


def ask_missing(
    deal_file: Path,
    overrides: tuple[str, ...] | list[str],
    output: Path,
    sources: pipeline.Sources,
    *,
    force: bool = False,
    asker: Asker | None = None,
) -> tuple[Path, tuple[str, ...]]:
    """For ``generate --ask-missing``: on a terminal, ask for what DEAL lacks or gets wrong.

    The completed answers are saved as OUTPUT's answers file, which is returned (with no
    overrides left) for ``generate`` to use. With nothing to ask, or without a terminal, DEAL and
    the overrides are returned unchanged, and validation reports every problem as usual.
    """
    raw = pipeline.read_answers(deal_file, overrides)
    answers, unknown = Answers.from_file_data(raw, sources.schema, sources.jurisdictions)
    if answers.complete() and not unknown:
        return deal_file, tuple(overrides)
    if asker is None:
        if not is_terminal():
            return deal_file, tuple(overrides)
        asker = TerminalAsker()
    if unknown:
        raise InputError(unknown, str(deal_file))
    check_free(output, force=force)
    count = len({p.field.split("[")[0] for p in answers.resolution.problems})
    asker.say(f"{deal_file}: {count} answer{'s' if count != 1 else ''} missing or invalid.", "note")
    wizard = Wizard(asker, answers, review=False)
    wizard.mark_answered()
    wizard.run()
    path = write_answers(answers.deal(), sources, output, force=force)
    asker.say(f"Saved the completed answers in {path}.", "note")
    return path, ()
