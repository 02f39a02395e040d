"""The columns of a bulk input, derived from the one parameter schema.

A column is named by a parameter id (``supplier.name``). ``supplier_id`` names the row: it is
used in file names, errors.csv and the manifest, and is not a parameter. A list parameter (such
as ``products``) takes numbered columns, one group per entry: ``products.1.name``,
``products.1.unit_price``, ``products.2.name``... Entries are numbered from 1 without gaps; an
entry whose cells are all empty is not there. When a row fills any entry of a list, the row's
entries replace the whole list from ``--defaults``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clausewright.errors import Problem
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.schema import Parameter, Schema
from clausewright.inputs.types import is_missing

SUPPLIER_ID = "supplier_id"
DEFAULT_ENTRIES = 3  # numbered groups per list in a generated template
MAX_ENTRIES = 1000
_LIST_COLUMN = re.compile(r"([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\.(\d+)\.([a-z][a-z0-9_]*)")
_ITEM_FIELD = re.compile(r"([a-z][a-z0-9_.]*)\[(\d+)\]\.(.+)")


@dataclass(frozen=True)
class Column:
    name: str  # the header, e.g. "supplier.name" or "products.2.unit_price"
    param: Parameter | None = None  # the parameter, or the list's field for a list column
    list_param: Parameter | None = None  # the list, for a list column
    entry: int = 0  # the entry number (from 1), for a list column

    @property
    def is_id(self) -> bool:
        return self.name == SUPPLIER_ID


class Layout:
    """Maps headers to parameters and a row's cells to nested raw answers."""

    def __init__(self, schema: Schema):
        self.schema = schema

    # --- the ready-to-fill template --------------------------------------------------------------

    def template_columns(self, entries: int = DEFAULT_ENTRIES, kind: AgreementType | None = None) -> list[Column]:
        """``supplier_id``, then every parameter that varies by supplier (``bulk: row``) in asking
        order, a list as ``entries`` numbered groups of its fields; with ``kind``, only those
        agreements of that type ask."""
        columns = [Column(SUPPLIER_ID)]
        for param in self.schema.parameters:
            if param.bulk != "row" or (kind is not None and not kind.asks_parameter(param.id)):
                continue
            if param.type.name == "list":
                count = min(entries, param.max_items) if param.max_items else entries
                for n in range(1, count + 1):
                    columns += [Column(f"{param.id}.{n}.{f.id}", f, param, n) for f in param.fields]
            else:
                columns.append(Column(param.id, param))
        return columns

    # --- reading ---------------------------------------------------------------------------------

    def parse_header(self, headers: list[Any]) -> tuple[list[Column | None], list[Problem]]:
        """One ``Column`` per header cell (None for an empty header); problems name the header."""
        columns: list[Column | None] = []
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(headers, start=1):
            name = "" if raw is None else str(raw).strip().lower()
            if not name:
                columns.append(None)
                continue
            if name in seen:
                problems.append(Problem(name, f"column {index} repeats column {seen[name]}; each column may appear once", 1))
            seen.setdefault(name, index)
            column, problem = self._column(name)
            columns.append(column)
            if problem:
                problems.append(Problem(name, problem, 1))
        if SUPPLIER_ID not in seen:
            problems.append(Problem(SUPPLIER_ID, "no supplier_id column; it names each row in file names, errors.csv and the manifest", 1))
        return columns, problems

    def _column(self, name: str) -> tuple[Column | None, str | None]:
        if name == SUPPLIER_ID:
            return Column(name), None
        param = self.schema.get(name)
        if param is not None:
            if param.type.name == "list":
                example = ", ".join(f"{name}.1.{f.id}" for f in param.fields[:2])
                return None, f"{name} is a list; give each entry numbered columns, e.g. {example}"
            return Column(name, param), None
        match = _LIST_COLUMN.fullmatch(name)
        if match:
            list_id, number, field_id = match.group(1), int(match.group(2)), match.group(3)
            list_param = self.schema.get(list_id)
            if list_param is not None and list_param.type.name == "list":
                field = next((f for f in list_param.fields if f.id == field_id), None)
                if field is None:
                    return None, f"{list_id} entries have no field {field_id!r}; they have: {', '.join(f.id for f in list_param.fields)}"
                if not 1 <= number <= MAX_ENTRIES:
                    return None, f"entries are numbered from 1 to {MAX_ENTRIES}"
                return Column(name, field, list_param, number), None
        hint = self.schema.suggest(name)
        return None, "not a parameter of this library" + (f"; did you mean {hint}?" if hint else "")

    def row_answers(self, columns: list[Column | None], cells: list[Any], row: int) -> tuple[str | None, dict[str, Any], list[Problem]]:
        """The supplier id, the row's answers nested as in a deal file, and the row's own problems.
        Empty cells are not answers (the value from ``--defaults``, if any, applies)."""
        supplier_id: str | None = None
        answers: dict[str, Any] = {}
        lists: dict[str, dict[int, dict[str, Any]]] = {}
        problems: list[Problem] = []
        for index in range(max(len(columns), len(cells))):
            column = columns[index] if index < len(columns) else None
            value = cells[index] if index < len(cells) else None
            if is_missing(value):
                continue
            if column is None:
                problems.append(Problem(f"column {index + 1}", "holds a value but has no header; name the column or clear it", row))
            elif column.is_id:
                supplier_id = str(value).strip()
            elif column.list_param is not None and column.param is not None:
                lists.setdefault(column.list_param.id, {}).setdefault(column.entry, {})[column.param.id] = value
            else:
                put(answers, column.name, value)
        for list_id, entries in lists.items():
            numbers = sorted(entries)
            for expected, number in enumerate(numbers, start=1):
                if number != expected:
                    problems.append(Problem(f"{list_id}.{expected}", f"is empty but {list_id}.{number} is filled; number the entries from 1 without gaps", row))
                    break
            put(answers, list_id, [entries[n] for n in numbers])
        return supplier_id, answers, problems


def column_name(field: str) -> str:
    """A validation problem's field as the column a spreadsheet user sees:
    ``products[2].unit_price`` is column ``products.2.unit_price``."""
    match = _ITEM_FIELD.fullmatch(field)
    return f"{match.group(1)}.{match.group(2)}.{match.group(3)}" if match else field


def put(tree: dict[str, Any], dotted: str, value: Any) -> None:
    node = tree
    parts = dotted.split(".")
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = node[part] = {}
        node = nxt
    node[parts[-1]] = value


def merge(defaults: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """``defaults`` overridden by ``row``, recursively for mappings; a list is replaced whole."""
    out = dict(defaults)
    for key, value in row.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
