"""Deal answers: read a deal file, apply ``--set`` overrides, validate against the schema.

Validation walks the schema in asking order, so ``when`` conditions and defaults can use the
answers before them, and it collects every problem before failing (``InputError``). ``resolve``
is that walk, with what it concluded for each parameter; the wizard uses it after every answer,
and ``check`` on every typed answer, so both follow exactly the rules deal files follow.
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
from clausewright.inputs.agreement_types import TYPE_PARAMETER
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.schema import Parameter, Schema
from clausewright.inputs.types import CURRENCY_PARAMETER, Invalid, is_missing
from clausewright.roles import ROLES


@dataclass
class Deal:
    """Validated answers, typed, nested as in the deal file (``deal.buyer.name``)."""

    values: dict[str, Any]
    flat: dict[str, Any]  # parameter id -> typed value, for the parameters that apply
    defaulted: set[str] = field(default_factory=set)  # ids whose value came from a default
    ignored: list[str] = field(default_factory=list)  # ids given but not applicable (their `when` is false)
    not_asked: list[str] = field(default_factory=list)  # ids given that the deal's agreement type does not ask

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
            put_dotted(out, param.id, value)
        return out

    def fingerprint(self) -> str:
        canonical = json.dumps(self.flat, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_deal_file(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        if fh.read(4) == b"PK\x03\x04":
            raise InputError([Problem("(file)", "this is a Word document or another zip file, not a deal file; give the deal's YAML "
                                      "file (a generated agreement's answers are in OUT.answers.yaml beside it)")], str(path))
    return _deal_mapping(yamlio.load_file(path, answers=True), str(path))


def read_deal_text(text: str, source: str) -> dict[str, Any]:
    """A deal or answers file's text, read exactly as ``read_deal_file`` reads the file."""
    return _deal_mapping(yamlio.load_text(text, source, answers=True), source)


def _deal_mapping(data: Any, source: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError([Problem("(file)", "a deal file is a mapping of fields, e.g. 'buyer: {name: ...}'")], source)
    return data


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply ``key=value`` strings; dotted keys reach into nested mappings (``buyer.name=X``)
    and a number picks a list entry, counting from 1 (``products.2.name=X``; the next number
    after the last entry adds one)."""
    problems = []
    for item in overrides:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(Problem(item, "expected key=value, e.g. buyer.name=Acme Ltd"))
            continue
        try:
            _override(raw, key.split("."), value)
        except ValueError as exc:
            problems.append(Problem(key, str(exc)))
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


MISSING = object()  # what check() returns for a blank answer that may stay blank


@dataclass
class Outcome:
    """What validation concluded about one parameter."""

    param: Parameter
    applies: bool | None  # None: its condition reads an answer that already failed
    given: bool = False  # a (non-blank) value was supplied for it
    value: Any = None  # the typed value, when it applies and is valid
    from_default: bool = False  # the value came from the parameter's default
    default: Any = None  # the default as written or rendered, when the parameter has one that could be computed
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Resolution:
    """Every parameter's outcome, in asking order, and the deal they make when none failed."""

    outcomes: dict[str, Outcome]
    values: dict[str, Any]
    flat: dict[str, Any]
    defaulted: set[str]
    ignored: list[str]
    problems: list[Problem]
    not_asked: list[str] = field(default_factory=list)

    def deal(self) -> Deal:
        return Deal(values=self.values, flat=self.flat, defaulted=self.defaulted, ignored=self.ignored, not_asked=self.not_asked)


def validate(
    raw: dict[str, Any], schema: Schema, jurisdictions: Jurisdictions, *, source: str | None = None, row: int | None = None, overrides: list[str] | tuple[str, ...] = ()
) -> Deal:
    """Validate answers as read (``overrides`` applied); a problem with a value that an override
    gave is reported against that ``--set``, not against the file."""
    flat_raw, problems = flatten(raw, schema)
    if row is not None:
        problems = [Problem(p.field, p.message, row) for p in problems]
    resolution = resolve(flat_raw, schema, jurisdictions, row=row)
    problems += resolution.problems
    if problems:
        raise _blamed(problems, source, overrides)
    return resolution.deal()


def _blamed(problems: list[Problem], source: str | None, overrides: list[str] | tuple[str, ...]) -> InputError:
    """The problems, each naming the ``--set key=value`` it comes from when an override gave it."""
    given = {item.partition("=")[0].strip(): item for item in overrides}

    def override(problem: Problem) -> str | None:
        path = problem.field.replace("[", ".").replace("]", "")  # products[2].name -> products.2.name
        return next((item for key, item in given.items() if path == key or path.startswith(key + ".")), None)

    blamed = []
    for problem in problems:
        item = override(problem)
        blamed.append(problem if item is None else Problem(problem.field, problem.message, problem.row, given_by=f"--set {_shortened(item)}"))
    from_file = any(p.given_by is None for p in blamed)
    return InputError(blamed, source if from_file else "--set")


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve(flat_raw: dict[str, Any], schema: Schema, jurisdictions: Jurisdictions, *, row: int | None = None) -> Resolution:
    """Walk the schema in asking order over answers keyed by parameter id (see ``flatten``):
    decide whether each parameter applies (its agreement type asks it and its condition holds),
    take its answer or its default (the type's, else its own), and convert it."""
    values: dict[str, Any] = {}
    flat: dict[str, Any] = {}
    defaulted: set[str] = set()
    ignored: list[str] = []
    not_asked: list[str] = []
    failed: set[str] = set()
    problems: list[Problem] = []
    outcomes: dict[str, Outcome] = {}
    context: dict[str, Any] = {}
    stale = True  # the context is made again only after an answer that selects a profile or catalogue entry

    for param in schema.parameters:
        kind = schema.type_named(flat.get(TYPE_PARAMETER))
        given = param.id in flat_raw and not is_missing(flat_raw[param.id])
        if kind is not None and not kind.asks_parameter(param.id):
            outcomes[param.id] = Outcome(param, False, given)
            if given:
                not_asked.append(param.id)
            continue
        if stale:
            context, stale = expression_context(values, jurisdictions), False
        applies = _applies(param, context, failed, schema)
        outcome = outcomes[param.id] = Outcome(param, applies, given)
        if applies is None:  # depends on an answer that already failed: say nothing more
            failed.add(param.id)
            continue
        if not applies:
            if given:
                ignored.append(param.id)
            continue
        default = kind.default_of(param) if kind is not None else param.default
        if default is not None:
            try:
                outcome.default = _default(param, default, context)
            except UndefinedError:  # the default reads an answer that is absent
                pass
            except Exception:
                if not given:  # when an answer is given, its default is for information only
                    raise
        if given:
            raw_value, from_default = flat_raw[param.id], False
        else:
            raw_value, from_default = outcome.default, outcome.default is not None
        value, outcome.problems = check(param, raw_value, row=row, from_default=from_default, currency=flat.get(CURRENCY_PARAMETER))
        if outcome.problems:
            problems.extend(outcome.problems)
            failed.add(param.id)
            continue
        if value is MISSING:
            continue
        flat[param.id] = value
        put_dotted(values, param.id, value)  # seen by the context, which holds ``values`` itself
        stale = stale or param.id in _ROLE_PARAMETERS
        if from_default:
            outcome.from_default = True
            defaulted.add(param.id)
        outcome.value = value

    for param in schema.parameters:  # every declared section exists, so clauses test one level
        _ensure_sections(values, param.id)
    return Resolution(outcomes=outcomes, values=values, flat=flat, defaulted=defaulted, ignored=ignored, problems=problems, not_asked=not_asked)


def check(param: Parameter, raw: Any, *, row: int | None = None, from_default: bool = False, currency: str | None = None) -> tuple[Any, list[Problem]]:
    """Check one answer as validation does: ``(value, [])``, ``(MISSING, [])`` for a blank answer
    that may stay blank, or ``(None, problems)``. With the deal's ``currency``, messages about an
    amount name it."""
    if currency:
        param = param.in_currency(currency)
    if is_missing(raw):
        if param.required:
            return None, [Problem(param.id, f"missing; expected {param.describe_type()}", row)]
        return MISSING, []
    try:
        return convert(param, raw, row=row), []
    except InputError as exc:
        return None, list(exc.problems)
    except Invalid as exc:
        where = "default " if from_default else ""
        return None, [Problem(param.id, f"{where}{exc}", row)]


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


_ROLE_PARAMETERS = frozenset(role.parameter for role in ROLES)


def expression_context(values: dict[str, Any], jurisdictions: Jurisdictions) -> dict[str, Any]:
    """What ``when`` and defaults can see: the answers so far and the profiles they select."""
    ctx: dict[str, Any] = {"deal": values}
    for role in ROLES:  # a profile or catalogue entry once the answer that selects it is given
        key: Any = values
        for part in role.parameter.split("."):
            key = key.get(part) if isinstance(key, dict) else None
        catalogue = getattr(jurisdictions, role.catalogue)
        if role.catalogue == "profiles":
            jurisdictions.refuse_broken(key)
        if isinstance(key, str) and key in catalogue:
            ctx[role.name] = catalogue[key].data if role.catalogue == "profiles" else catalogue[key]
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


def _default(param: Parameter, default: Any, context: dict[str, Any]) -> Any:
    if isinstance(default, str) and "{{" in default:
        try:
            return jinja.render_text(default, context)
        except jinja.FragmentError as exc:
            raise LibraryError(param.source, f"parameter {param.id}: default {exc}") from None
    return default


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """Answers keyed by parameter id, nested as a deal file holds them (the inverse of ``flatten``)."""
    tree: dict[str, Any] = {}
    for pid, value in flat.items():
        put_dotted(tree, pid, value)
    return tree


def _override(node: Any, parts: list[str], value: str) -> None:
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            if not part.isdigit() or not 1 <= int(part) <= len(node) + 1:
                raise ValueError(f"{'.'.join(parts[:depth])} has {len(node)} entries; use a number from 1 to {len(node) + 1}")
            index = int(part) - 1
            if index == len(node):
                node.append({})
            if last:
                node[index] = value
                return
            if not isinstance(node[index], (dict, list)):
                node[index] = {}
            node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
                return
            if not isinstance(node.get(part), (dict, list)):
                node[part] = {}
            node = node[part]
        else:
            raise ValueError(f"{'.'.join(parts[:depth])} is not a mapping or a list")


def _ensure_sections(tree: dict[str, Any], dotted: str) -> None:
    """Create the (empty) mappings above ``dotted``: ``deal.liability`` exists even when no
    liability answer applies, while an unanswered parameter itself stays absent."""
    node = tree
    for part in dotted.split(".")[:-1]:
        nxt = node.setdefault(part, {})
        if not isinstance(nxt, dict):
            return
        node = nxt


def put_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = tree
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            node[part] = nxt
        node = nxt
    node[parts[-1]] = value
