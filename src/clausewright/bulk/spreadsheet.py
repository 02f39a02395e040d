"""The ready-to-fill bulk input (``bulk template``), derived from the parameter schema.

XLSX: a ``suppliers`` sheet with one column per parameter that varies by supplier (text columns
formatted as text so Excel keeps leading zeros, drop-down lists for choices), and a ``help`` sheet
that describes each column: label, type, whether it is required, allowed values, default and help,
then the shared parameters a row may also override. CSV: the header row only, in UTF-8 with a
byte-order mark (what Excel expects).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from clausewright.bulk.layout import SUPPLIER_ID, Column, Layout
from clausewright.errors import ClausewrightError, UsageError
from clausewright.files import write_atomic
from clausewright.inputs.agreement_types import TYPE_PARAMETER, AgreementType
from clausewright.inputs.schema import Parameter, Schema
from clausewright.inputs.types import ONE_CHOICE_TYPES
from clausewright.quoting import csv_bytes, formula_like
from clausewright.reads import text_reads
from clausewright.roles import BY_NAME

DATA_SHEET, HELP_SHEET = "suppliers", "help"
HELP_COLUMNS = ("column", "label", "type", "required", "allowed values", "default", "applies when", "help", "example")
_TEXT_TYPES = {"text", "longtext", "email", "multichoice", "currency", *ONE_CHOICE_TYPES}
_CHOICE_TYPES = {"bool", *ONE_CHOICE_TYPES}
_NOTES = (
    "How to fill the suppliers sheet",
    "One row per supplier. supplier_id names the row: it must be unique and appears in file names, errors.csv and the manifest.",
    "An empty cell means 'not given': the value from --defaults (a deal file with the shared values) applies, or the parameter's default.",
    "Lists take numbered columns, one group per entry (products.1.name, products.2.name, ...). Number entries from 1 without gaps; add groups by copying the pattern.",
    "Any parameter below may be added as a column to set it per row; a row's value overrides --defaults.",
)
_FOR_TYPE = "These columns are those of the {title}: give {parameter}: {type} in --defaults (bulk template --type gives another type's columns)."


def write(path: Path, layout: Layout, kind: AgreementType, *, entries: int, force: bool = False) -> list[Column]:
    """The template for agreements of type ``kind``: only the parameters that type asks."""
    columns = layout.template_columns(entries, kind)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        data = _csv(columns)
    elif suffix == ".xlsx":
        data = _xlsx(columns, layout, kind)
    else:
        raise UsageError(f"{path}: the template is written as .xlsx or .csv")
    write_atomic(Path(path), data, force=force)
    return columns


def _csv(columns: list[Column]) -> bytes:
    return csv_bytes([c.name for c in columns], [])


def _xlsx(columns: list[Column], layout: Layout, drafted: AgreementType) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = _put(sheet.cell(row=1, column=index), column.name)
        cell.font = bold
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(len(column.name) + 3, 40))
        kind = column.param.type.name if column.param is not None else "text"
        if column.is_id or kind in _TEXT_TYPES:
            sheet.column_dimensions[letter].number_format = "@"  # keep "0123" as typed
        elif kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        choices = _choices(column.param) if column.param is not None and kind in _CHOICE_TYPES else []
        formula = '"' + ",".join(choices) + '"'
        if choices and len(formula) <= 255 and not any("," in c or '"' in c for c in choices):
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}10000")
    sheet.freeze_panes = "B2"

    helps = book.create_sheet(HELP_SHEET)
    for note in _NOTES:
        _append(helps, [note])
    _append(helps, [_FOR_TYPE.format(title=drafted.title, parameter=TYPE_PARAMETER, type=drafted.id)])
    helps["A1"].font = Font(bold=True, size=13)
    _append(helps, [])
    _append(helps, list(HELP_COLUMNS))
    header_row = helps.max_row
    for cell in helps[header_row]:
        cell.font = bold
    _append(helps, [SUPPLIER_ID, "Supplier id", "text", "yes", "", "", "", "Unique per row; used in file names, errors.csv and the manifest.", "S-001"])
    described: set[str] = set()
    for column in columns:
        if column.is_id:
            continue
        if column.param is None:
            continue
        if column.list_param is not None:
            name = f"{column.list_param.id}.N.{column.param.id}"
            if name in described:
                continue
            described.add(name)
            _append(helps, _describe(name, column.param, layout.schema, prefix=f"{column.list_param.label}, entry N: "))
        else:
            described.add(column.name)
            _append(helps, _describe(column.name, column.param, layout.schema))
    shared = [p for p in layout.schema.parameters if p.bulk != "row" and p.type.name != "list" and drafted.asks_parameter(p.id)]
    if shared:
        _append(helps, [])
        _append(helps, ["Shared values: normally given in --defaults; add a column with the parameter's id to set one per row."])
        helps.cell(row=helps.max_row, column=1).font = bold
        for param in shared:
            _append(helps, _describe(param.id, param, layout.schema))
    widths = (30, 34, 30, 12, 40, 20, 30, 70, 24)
    for index, width in enumerate(widths, start=1):
        helps.column_dimensions[get_column_letter(index)].width = width
    for row in helps.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell: Any, value: Any) -> Any:
    """Write a value into a cell; text is always stored as text, never as a formula (openpyxl
    would store text beginning with ``=`` as one), and text a spreadsheet program would read as a
    formula when edited carries Excel's "text" mark (``quotePrefix``)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if formula_like(value):
            cell.quotePrefix = True
    return cell


def _append(sheet: Any, values: list[Any]) -> None:
    """``sheet.append(values)``, each cell then written by ``_put``."""
    sheet.append(values)
    for index, value in enumerate(values, start=1):
        _put(sheet.cell(row=sheet.max_row, column=index), value)


def _choices(param: Parameter) -> list[str]:
    if param.type.name == "bool":
        return ["yes", "no"]
    try:
        return list(param.choice_map())
    except ClausewrightError:
        return []


def _describe(name: str, param: Parameter, schema: Schema, prefix: str = "") -> list[str]:
    kind = param.type.name
    if kind in ("multichoice", *ONE_CHOICE_TYPES):
        try:
            allowed = "; ".join(v if v == label else f"{v} ({label})" for v, label in param.choice_map().items())
        except ClausewrightError:
            allowed = ""
    elif kind == "bool":
        allowed = "yes; no"
    else:
        allowed = _range(param)
    required = "yes" if param.required and param.default is None else "no"
    default = shown_default(param, schema)
    example = "" if param.example is None else str(param.example)
    return [name, prefix + param.label, f"{kind}: {param.type.help}", required, allowed, default, param.when or "", param.help, example]


def _range(param: Parameter) -> str:
    parts = []
    if param.min is not None:
        parts.append(f"at least {param.min}")
    if param.max is not None:
        parts.append(f"at most {param.max}")
    if param.max_length:
        parts.append(f"up to {param.max_length} characters")
    if param.pattern_help:
        parts.append(param.pattern_help)
    return "; ".join(parts)


def shown_default(param: Parameter, schema: Schema) -> str:
    """A parameter's default as a lawyer reads it: yes or no, a choice by its label, and a
    default worked out from other answers or profiles by where it comes from."""
    default = param.default
    if default is None:
        return ""
    if isinstance(default, str) and "{{" in default:
        sources = []
        for read in text_reads(default):
            if read.root in BY_NAME:
                sources.append(f"the {BY_NAME[read.root].label}")
            elif read.root == "deal" and (answer := schema.get(".".join(read.path))) is not None:
                sources.append(f"the answer to \"{answer.label}\"")
        named = list(dict.fromkeys(sources))
        return "worked out from " + (", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0] if named else "other answers")
    if param.type.name == "bool":
        return "yes" if str(default).lower() in ("true", "yes") else "no"
    if param.type.name in ONE_CHOICE_TYPES:
        try:
            return param.choice_map().get(str(default), str(default))
        except ClausewrightError:
            return str(default)
    return str(default)
