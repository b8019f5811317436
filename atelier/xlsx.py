"""XLSX exports (openpyxl), the companion of :mod:`atelier.csv` for people who open the
file in Excel or LibreOffice: one sheet per table, a bold frozen header row.

Text cells go through :func:`atelier.csv.cell`: openpyxl writes a string starting with
``=`` as a formula, so a title typed by a user would otherwise run in the reader's
spreadsheet.
"""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from atelier.csv import cell

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """The workbook as bytes; ``sheets`` are (title, header, rows)."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        bold = []
        for name in header:
            head = WriteOnlyCell(sheet, value=str(name))
            head.font = Font(bold=True)
            bold.append(head)
        sheet.append(bold)
        for row in rows:
            sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
