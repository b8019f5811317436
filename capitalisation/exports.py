"""Downloads of the dashboard's tables: CSV (atelier.csv) and XLSX (openpyxl)."""

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from atelier.csv import cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_cell(value: Any) -> Any:
    # openpyxl stores a string starting with "=" as a formula: the same guard as the CSV.
    value = cell(value)
    return float(value) if isinstance(value, Decimal) else value


def xlsx_response(
    *,
    filename: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    source: str = "",
) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    if source:
        sheet.append([])
        sheet.append([_xlsx_cell(source)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
