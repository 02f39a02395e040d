"""The sandboxed Jinja environments for clause fragments and for schema expressions.

Library content is treated as untrusted: the sandbox blocks attribute tricks
(``__class__``, ``__globals__``), undefined names are errors, and rendering is bounded in
output size. Every ``{{ }}`` output in a fragment is replaced by a literal token, so a deal value
can never be read as markup: the token is turned back into exactly the value's text when the
document is built.
"""

from __future__ import annotations

import datetime as _dt
import re
import signal
import threading
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, pass_context
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from clausewright import formatting

LITERAL_OPEN, LITERAL_CLOSE = "\ufdd0", "\ufdd1"
LITERAL = re.compile(f"{LITERAL_OPEN}(\\d+){LITERAL_CLOSE}")
MAX_OUTPUT = 2_000_000  # characters one fragment may produce
MAX_RANGE = 10_000
MAX_SIZE = 1_000_000  # largest number a fragment may pass to a call or repeat a string by
TIME_LIMIT = 5.0  # seconds one fragment may take to render


# Deal values the filters read without the fragment naming them (``money`` without a currency
# reads the deal currency), as paths below ``deal``: part of what a render depends on (assembly/render_cache.py).
IMPLICIT_DEAL_READS = (("commercial", "currency"),)


class FragmentError(Exception):
    """A fragment failed to compile or render; the message says why in a lawyer's terms."""


def _text(value: Any, ctx) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, _dt.date):
        return formatting.date(value, ctx.get("_locale", formatting.DEFAULT_LOCALE))
    if isinstance(value, Decimal):
        return formatting.number(value, ctx.get("_locale", formatting.DEFAULT_LOCALE))
    return "" if value is None else str(value)


@pass_context
def _protect(ctx, value: Any) -> str:
    literals = ctx.get("_literals")
    text = _text(value, ctx)
    if literals is None:  # expression environment: plain text
        return text
    literals.append(text)
    return f"{LITERAL_OPEN}{len(literals) - 1}{LITERAL_CLOSE}"


def _locale(ctx) -> str:
    return ctx.get("_locale", formatting.DEFAULT_LOCALE)


def deal_currency(deal: dict[str, Any]) -> str:
    """The currency of a deal's amounts (the deal values, nested): what ``money`` prints when no
    currency is named."""
    return (deal.get("commercial") or {}).get("currency") or "USD"


def _currency(ctx, currency):
    return currency or deal_currency(ctx.get("deal") or {})


@pass_context
def _f_date(ctx, value, locale=None):
    return formatting.date(value, locale or _locale(ctx))


@pass_context
def _f_money(ctx, value, currency=None, locale=None):
    return formatting.money(value, _currency(ctx, currency), locale or _locale(ctx))


@pass_context
def _f_money_words(ctx, value, currency=None, locale=None):
    return formatting.money_words(value, _currency(ctx, currency), locale or _locale(ctx))


@pass_context
def _f_number(ctx, value, places=None, locale=None):
    return formatting.number(value, locale or _locale(ctx), places)


@pass_context
def _f_words(ctx, value, locale=None):
    return formatting.words(value, locale or _locale(ctx))


@pass_context
def _f_percent(ctx, value, locale=None):
    return formatting.percent(value, locale or _locale(ctx))


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with bounds on sizes so a fragment cannot exhaust memory."""

    intercepted_binops = frozenset(["*", "**"])

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
        if __obj is range and numbers and max(abs(n) for n in numbers) > MAX_RANGE:
            raise SecurityError(f"range() larger than {MAX_RANGE} is not allowed in a fragment")
        if numbers and max(abs(n) for n in numbers) > MAX_SIZE:
            raise SecurityError(f"a call with a number above {MAX_SIZE:,} is not allowed in a fragment")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise SecurityError("exponents above 64 are not allowed in a fragment")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_SIZE:
                    raise SecurityError(f"repeating text or a list beyond {MAX_SIZE:,} items is not allowed in a fragment")
        return super().call_binop(context, operator, left, right)


class _Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Bound the wall-clock time of a render (main thread only, where signals can be used)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _make(protect: bool) -> SandboxedEnvironment:
    env = _Sandbox(
        undefined=StrictUndefined,
        comment_start_string="{##",  # "{#anchor}" is markup, so Jinja comments are {## ... ##}
        comment_end_string="##}",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_protect if protect else None,
    )
    env.filters.update(
        date=_f_date,
        money=_f_money,
        money_words=_f_money_words,
        number=_f_number,
        words=_f_words,
        percent=_f_percent,
        join_and=lambda items: formatting.join(items, "and"),
        join_or=lambda items: formatting.join(items, "or"),
    )
    env.globals["range"] = range
    return env


FRAGMENTS = _make(protect=True)
EXPRESSIONS = _make(protect=False)

_compiled: dict[tuple[int, str], Any] = {}


def compile_fragment(source: str, env: SandboxedEnvironment = FRAGMENTS):
    """Compile once, then reuse: fragments are cached by their source text."""
    key = (id(env), source)
    template = _compiled.get(key)
    if template is None:
        try:
            template = env.from_string(source)
        except TemplateSyntaxError as exc:
            raise FragmentError(f"line {exc.lineno}: {exc.message}") from None
        _compiled[key] = template
    return template


def render_fragment(source: str, context: dict[str, Any], literals: list[str]) -> str:
    template = compile_fragment(source)
    ctx = dict(context, _literals=literals)
    try:
        out, size = [], 0
        with time_limit(TIME_LIMIT):
            for chunk in template.generate(ctx):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise FragmentError(f"produced more than {MAX_OUTPUT:,} characters; a fragment this long is refused")
                out.append(chunk)
        return "".join(out)
    except _Timeout:
        raise FragmentError(f"took longer than {TIME_LIMIT:g} seconds to render; refused") from None
    except UndefinedError as exc:
        raise FragmentError(f"uses something that is not defined: {exc.message}") from None
    except SecurityError as exc:
        raise FragmentError(f"tried something a clause may not do: {exc}") from None
    except RecursionError:
        raise FragmentError("recursed too deeply (a macro that calls itself?)") from None
    except TemplateError as exc:
        raise FragmentError(str(exc)) from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as exc:
        raise FragmentError(f"{type(exc).__name__}: {exc}") from None


_expressions: dict[str, Any] = {}


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """Evaluate a ``when`` expression (no braces); undefined names raise ``UndefinedError``.
    Each expression is compiled once and cached, like fragments."""
    try:
        compiled = _expressions.get(expression)
        if compiled is None:
            compiled = _expressions[expression] = EXPRESSIONS.compile_expression(expression, undefined_to_none=False)
        return compiled(**context)
    except TemplateSyntaxError as exc:
        raise FragmentError(f"bad expression {expression!r}: {exc.message}") from None
    except SecurityError as exc:
        raise FragmentError(f"expression {expression!r} tried something not allowed: {exc}") from None


def render_text(source: str, context: dict[str, Any]) -> str:
    """Render a schema default such as ``{{ supplier_country.currency }}``."""
    try:
        return compile_fragment(source, EXPRESSIONS).render(context)
    except SecurityError as exc:
        raise FragmentError(f"{source!r} tried something not allowed: {exc}") from None
