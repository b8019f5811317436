"""CSV for spreadsheets used in France: UTF-8 with BOM, ``;`` separator, CRLF line ends.

The one place that writes a CSV export (DGALN lists, open data). Every text cell goes
through :func:`cell`, which neutralises formulas: a spreadsheet runs a cell starting with
``= + - @`` (or a tab / carriage return) as a formula, so a title typed by a user could
otherwise become a link or a command on the reader's machine (CSV injection). Numbers are
left as numbers: a negative longitude is data, not a formula. Files meant for people rather
than programs may write decimals with a comma (``decimal_comma``), as French Excel reads them.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value as a spreadsheet must read it: ``None`` empty, formulas quoted."""
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazy translation is text too
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _comma(value: Any) -> Any:
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return value


def _write(
    out: Any, header: Sequence[str], rows: Iterable[Sequence[Any]], decimal_comma: bool = False
) -> None:
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        cells = [cell(v) for v in row]
        # After cell(): a negative number turned into text is still a number, not a formula.
        writer.writerow([_comma(v) for v in cells] if decimal_comma else cells)


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, decimal_comma: bool = False
) -> bytes:
    """The whole file as bytes (for exports that are cached or served with an ETag)."""
    buffer = io.StringIO()
    _write(buffer, header, rows, decimal_comma)
    return buffer.getvalue().encode("utf-8")


def csv_response(
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    decimal_comma: bool = False,
) -> HttpResponse:
    """An attachment download named ``filename``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _write(response, header, rows, decimal_comma)
    return response
