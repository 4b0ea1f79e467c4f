"""CSV that is safe to open in a spreadsheet: the one writer for every CSV the portal
produces (downloads and the files inside the personal-data ZIP)."""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

# A cell starting with one of these is run as a formula (or a DDE command) by Excel,
# LibreOffice or Sheets. The full-width signs count too: spreadsheets fold them to
# ASCII when they read a formula.
FORMULA_PREFIXES = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "|",
    "%",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
# Spreadsheets skip these before looking for a formula sign.
LEADING_BLANKS = " \u00a0\u3000"


def safe_cell(value) -> str | int | float | Decimal:
    """The value as a cell: numbers stay numbers; text that a spreadsheet would run as a
    formula is quoted with a leading apostrophe, shown but never run."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    if text.lstrip(LEADING_BLANKS).startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row: Sequence) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads UTF-8 names correctly
    writer = SafeWriter(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
