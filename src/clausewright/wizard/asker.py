"""How the wizard talks to the lawyer: one small interface, two implementations.

``TerminalAsker`` uses questionary (arrow-key lists, live editing) when both stdin and stdout
are terminals. ``PlainAsker`` uses ``click.prompt`` otherwise (pipes, scripts, tests): choices are
picked by number, and the end of input cancels instead of waiting for more.

Every prompt can return ``BACK`` (the "‹ Back" choice in a list, or ``<`` typed alone at a text
prompt). Ctrl-C and end of input raise ``Cancelled``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import click

from clausewright.errors import ClausewrightError

BACK_KEY = "<"
BACK_LABEL = "‹ Back"


class _Back:
    def __repr__(self) -> str:
        return "BACK"


BACK: Any = _Back()
_NONE = object()  # no choice matches what was typed

Check = Callable[[str], "str | None"]  # the typed text -> an error message, or None when acceptable
Choices = Sequence[tuple[Any, str]]  # (value, label)


class Cancelled(ClausewrightError):
    """The lawyer pressed Ctrl-C or input ended."""

    exit_code = 130

    def __init__(self, message: str = "cancelled; nothing was written"):
        super().__init__(message)


class Asker(Protocol):
    def say(self, text: str, kind: str = "plain") -> None:
        """Show text: ``kind`` is one of plain, section, help, note, error."""

    def text(self, message: str, *, current: str | None, check: Check, multiline: bool = False, back: bool = True, hint: str = "", blank_ok: bool = False) -> Any:
        """Ask for text. An empty answer means "keep ``current``" (the caller decides what that is);
        ``blank_ok``: an empty answer leaves an optional question blank (said in the instructions)."""

    def select(self, message: str, choices: Choices, *, default: Any = None, back: bool = True) -> Any:
        """Pick one value."""

    def checkbox(self, message: str, choices: Choices, *, default: Sequence[Any] = (), back: bool = True) -> Any:
        """Pick any number of values."""


# How a multi-line answer is typed and finished: on a terminal (questionary), and line by line.
TERMINAL_KEYS = {"keys": "Several lines: Enter starts a new line, Esc then Enter finishes", "at_once": "Esc then Enter at once"}
PLAIN_KEYS = {"keys": "several lines; an empty line finishes", "at_once": "an empty first line"}


def multiline_instruction(keys: dict[str, str], current: str | None, blank_ok: bool) -> str:
    """The instruction shown with a multi-line question, including what finishing at once does:
    keep the answer shown, or leave an optional answer blank."""
    if current:
        return f"{keys['keys']}; {keys['at_once']} keeps the answer shown"
    if blank_ok:
        return f"{keys['keys']}; {keys['at_once']} leaves it blank"
    return keys["keys"]


def is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def make_asker() -> Asker:
    return TerminalAsker() if is_terminal() else PlainAsker()


_STYLES: dict[str, dict[str, Any]] = {
    "section": {"bold": True, "fg": "cyan"},
    "help": {"dim": True},
    "note": {"fg": "yellow"},
    "error": {"fg": "red"},
}


def _echo(text: str, kind: str) -> None:
    style: dict[str, Any] = _STYLES.get(kind) or {}
    click.echo(click.style(text, **style) if style else text)


class PlainAsker:
    """Line-by-line prompts through click: works with pipes and click's test runner."""

    def say(self, text: str, kind: str = "plain") -> None:
        _echo(text, kind)

    def _line(self, prompt: str, suffix: str = ": ") -> str:
        try:
            return click.prompt(prompt, default="", show_default=False, prompt_suffix=suffix)
        except (click.Abort, EOFError, KeyboardInterrupt):
            raise Cancelled() from None

    def text(self, message, *, current, check, multiline=False, back=True, hint="", blank_ok=False):
        if hint:
            _echo(f"  ({hint})", "help")
        shown = f" [{_one_line(current)}]" if current else ""
        while True:
            if multiline:
                typed = self._lines(f"{message}{shown} ({multiline_instruction(PLAIN_KEYS, current, blank_ok)})")
            else:
                typed = self._line(f"{message}{shown}")
            if back and typed.strip() == BACK_KEY:
                return BACK
            error = check(typed)
            if error is None:
                return typed
            _echo(f"  ! {error}", "error")

    def _lines(self, prompt: str) -> str:
        first = self._line(prompt)
        if not first:
            return ""
        lines = [first]
        while True:
            line = self._line("", suffix="  ... ")
            if not line:
                return "\n".join(lines)
            lines.append(line)

    def select(self, message, choices, *, default=None, back=True):
        choices = list(choices)
        values = [v for v, _ in choices]
        start = values.index(default) + 1 if default in values else 1
        _echo(message, "plain")
        for n, (_, label) in enumerate(choices, start=1):
            _echo(f"  {n}) {label}", "plain")
        if back:
            _echo(f"  {BACK_KEY}) Back", "plain")
        while True:
            typed = self._line(f"Choose 1-{len(choices)} [{start}]").strip()
            if back and typed == BACK_KEY:
                return BACK
            if not typed:
                return choices[start - 1][0]
            picked = _pick(typed, choices)
            if picked is not _NONE:
                return picked
            _echo(f"  ! type a number from 1 to {len(choices)}" + (f", or {BACK_KEY} to go back" if back else ""), "error")

    def checkbox(self, message, choices, *, default=(), back=True):
        choices = list(choices)
        _echo(message, "plain")
        for n, (value, label) in enumerate(choices, start=1):
            mark = "x" if value in default else " "
            _echo(f"  {n}) [{mark}] {label}", "plain")
        if back:
            _echo(f"  {BACK_KEY}) Back", "plain")
        while True:
            typed = self._line("Numbers separated by commas (Enter keeps the ticked ones)").strip()
            if back and typed == BACK_KEY:
                return BACK
            if not typed:
                return [v for v, _ in choices if v in default]
            picked = [_pick(part.strip(), choices) for part in typed.split(",") if part.strip()]
            if all(p is not _NONE for p in picked):
                return [v for v, _ in choices if v in picked]
            _echo(f"  ! type numbers from 1 to {len(choices)}, separated by commas", "error")


def _pick(typed: str, choices: list[tuple[Any, str]]) -> Any:
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1][0]
    for value, label in choices:
        if typed.lower() in (str(value).lower(), label.lower()):
            return value
    return _NONE


def _one_line(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " / ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TerminalAsker:
    """questionary prompts on a real terminal; always ``unsafe_ask()``, so Ctrl-C cancels."""

    def __init__(self):
        import questionary  # imported here: prompt_toolkit needs a terminal

        self.q = questionary

    def say(self, text: str, kind: str = "plain") -> None:
        _echo(text, kind)

    def _ask(self, question) -> Any:
        try:
            return question.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise Cancelled() from None

    def text(self, message, *, current, check, multiline=False, back=True, hint="", blank_ok=False):
        def validate(typed: str):
            if back and typed.strip() == BACK_KEY:
                return True
            error = check(typed)
            return True if error is None else error

        if multiline:
            keys = [multiline_instruction(TERMINAL_KEYS, current, blank_ok)]
        else:
            keys = ["Enter keeps the grey text" if current else ""]
        keys.append(f"{BACK_KEY} goes back" if back else "")
        instruction = "; ".join(k for k in keys if k)
        if hint:
            _echo(f"  ({hint})", "help")
        typed = self._ask(
            self.q.text(
                message,
                validate=validate,
                multiline=multiline,
                instruction=f"({instruction})" if instruction else None,
                placeholder=[("class:placeholder", current or "")],
                validate_while_typing=False,
                style=self.q.Style([("placeholder", "fg:#888888")]),
            )
        )
        if back and typed.strip() == BACK_KEY:
            return BACK
        return typed

    def select(self, message, choices, *, default=None, back=True):
        options = [self.q.Choice(title=label, value=value) for value, label in choices]
        if back:
            options.append(self.q.Choice(title=BACK_LABEL, value=BACK))
        values = [v for v, _ in choices]
        return self._ask(self.q.select(message, choices=options, default=default if default in values else None))

    def checkbox(self, message, choices, *, default=(), back=True):
        options = [self.q.Choice(title=label, value=value, checked=value in default) for value, label in choices]
        instruction = "(Space ticks, Enter confirms" + (f"; tick {BACK_LABEL} alone to go back)" if back else ")")
        if back:
            options.append(self.q.Choice(title=BACK_LABEL, value=BACK))
        picked = self._ask(self.q.checkbox(message, choices=options, instruction=instruction))
        if BACK in picked:
            return BACK
        return picked
