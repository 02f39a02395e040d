"""What a ``--defaults`` file may give: the values every agreement of a run shares.

Found from the schema and ``roles.py``, never from a list kept by hand:

- a parameter that belongs to the supplier (``bulk: row``: its name, addresses, site, delivery
  place, products, tooling...) is **refused**: in a defaults file it would put one supplier's
  facts into every agreement. It belongs in a column of the supplier list.
- a parameter whose default follows the supplier's country (it reads the supplier's profile,
  directly or through another such answer: currency, governing law, the forum) may be fixed for
  every row, as a buyer running one programme in USD under one law does; the run **notes** each
  one, so that the choice is never silent.
- an amount given in the defaults while the currency is left to follow each supplier's country
  is **warned** of: the same figure would be a different sum in each agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clausewright.errors import Problem
from clausewright.inputs.deal import flatten
from clausewright.inputs.schema import Parameter, Schema
from clausewright.inputs.types import is_missing
from clausewright.reads import text_reads
from clausewright.roles import ROLES


@dataclass
class DefaultsReview:
    refused: list[Problem] = field(default_factory=list)  # the supplier's own parameters
    notes: list[str] = field(default_factory=list)  # fixed for every row instead of following the supplier's country
    warnings: list[str] = field(default_factory=list)  # amounts whose currency follows each supplier


def supplier_parameters(schema: Schema) -> list[Parameter]:
    """The parameters that vary by supplier (``bulk: row``), in asking order."""
    return [p for p in schema.parameters if p.bulk == "row"]


def follows_supplier(schema: Schema) -> list[Parameter]:
    """The shared parameters whose default follows the supplier: it reads a profile or catalogue
    entry selected by a supplier's parameter (``supplier_country``), or an answer that does."""
    following = {p.id for p in supplier_parameters(schema)}
    found: list[Parameter] = []
    for param in schema.parameters:  # asking order: a default reads only earlier answers
        if param.id in following or not (isinstance(param.default, str) and "{{" in param.default):
            continue
        roles = {role.name for role in ROLES if role.parameter in following}
        for read in text_reads(param.default):
            dotted = ".".join(read.path)
            if read.root in roles or (read.root == "deal" and any(dotted == pid or dotted.startswith(pid + ".") for pid in following)):
                following.add(param.id)
                found.append(param)
                break
    return found


def review(raw: dict[str, Any], schema: Schema) -> DefaultsReview:
    """What the defaults file ``raw`` (as read) gives that a defaults file should not, or that the
    run should mention."""
    given, _ = flatten(raw, schema)  # unknown keys are reported with each row's validation
    given = {pid: value for pid, value in given.items() if not is_missing(value)}
    result = DefaultsReview()
    for param in supplier_parameters(schema):
        if param.id in given:
            result.refused.append(Problem(param.id, param.label))
    following = follows_supplier(schema)
    fixed = [p for p in following if p.id in given]
    if fixed:
        listed = ", ".join(f"{p.id} ({_shown(given[p.id])})" for p in fixed)
        result.notes.append(f"--defaults sets for every supplier what would otherwise follow each supplier's country: {listed}")
    currencies = [p for p in following if p.type.name == "currency" and p.id not in given]
    amounts = [p.id for p in schema.parameters if p.type.name == "money" and p.id in given]
    if currencies and amounts:
        currency = currencies[0].id
        result.warnings.append(
            f"--defaults gives amounts ({', '.join(amounts)}) but not {currency}, which follows each supplier's country: the same "
            f"figure would be a different sum in each agreement; set {currency} in --defaults (or in every row)"
        )
    return result


def _shown(value: Any) -> str:
    text = str(value) if not isinstance(value, (list, dict)) else "…"
    return text if len(text) <= 30 else text[:29] + "…"
