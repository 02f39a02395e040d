"""The sandboxed Jinja environments for clause fragments and for schema expressions.

Library content is treated as untrusted: the sandbox blocks attribute tricks
(``__class__``, ``__globals__``), undefined names are errors, and every fragment, condition and
default runs within the bounds of limits.py (time, memory, and the size of every value it builds).
Every ``{{ }}`` output in a fragment is replaced by a literal token, so a deal value can never be
read as markup: the token is turned back into exactly the value's text when the document is built.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import Environment, StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes, pass_context
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment

from clausewright import cache, formatting, limits, sandbox
from clausewright.sandbox import Sandbox, bounded_filters

LITERAL_OPEN, LITERAL_CLOSE = "\ufdd0", "\ufdd1"
LITERAL = re.compile(f"{LITERAL_OPEN}(\\d+){LITERAL_CLOSE}")


# Deal values the filters read without the fragment naming them (``money`` without a currency
# reads the deal currency), as paths below ``deal``: part of what a render depends on (assembly/render_cache.py).
IMPLICIT_DEAL_READS = (("commercial", "currency"),)


class FragmentError(Exception):
    """A fragment failed to compile or render; the message says why in a lawyer's terms.

    ``line`` is the line of the fragment's source where it failed, when known (1 for its first
    line), and ``reason`` the message without it, so a caller can name the line of the file."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason, self.line = reason, line
        super().__init__(f"line {line}: {reason}" if line else reason)


def _failed_line(traceback: TracebackType | None) -> int | None:
    """The line of the fragment's source a render failed at: the innermost frame Jinja marks as
    the template's (it rewrites a failing render's traceback to show the template's lines)."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _text(value: Any, ctx) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, _dt.date):
        return formatting.date(value, ctx.get("_locale", formatting.DEFAULT_LOCALE))
    if isinstance(value, Decimal):
        return formatting.number(value, ctx.get("_locale", formatting.DEFAULT_LOCALE))
    return "" if value is None else str(value)


def _printable(value: Any) -> Any:
    """A value about to be printed, refused before it is turned into too much text."""
    if not isinstance(value, str):
        limits.bound(limits.text_size(value), "a printed value")
    return value


@pass_context
def _protect(ctx, value: Any) -> str:
    literals = ctx.get("_literals")
    text = _text(_printable(value), ctx)
    limits.charge(len(text))
    if literals is None:  # expression environment: plain text
        return text
    literals.append(text)
    return f"{LITERAL_OPEN}{len(literals) - 1}{LITERAL_CLOSE}"


def _print(value: Any) -> Any:
    """The expression environment's output: the value, bounded (Jinja prints it as ``str``)."""
    limits.charge(limits.text_size(_printable(value)))
    return value


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


def _make(protect: bool) -> SandboxedEnvironment:
    env = Sandbox(
        undefined=StrictUndefined,
        comment_start_string="{##",  # "{#anchor}" is markup, so Jinja comments are {## ... ##}
        comment_end_string="##}",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_protect if protect else _print,
        optimized=False,  # nothing is computed while compiling, outside the bounds of a run
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
        a_an=formatting.with_article,
    )
    env.filters = bounded_filters(env.filters)
    env.globals["range"] = range
    del env.globals["lipsum"]  # lorem ipsum of any length: no use in a clause
    return env


FRAGMENTS = _make(protect=True)
EXPRESSIONS = _make(protect=False)
_NAMES = {id(FRAGMENTS): "fragments", id(EXPRESSIONS): "expressions"}

# Jinja's compiled code of each fragment and expression, kept on disk (cache.py): a run then
# only loads the code of what it renders. The code depends on the source, the environment's
# settings (``_make``), the sandbox (sandbox.py) and Jinja's version.
_bytecode = cache.Store("jinja", f"jinja2 {jinja2.__version__}", (__file__, sandbox.__file__))
_compiled: dict[tuple[int, str], Any] = {}
_expressions: dict[str, Any] = {}


def _code(env: SandboxedEnvironment, kind: str, source: str, compile_it):
    """A template of ``source``, compiled by ``compile_it()`` or loaded from the cache."""
    return from_cached_code(env, _bytecode, _bytecode.key(_NAMES[id(env)], kind, source), compile_it)


def from_cached_code(env: Environment, store: cache.Store, key: str, compile_it) -> Template:
    """What ``env.from_string`` gives, from the code kept in ``store`` under ``key`` (which names
    everything the code depends on), or else from ``compile_it()`` (``env.compile``; raises
    ``TemplateSyntaxError``), whose code is then kept."""
    code = store.get(key)
    if code is None:
        code = compile_it()
        store.put(key, code)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def compile_fragment(source: str, env: SandboxedEnvironment = FRAGMENTS):
    """Compile once, then reuse: fragments are cached by their source text."""
    key = (id(env), source)
    template = _compiled.get(key)
    if template is None:
        try:
            template = _code(env, "template", source, lambda: env.compile(source))
        except TemplateSyntaxError as exc:
            raise FragmentError(exc.message or "bad syntax", exc.lineno) from None
        _compiled[key] = template
    return template


def compile_expression(expression: str):
    """``EXPRESSIONS.compile_expression(expression, undefined_to_none=False)``, compiled once per
    process and its code kept in the cache: the same steps as Jinja's, which compiles the
    expression as the template ``result = (expression)``. Raises ``TemplateSyntaxError``."""
    compiled = _expressions.get(expression)
    if compiled is None:
        compiled = _expressions[expression] = TemplateExpression(_code(EXPRESSIONS, "expression", expression, lambda: _expression_code(expression)), False)
    return compiled


def _expression_code(expression: str):
    """The code Jinja's ``compile_expression`` compiles."""
    parser = Parser(EXPRESSIONS, expression, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
    expr.set_environment(EXPRESSIONS)
    return EXPRESSIONS.compile(nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1))


class _run:  # noqa: N801 - used as ``with _run(...):``, like a function
    """Run library code within the bounds of limits.py. A failure becomes a ``FragmentError``
    that starts by quoting the expression or text when one is given (a fragment's caller names
    the clause); an ``UndefinedError`` is passed on when the caller handles it."""

    __slots__ = ("source", "kind", "undefined_is_error", "bounds")

    def __init__(self, source: str | None = None, kind: str = "", *, undefined_is_error: bool = True):
        self.source, self.kind = source, kind
        self.undefined_is_error = undefined_is_error
        self.bounds = limits.bounded()

    def __enter__(self) -> None:
        self.bounds.__enter__()

    def __exit__(self, kind, error, traceback) -> None:
        try:
            self.bounds.__exit__(kind, error, traceback)
        except limits.LimitExceeded as exc:
            error = exc
        if error is None:
            return
        what = "" if self.source is None else f"{self.kind}{_quoted(self.source)} "
        line = _failed_line(traceback) if self.source is None else None
        if isinstance(error, UndefinedError):
            if self.undefined_is_error:
                raise FragmentError(f"{what}uses something that is not defined: {error.message}", line) from None
        elif isinstance(error, limits.LimitExceeded):
            raise FragmentError(f"{what}went beyond a limit: {error}; refused", line) from None
        elif isinstance(error, SecurityError):
            raise FragmentError(f"{what}tried something a clause may not do: {error}", line) from None
        elif isinstance(error, RecursionError):
            raise FragmentError(f"{what}recursed too deeply (a macro that calls itself?)", line) from None
        elif isinstance(error, TemplateError):
            raise FragmentError(f"{what}{error}", line) from None
        elif isinstance(error, (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError)):
            raise FragmentError(f"{what}{type(error).__name__}: {error}", line) from None


def _quoted(source: str) -> str:
    return repr(source if len(source) <= 80 else source[:80] + "…")


def render_fragment(source: str, context: dict[str, Any], literals: list[str]) -> str:
    template = compile_fragment(source)
    ctx = dict(context, _literals=literals)
    with _run():
        out, size = [], 0
        for chunk in template.generate(ctx):
            size += len(chunk)
            if size > limits.MAX_OUTPUT:
                raise limits.LimitExceeded(f"produced more than {limits.MAX_OUTPUT:,} characters")
            out.append(chunk)
        return "".join(out)


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """Evaluate a ``when`` expression (no braces); undefined names raise ``UndefinedError``.
    Each expression is compiled once and cached, like fragments."""
    try:
        compiled = compile_expression(expression)
    except TemplateSyntaxError as exc:
        raise FragmentError(f"bad expression {_quoted(expression)}: {exc.message}") from None
    with _run(expression, "expression ", undefined_is_error=False):
        return compiled(**context)


def render_text(source: str, context: dict[str, Any]) -> str:
    """Render a schema default such as ``{{ supplier_country.currency }}``; undefined names
    raise ``UndefinedError``."""
    template = compile_fragment(source, EXPRESSIONS)
    with _run(source, undefined_is_error=False):
        return template.render(context)
