"""What a library's code may compute: the bounds on every clause fragment, condition, default and
note that a clause library or a jurisdiction profile runs.

A library is content from outside the firm, so each run of its code (one fragment render, one
``when`` condition, one default) is bounded in

- **size**: no value may be longer than ``MAX_SIZE`` characters or items. Where the size of a
  result follows from its inputs (repeating, joining and concatenating, padding and format widths,
  replacing, turning a list into text) it is checked *before* the value is built, so a refused
  value never takes memory; every other result is checked as soon as it exists;
- **allocation**: the values a run builds add up to at most ``MAX_ALLOCATED`` characters or items,
  so a loop cannot keep thousands of values of the largest size;
- **numbers**: no integer may have more than ``MAX_DIGITS`` digits (Python's own limit for printing
  one), checked before a multiplication or power builds it;
- **time**: ``TIME_LIMIT`` seconds of wall-clock time, where signals can be used (the main thread
  on a POSIX system);
- **memory**: the process may grow by at most ``MEMORY_ALLOWANCE`` bytes while the run lasts, where
  the platform enforces a limit on a process's data (Linux). This is the backstop for whatever
  the checks above do not foresee.

The sandbox (sandbox.py) calls these checks wherever library code builds a value; ``bounded()``
sets up one run.
"""

from __future__ import annotations

import _signal  # getsignal without signal.getsignal's conversion to an enum, which costs more than a short run
import os
import re
import signal
import sys
import threading
import time
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

MAX_SIZE = 1_000_000  # characters or items in one value, and the largest number a call may take
MAX_OUTPUT = 2_000_000  # characters one fragment, default or captured block may produce
MAX_ALLOCATED = 20_000_000  # characters or items one run may build in all
MAX_DIGITS = 4_300  # digits of one integer
MAX_EXPONENT = 64
MAX_RANGE = 10_000  # numbers in one range()
TIME_LIMIT = 5.0  # seconds one run may take
MEMORY_ALLOWANCE = 512 * 1024 * 1024  # bytes the process may grow by during one run


class LimitExceeded(Exception):
    """Library code went beyond a bound; the message says which, in a lawyer's terms."""


class _Run:
    __slots__ = ("allocated",)

    def __init__(self) -> None:
        self.allocated = 0


_current: ContextVar[_Run | None] = ContextVar("clausewright_library_run", default=None)


# --- sizes -------------------------------------------------------------------------------------


def bound(size: int, what: str) -> None:
    """Refuse a value of ``size`` characters or items before (or as soon as) it is built."""
    if size > MAX_SIZE:
        raise LimitExceeded(f"{what} would be at least {size:,} characters or items long; the limit is {MAX_SIZE:,}")


def charge(size: int) -> None:
    """Count ``size`` characters or items against the current run's allocation."""
    run = _current.get()
    if run is not None:
        run.allocated += size
        if run.allocated > MAX_ALLOCATED:
            raise LimitExceeded(f"built more than {MAX_ALLOCATED:,} characters or items of text and lists in all; the limit is {MAX_ALLOCATED:,}")


def check(size: int, what: str) -> None:
    """``bound`` and ``charge``: for a value that is being built."""
    bound(size, what)
    charge(size)


def size(value: Any) -> int:
    """A value's length in characters or items (an integer's or a decimal's in digits)."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return digits(value)
    if isinstance(value, Decimal):
        return _decimal_digits(value)
    return 0


def digits(number: int) -> int:
    """About how many digits an integer has (never fewer), without printing it."""
    return number.bit_length() * 30103 // 100000 + 1


def bound_numbers(values: Any) -> None:
    """The numbers given to a call or filter (a count, a width, a number of places) are at most
    ``MAX_SIZE``."""
    numbers = [abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if numbers and max(numbers) > MAX_SIZE:
        raise LimitExceeded(f"a call or filter was given the number {max(numbers):,}; the limit is {MAX_SIZE:,}")


def bound_range(values: Any) -> None:
    numbers = [abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if numbers and max(numbers) > MAX_RANGE:
        raise LimitExceeded(f"range() was given the number {max(numbers):,}; the limit is {MAX_RANGE:,}")


def bound_exponent(exponent: Any) -> None:
    if isinstance(exponent, (int, float)) and abs(exponent) > MAX_EXPONENT:
        raise LimitExceeded(f"a power has the exponent {exponent:,}; the limit is {MAX_EXPONENT}")


def bound_digits(count: int, what: str) -> None:
    if count > MAX_DIGITS:
        raise LimitExceeded(f"{what} would have about {count:,} digits; the limit is {MAX_DIGITS:,}")


def _decimal_digits(number: Decimal) -> int:
    if not number.is_finite():
        return 3
    sign, numerals, exponent = number.as_tuple()
    return len(numerals) + abs(int(exponent))


def text_size(value: Any, limit: int = MAX_SIZE) -> int:
    """About how long ``str(value)`` is (never shorter), without building it: a list or mapping
    counts everything in it, as often as it appears (a list that holds itself counts without
    end, and is refused). Counting stops once past ``limit``."""
    total, pending = 0, [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset, dict)):
            total += 2 + 4 * len(item)  # brackets, separators and quotes
            if total <= limit:
                pending.extend((*item.keys(), *item.values()) if isinstance(item, dict) else item)
        elif isinstance(item, (int, Decimal)) and not isinstance(item, bool):
            total += size(item) + 1
        else:
            total += 40  # a date, a float, None, an object's short description
    return total


def as_text(value: Any, what: str) -> str:
    """``str(value)``, refused before it is built when it would be too long."""
    if isinstance(value, str):
        return value
    bound(text_size(value), what)
    return str(value)


# --- what an operation would build ------------------------------------------------------------------

_NUMBER = re.compile(r"\d+")
# a %-conversion: %(key)-08.3f and the like
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")


def _number(text: str) -> int:
    return int(text) if len(text) <= 12 else 10**12  # a width of thirteen digits is refused anyway


def spec_width(spec: str) -> int:
    """The largest width or precision in a ``str.format`` field's spec (``>999`` is 999)."""
    return max((_number(n) for n in _NUMBER.findall(spec)), default=0)


def percent_format_size(template: str, values: Any) -> int:
    """How long ``template % values`` can be: its text, its values, and every width and precision."""
    widths = 0
    for field in _PERCENT_FIELD.finditer(template):
        width, precision = field.group(1) or "", field.group(2) or ""
        if "*" in (width, precision):
            raise LimitExceeded("a '%' format takes its width from the values ('*'), which is not allowed")
        widths += _number(width or "0") + _number(precision or "0")
    return len(template) + widths + text_size(values)


def replace_size(text: str, old: str, new: str, count: int | None = None) -> int:
    """How long ``text.replace(old, new, count)`` is (replacing ``''`` inserts between characters)."""
    found = text.count(old)
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def join_size(items: list[Any], separator: Any) -> int:
    return sum(text_size(item) for item in items) + len(str(separator)) * max(len(items) - 1, 0)


# --- one run ----------------------------------------------------------------------------------------


class bounded:  # noqa: N801 - used as ``with limits.bounded():``, like a function
    """Run library code within the bounds: ``with limits.bounded(): ...``. A run inside a run is
    part of the outer one. (A class rather than a generator: a short condition runs in a few
    microseconds, and a run is set up for each.)"""

    __slots__ = ("_token", "_alarm", "_data_limit")

    def __enter__(self) -> bounded:
        self._token = None
        if _current.get() is None:
            self._token = _current.set(_Run())
            main = threading.current_thread() is threading.main_thread()
            self._data_limit = _lower_data_limit(MEMORY_ALLOWANCE) if main and _DATA_LIMIT else None
            self._alarm = _set_alarm(TIME_LIMIT) if main and _ALARMS else None
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self._token is None:
            return
        try:
            _clear_alarm(self._alarm)
        except _Timeout:  # the alarm went off as the run ended: it still ran out of time
            kind = _Timeout
            _clear_alarm(self._alarm)
        _restore_data_limit(self._data_limit)
        _current.reset(self._token)
        if kind is _Timeout:
            raise LimitExceeded(f"took longer than {TIME_LIMIT:g} seconds") from None
        if kind is MemoryError:
            raise LimitExceeded(f"needed more than {MEMORY_ALLOWANCE // 2**20:,} MB of memory") from None


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so library code's own ``except Exception`` cannot
    swallow it."""


# The alarm handler stays installed once set (installing a handler for every run costs more
# than the run of a short condition). Outside a run it passes the alarm on to the handler it
# replaced, so another user of SIGALRM (a test runner's timeout) keeps working.
_ALARMS = hasattr(signal, "setitimer")
_timing = False
_replaced_handler: Any = None


def _on_alarm(signum, frame):
    global _timing
    if _timing:
        _timing = False  # one alarm, one timeout
        raise _Timeout()
    if callable(_replaced_handler):
        _replaced_handler(signum, frame)


def _set_alarm(seconds: float) -> tuple[float, float] | None:
    """Raise ``_Timeout`` in ``seconds``; returns what ``_clear_alarm`` needs: when, and an alarm
    that was pending."""
    global _timing, _replaced_handler
    if _timing:
        return None
    if _signal.getsignal(signal.SIGALRM) is not _on_alarm:
        _replaced_handler = signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    pending, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    _timing = True
    return started, pending


def _clear_alarm(alarm: tuple[float, float] | None) -> None:
    global _timing
    if alarm is None:
        return
    _timing = False
    signal.setitimer(signal.ITIMER_REAL, 0)
    started, pending = alarm
    if pending:  # someone else's alarm was pending: set it again for the time it had left
        signal.setitimer(signal.ITIMER_REAL, max(pending - (time.monotonic() - started), 0.001))


# The limit on the process's data (private memory) that Linux enforces (RLIMIT_DATA, counting
# anonymous mappings since Linux 4.7); elsewhere there is no dependable equivalent. What the
# process uses is read from /proc at most once a second: runs follow each other by the thousand,
# and a second of growth outside them is nothing beside the allowance.
_DATA_LIMIT = sys.platform.startswith("linux")
_USAGE_EVERY = 1.0  # seconds


class _Process:
    """What is known of this process's memory (forgotten in a forked child, which is another)."""

    statm: int | None = None  # an open /proc/self/statm
    used: int = 0
    read_at: float = -_USAGE_EVERY
    limits: tuple[int, int] | None = None  # RLIMIT_DATA as found (soft, hard)


def _forget_process() -> None:
    _Process.statm, _Process.read_at, _Process.limits = None, -_USAGE_EVERY, None


if _DATA_LIMIT:
    os.register_at_fork(after_in_child=_forget_process)


def _data_size() -> int | None:
    """The bytes of data the process uses (what RLIMIT_DATA limits), or None if unknown."""
    now = time.monotonic()
    if now - _Process.read_at >= _USAGE_EVERY:
        try:
            if _Process.statm is None:
                _Process.statm = os.open("/proc/self/statm", os.O_RDONLY)
            _Process.used = int(os.pread(_Process.statm, 200, 0).split()[5]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return None
        _Process.read_at = now
    return _Process.used


def _lower_data_limit(extra: int) -> tuple[int, int] | None:
    """Let the process's data grow by at most ``extra`` bytes; returns the limits to restore."""
    import resource

    used = _data_size()
    if used is None:
        return None
    if _Process.limits is None:
        _Process.limits = resource.getrlimit(resource.RLIMIT_DATA)
    soft, hard = _Process.limits
    limit = used + extra if hard == resource.RLIM_INFINITY else min(used + extra, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:  # already as tight
        return None
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    return soft, hard


def _restore_data_limit(limits: tuple[int, int] | None) -> None:
    if limits is not None:
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, limits)
