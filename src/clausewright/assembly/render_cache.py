"""Remembered renders of clause fragments, keyed by everything a fragment can read.

The suppliers of a bulk run share most of their answers, so most clauses render to the same text
for every one of them. A fragment's output depends only on its source text and on what it reads
from its context: the deal values it names (found by walking its syntax tree, ``reads.py``,
plus the values the filters read without being named, ``jinja.IMPLICIT_DEAL_READS``), which
clauses are included, the profiles and catalogue entries in play, the locale, and the clause's
own id, title and position. The key of a render holds all of these, so a render is taken from
memory only when rendering again would give the same text and the same literal values.

A fragment whose reads cannot be told apart (one that rebinds ``deal`` or ``included``, or reads
the whole deal) is keyed by the whole deal. Nothing is remembered of a render that fails.

A render is kept only when its key comes up a second time: the clauses that print a supplier's
own data have a new key for every row, and keeping those would only push out the renders that
every row shares (and make a worker's memory grow with the rows it handles, up to the bound).
"""

from __future__ import annotations

import datetime as _dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clausewright import jinja, reads

MAX_REMEMBERED = 1024
MAX_SEEN = 8192  # keys seen once, remembered by their hash only (forgotten all at once when full)
_WHOLE = ("whole",)
_ABSENT = ("absent",)
_DICT_ATTRIBUTES = frozenset(dir(dict))  # deal.x.items: Jinja gives the method, which sees all of x


@dataclass(frozen=True)
class _Plan:
    deal_paths: tuple[tuple[str, ...], ...] | None  # None: the whole deal
    included: tuple[str, ...] | None  # clause ids asked about; None: the whole set


_plans: dict[tuple[str, str], _Plan] = {}
_renders: OrderedDict[tuple, Any] = OrderedDict()
_seen: set[int] = set()


def remembered(kind: str, source: str, key: tuple, deal_values: dict[str, Any], included: frozenset[str], render: Callable[[], Any]) -> Any:
    """``render()``'s result for ``source`` (a fragment, ``kind`` "template", or a ``when``
    expression, "expression") in a context described by ``key`` (everything but the deal and the
    included clauses), remembered. The result must not be changed by the caller."""
    plan = _plan(kind, source)
    full = (kind, source, key, _deal_key(plan, deal_values), _included_key(plan, included))
    found = _renders.get(full)
    if found is not None:
        _renders.move_to_end(full)
        return found
    result = render()
    digest = hash(full)
    if digest not in _seen:  # the first time: only note that this key came up
        if len(_seen) >= MAX_SEEN:
            _seen.clear()
        _seen.add(digest)
        return result
    _renders[full] = result
    if len(_renders) > MAX_REMEMBERED:
        _renders.popitem(last=False)
    return result


def clear() -> None:
    _renders.clear()
    _seen.clear()


def _plan(kind: str, source: str) -> _Plan:
    plan = _plans.get((kind, source))
    if plan is None:
        plan = _plans[(kind, source)] = _make_plan(kind, source)
    return plan


def _make_plan(kind: str, source: str) -> _Plan:
    try:
        summary = reads.summary(kind, source)
    except jinja.FragmentError:
        return _Plan(None, None)  # rendering reports the error
    found, rebound = summary.reads, summary.rebound
    paths: set[tuple[str, ...]] = {path for path in jinja.IMPLICIT_DEAL_READS}
    whole_deal = "deal" in rebound
    asked: set[str] = set()
    whole_set = "included" in rebound
    for read in found:
        if read.root == "deal":
            path = read.path[: read.path.index("[]")] if "[]" in read.path else read.path
            if not path:
                whole_deal = True
            paths.add(path)
        elif read.root == "included":
            if read.dynamic or not read.path:
                whole_set = True
            else:
                asked.add(read.path[0])
    return _Plan(None if whole_deal else tuple(sorted(paths)), None if whole_set else tuple(sorted(asked)))


def _deal_key(plan: _Plan, values: dict[str, Any]) -> tuple:
    if plan.deal_paths is None:
        return _frozen(values)
    return tuple(_at(values, path) for path in plan.deal_paths)


def _at(values: dict[str, Any], path: tuple[str, ...]) -> tuple:
    """What a read of ``deal.<path>`` can see: the value there, frozen."""
    node: Any = values
    for depth, part in enumerate(path):
        if not isinstance(node, dict) or part in _DICT_ATTRIBUTES:
            return (depth, _frozen(node))  # the read sees all of this node
        if part not in node:
            return (depth, _ABSENT)  # undefined, whatever else the node holds
        node = node[part]
    return (len(path), _frozen(node))


def _included_key(plan: _Plan, included: frozenset[str]) -> tuple:
    if plan.included is None:
        return (_WHOLE, tuple(sorted(included)))
    return tuple(cid in included for cid in plan.included)


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a deal value that tells apart values that print differently
    (``1`` and ``True``, ``Decimal('1.0')`` and ``Decimal('1.00')``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ("dict", tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_frozen(v) for v in value))
    if value is None or isinstance(value, (bool, int, _dt.date)):
        return (type(value).__name__, value)
    return (type(value).__name__, repr(value))
