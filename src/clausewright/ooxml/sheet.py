"""Write one table as an XLSX workbook: a header row frozen at the top, an Excel table with its
filter buttons over every row, wrapped text, and every text cell stored as text (a cell that
would run as a formula carries Excel's "text" mark, ``quoting.formula_like``)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from clausewright.quoting import formula_like

MAX_WIDTH = 60


def table_xlsx(title: str, columns: list[str], rows: list[list[str]], *, widths: dict[str, int] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for values in [columns, *rows]:
        sheet.append([None] * len(values))
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = formula_like(value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(columns, start=1):
        longest = max([len(name), *(len(r[index - 1]) for r in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = (widths or {}).get(name, min(MAX_WIDTH, max(10, longest + 2)))
    sheet.freeze_panes = "A2"
    table = Table(displayName="Issues", ref=f"A1:{get_column_letter(len(columns))}{len(rows) + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
