"""Deal answers: read a deal file, apply ``--set`` overrides, validate against the schema.

Validation walks the schema in asking order, so ``when`` conditions and defaults can use the
answers before them, and it collects every problem before failing (``InputError``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import UndefinedError

from clausewright import jinja, yamlio
from clausewright.errors import InputError, LibraryError, Problem
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.schema import Parameter, Schema
from clausewright.inputs.types import Invalid, is_missing


@dataclass
class Deal:
    """Validated answers, typed, nested as in the deal file (``deal.buyer.name``)."""

    values: dict[str, Any]
    flat: dict[str, Any]  # parameter id -> typed value, for the parameters that apply
    defaulted: set[str] = field(default_factory=set)  # ids whose value came from a default
    ignored: list[str] = field(default_factory=list)  # ids given but not applicable (their `when` is false)

    def get(self, pid: str, default: Any = None) -> Any:
        return self.flat.get(pid, default)

    def answers(self, schema: Schema) -> dict[str, Any]:
        """The answers as an answers file holds them: nested, as text, in schema order."""
        out: dict[str, Any] = {}
        for param in schema.parameters:
            if param.id not in self.flat:
                continue
            value = self.flat[param.id]
            if param.type.name == "list":
                value = [{f.id: f.type.to_text(r[f.id]) for f in param.fields if r.get(f.id) is not None} for r in value]
            else:
                value = param.type.to_text(value)
            _put(out, param.id, value)
        return out

    def fingerprint(self) -> str:
        canonical = json.dumps(self.flat, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_deal_file(path: Path) -> dict[str, Any]:
    data = yamlio.load_file(path, answers=True)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError([Problem("(file)", "a deal file is a mapping of fields, e.g. 'buyer: {name: ...}'")], str(path))
    return data


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply ``key=value`` strings; dotted keys reach into nested mappings (``buyer.name=X``)."""
    problems = []
    for item in overrides:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(Problem(item, "expected key=value, e.g. buyer.name=Acme Ltd"))
            continue
        _put(raw, key, value)
    if problems:
        raise InputError(problems, "--set")
    return raw


def flatten(raw: dict[str, Any], schema: Schema) -> tuple[dict[str, Any], list[Problem]]:
    """Map nested input to parameter ids; keys the schema does not know are problems."""
    flat: dict[str, Any] = {}
    problems: list[Problem] = []

    def walk(node: Any, prefix: str) -> None:
        if prefix and prefix in schema:
            flat[prefix] = node
            return
        if isinstance(node, dict) and node:
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key))
            return
        if not prefix:
            return
        if is_missing(node) and any(pid.startswith(prefix + ".") for pid in schema.ids()):
            return  # an empty section such as "buyer:" with nothing under it
        hint = schema.suggest(prefix)
        problems.append(Problem(prefix, "unknown field" + (f"; did you mean {hint}?" if hint else "")))

    walk(raw, "")
    return flat, problems


def validate(raw: dict[str, Any], schema: Schema, jurisdictions: Jurisdictions, *, source: str | None = None, row: int | None = None) -> Deal:
    flat_raw, problems = flatten(raw, schema)
    if row is not None:
        problems = [Problem(p.field, p.message, row) for p in problems]
    values: dict[str, Any] = {}
    flat: dict[str, Any] = {}
    defaulted: set[str] = set()
    ignored: list[str] = []
    failed: set[str] = set()

    for param in schema.parameters:
        context = expression_context(values, jurisdictions)
        applies = _applies(param, context, failed, schema)
        if applies is None:  # depends on an answer that already failed: say nothing more
            failed.add(param.id)
            continue
        given = param.id in flat_raw and not is_missing(flat_raw[param.id])
        if not applies:
            if given:
                ignored.append(param.id)
            continue
        if given:
            raw_value, from_default = flat_raw[param.id], False
        elif param.default is not None:
            try:
                raw_value, from_default = _default(param, context), True
            except UndefinedError:  # the default reads an answer that is absent
                raw_value, from_default = None, False
        else:
            raw_value, from_default = None, False
        if is_missing(raw_value):
            if param.required:
                problems.append(Problem(param.id, f"missing; expected {param.describe_type()}", row))
                failed.add(param.id)
            continue
        try:
            value = convert(param, raw_value, row=row)
        except InputError as exc:
            problems.extend(exc.problems)
            failed.add(param.id)
            continue
        except Invalid as exc:
            where = "default " if from_default else ""
            problems.append(Problem(param.id, f"{where}{exc}", row))
            failed.add(param.id)
            continue
        flat[param.id] = value
        _put(values, param.id, value)
        if from_default:
            defaulted.add(param.id)

    if problems:
        raise InputError(problems, source)
    return Deal(values=values, flat=flat, defaulted=defaulted, ignored=ignored)


def convert(param: Parameter, raw: Any, *, row: int | None = None) -> Any:
    """Convert one raw value; a list converts each record's fields (problems name ``id[n].field``)."""
    value = param.type.convert(raw, param)
    if param.type.name != "list":
        return value
    problems, records = [], []
    if param.min_items and len(value) < param.min_items:
        problems.append(Problem(param.id, f"has {len(value)} entries; at least {param.min_items} expected", row))
    if param.max_items and len(value) > param.max_items:
        problems.append(Problem(param.id, f"has {len(value)} entries; at most {param.max_items} allowed", row))
    for n, item in enumerate(value, start=1):
        where = f"{param.id}[{n}]"
        if not isinstance(item, dict):
            problems.append(Problem(where, "expected a record with fields " + ", ".join(f.id for f in param.fields), row))
            continue
        unknown = set(item) - {f.id for f in param.fields}
        for key in sorted(unknown):
            problems.append(Problem(f"{where}.{key}", "unknown field", row))
        record: dict[str, Any] = {}
        for f in param.fields:
            sub = item.get(f.id)
            if is_missing(sub):
                if f.default is not None and not str(f.default).startswith("{{"):
                    sub = f.default
                elif f.required:
                    problems.append(Problem(f"{where}.{f.id}", f"missing; expected {f.describe_type()}", row))
                    continue
                else:
                    record[f.id] = None
                    continue
            try:
                record[f.id] = f.type.convert(sub, f)
            except Invalid as exc:
                problems.append(Problem(f"{where}.{f.id}", str(exc), row))
        records.append(record)
    if problems:
        raise InputError(problems)
    return records


def expression_context(values: dict[str, Any], jurisdictions: Jurisdictions) -> dict[str, Any]:
    """What ``when`` and defaults can see: the answers so far and the profiles they select."""
    ctx: dict[str, Any] = {"deal": values}
    supplier = (values.get("supplier") or {}).get("country")
    law = (values.get("law") or {}).get("governing_law")
    if supplier in jurisdictions.profiles:
        ctx["supplier_country"] = jurisdictions.profiles[supplier].data
    if law in jurisdictions.profiles:
        ctx["law"] = jurisdictions.profiles[law].data
    institution = (values.get("disputes") or {}).get("institution")
    if institution in jurisdictions.institutions:
        ctx["institution"] = jurisdictions.institutions[institution]
    return ctx


def _applies(param: Parameter, context: dict[str, Any], failed: set[str], schema: Schema) -> bool | None:
    if not param.when:
        return True
    try:
        return bool(jinja.evaluate(param.when, context))
    except UndefinedError:
        if failed:
            return None
        return False if _refers_to_unanswered(param.when, schema) else _broken(param)
    except jinja.FragmentError as exc:
        raise LibraryError(param.source, f"parameter {param.id}: {exc}") from None


def _refers_to_unanswered(expression: str, schema: Schema) -> bool:
    # An optional earlier answer left blank makes e.g. "deal.x.y == 'z'" undefined: not applicable.
    return any(f"deal.{pid}" in expression for pid in schema.ids())


def _broken(param: Parameter) -> bool:
    raise LibraryError(param.source, f"parameter {param.id}: 'when' uses something that is not defined: {param.when}")


def _default(param: Parameter, context: dict[str, Any]) -> Any:
    default = param.default
    if isinstance(default, str) and "{{" in default:
        try:
            return jinja.render_text(default, context)
        except jinja.FragmentError as exc:
            raise LibraryError(param.source, f"parameter {param.id}: default {exc}") from None
    return default


def _put(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = tree
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            node[part] = nxt
        node = nxt
    node[parts[-1]] = value
