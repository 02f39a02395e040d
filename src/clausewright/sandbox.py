"""The bounded Jinja sandbox: Jinja's ``SandboxedEnvironment`` (no attribute tricks such as
``__class__`` or ``__globals__``) in which every value library code builds is bounded in size by
limits.py: calls and their results, filters, the operators that build text, lists or large numbers
(``*``, ``+``, ``%``, ``**``), ``~``, ``str.format`` and captured blocks. Wherever the size of a
result follows from the inputs, it is checked before the result is built.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from functools import update_wrapper, wraps
from typing import Any

from jinja2 import Environment
from jinja2.compiler import CodeGenerator
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter
from markupsafe import EscapeFormatter, Markup

from clausewright import limits

_PASSED = (Context, EvalContext, Environment)  # what Jinja passes before a filter's value
_CONTAINERS = (list, tuple, dict, set, frozenset)


def _join_size(items, separator="", attribute=None):
    return limits.join_size(items, separator)


def _indent_size(text, width=4, first=False, blank=False):
    text = limits.as_text(text, "the text to indent")
    return len(text) + (text.count("\n") + 1) * (width if isinstance(width, int) else len(str(width)))


def _wordwrap_size(text, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
    text = limits.as_text(text, "the text to wrap")
    wraps = len(text) // max(int(width), 1) + text.count("\n") + 1
    return len(text) + wraps * len(str(wrapstring or "\n"))


def _replace_size(text, old, new, count=None):
    return limits.replace_size(limits.as_text(text, "the text to replace in"), str(old), str(new), count)


def _format_size(template, *args, **kwargs):
    return limits.percent_format_size(limits.as_text(template, "the format"), kwargs or args)


# What the filters that can build much more than they are given would build, from their arguments.
_FILTER_SIZES = {"join": _join_size, "indent": _indent_size, "wordwrap": _wordwrap_size, "replace": _replace_size, "format": _format_size}
# The same for methods of text (``str.format`` is bounded by its formatter).
_METHOD_SIZES = {
    "join": lambda sep, items: limits.join_size(items, sep),
    "replace": lambda text, old, new, count=-1: limits.replace_size(text, old, new, count),
    "expandtabs": lambda text, tabsize=8: len(text) + text.count("\t" if isinstance(text, str) else b"\t") * max(tabsize, 0),
    "translate": lambda text, table: len(text) * max([len(v) for v in table.values() if isinstance(v, str)] if isinstance(table, dict) else [], default=1),
}


def bounded_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Jinja filters, each bounded like every call: the numbers it is given, what it would build
    where that follows from its arguments, a list it turns into text, and its result."""
    return {name: _bounded_filter(name, f) for name, f in filters.items()}


def _bounded_filter(name: str, func):
    predict = _FILTER_SIZES.get(name)

    @wraps(func)
    def bounded(*args, **kwargs):
        lead = 1 if args and isinstance(args[0], _PASSED) else 0
        if len(args) > lead:
            value, extra = args[lead], args[lead + 1:]
            limits.bound_numbers((*extra, *kwargs.values()))
            if predict is not None:
                if isinstance(value, Iterator):  # measured, then given to the filter as a list
                    value = list(value)
                    args = (*args[:lead], value, *extra)
                limits.bound(predict(value, *extra, **kwargs), f"the result of the {name} filter")
            elif isinstance(value, _CONTAINERS):
                limits.bound(limits.text_size(value), f"the list given to the {name} filter")
        result = func(*args, **kwargs)
        limits.check(limits.size(result), f"the result of the {name} filter")
        return result

    return bounded


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` in the sandbox, with every field's width and value bounded."""

    def vformat(self, format_string, args, kwargs):
        self._built = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value, format_spec):
        field = max(limits.text_size(value), limits.spec_width(format_spec))
        self._built += field
        limits.bound(self._built, "formatted text")
        limits.charge(field)
        return super().format_field(value, format_spec)


class _BoundedEscapeFormatter(_BoundedFormatter, EscapeFormatter):
    pass


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` computed by the sandbox so its size is bounded."""

    def visit_Concat(self, node, frame):
        self.write("environment.concat_values(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class Sandbox(SandboxedEnvironment):
    """The sandbox, with every value a fragment builds bounded in size (limits.py): calls, filters,
    the operators that build text, lists or large numbers, ``~``, formatting and captured blocks."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = _BoundedCodeGenerator

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        if __obj is range:
            limits.bound_range((*args, *kwargs.values()))
        limits.bound_numbers((*args, *kwargs.values()))
        receiver = getattr(__obj, "__self__", None)
        if isinstance(receiver, (str, bytes)) and getattr(__obj, "__name__", None) in _METHOD_SIZES:
            name = __obj.__name__
            if name == "join" and args and isinstance(args[0], Iterator):
                args = (list(args[0]), *args[1:])
            limits.bound(_METHOD_SIZES[name](receiver, *args, **kwargs), f"the result of {name}()")
        elif isinstance(receiver, (list, dict, set)):  # what a list, mapping or set is given to keep
            limits.charge(limits.text_size((args, kwargs), limits.MAX_ALLOCATED))
        result = super().call(__context, __obj, *args, **kwargs)
        limits.check(limits.size(result), "the result of a call")
        return result

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            limits.bound_exponent(right)
        both_integers = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
        if operator == "**" and both_integers and right > 0:
            limits.bound_digits(limits.digits(left) * right, "a power")
        elif operator == "*" and both_integers:
            limits.bound_digits(limits.digits(left) + limits.digits(right), "a product")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int):
                    limits.check(len(seq) * count, "repeated text or list")
        elif operator == "+" and isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
            limits.check(len(left) + len(right), "joined text or list")
        elif operator == "%" and isinstance(left, str):
            limits.check(limits.percent_format_size(left, right), "formatted text")
        return super().call_binop(context, operator, left, right)

    def getitem(self, obj, argument):
        result = super().getitem(obj, argument)
        if isinstance(argument, slice):  # a slice is a copy
            limits.charge(limits.size(result))
        return result

    def concat_values(self, context, values):
        """``a ~ b ~ c``: the values as text, joined."""
        limits.check(sum(limits.text_size(v) for v in values), "joined text (~)")
        return (markup_join if context.eval_ctx.autoescape else str_join)(values)

    def concat(self, chunks):  # Jinja's "".join, for captured blocks and render()
        """Rendered text joined. Each chunk was bounded and counted as it was printed, so they are
        only gathered here, and measured before they are joined."""
        chunks = list(chunks)
        built = sum(map(len, chunks))
        if built > limits.MAX_OUTPUT:
            raise limits.LimitExceeded(f"produced {built:,} characters of text; the limit is {limits.MAX_OUTPUT:,}")
        limits.charge(built)
        return "".join(chunks)

    def wrap_str_format(self, value):
        """``str.format`` and ``format_map``, through the bounded formatter."""
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or value.__name__ not in ("format", "format_map"):
            return None
        template = value.__self__
        if not isinstance(template, str):
            return None
        formatter = _BoundedEscapeFormatter(self, escape=template.escape) if isinstance(template, Markup) else _BoundedFormatter(self)
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args, **kwargs):
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one mapping")
                args, kwargs = (), args[0]
            return type(template)(formatter.vformat(template, args, kwargs))

        return update_wrapper(wrapper, value)
