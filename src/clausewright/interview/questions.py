"""How a question reads, whatever asks it: its wording, whether it has a default, and what kind of
answer it expects. The terminal wizard and the web interview both show exactly this."""

from __future__ import annotations

from clausewright.inputs.schema import Parameter
from clausewright.inputs.types import Money


def question(param: Parameter) -> str:
    """The question as asked: an amount names its currency, e.g. "Minimum value of each order (USD)"."""
    if isinstance(param.type, Money) and param.type.currency:
        return f"{param.label} ({param.type.currency})"
    return param.label


def has_default(param: Parameter) -> bool:
    """Answered without asking when defaults are kept: it has a default or may stay blank."""
    return param.default is not None or not param.required


def may_stay_blank(param: Parameter) -> bool:
    """An optional question without a default: a blank answer leaves it out."""
    return not param.required and param.default is None


def expected(param: Parameter, *, example: bool = True) -> list[str]:
    """What kind of answer is expected, in short phrases: the type (an amount names its currency),
    the limits and, with ``example``, the schema's example."""
    parts = []
    if param.type.name not in ("text", "longtext"):
        parts.append(param.type.help)
    if param.min is not None and param.max is not None:
        parts.append(f"from {param.min} to {param.max}")
    elif param.min is not None:
        parts.append(f"at least {param.min}")
    elif param.max is not None:
        parts.append(f"at most {param.max}")
    if example and param.example is not None and "e.g." not in param.type.help:
        parts.append(f"e.g. {str(param.example).strip()}".replace("\n", " / "))
    return parts
