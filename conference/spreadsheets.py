"""XLSX files that people open: each sheet named, headers in bold and frozen, columns
wide enough to read, right to left for an Arabic or Sorani reader, and text that never
runs as a formula. Exports put a sheet for people first (headers and labels in the
exporter's language) and the codes sheet after it (stable keys, for re-import and
for programs): see registrations.resources and conference.resources."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

import openpyxl
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# The codes sheet keeps one name in every language: imports look for it by name.
CODES_SHEET = "codes"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def sheet_title(title: str) -> str:
    # Excel refuses these characters and more than 31 of them.
    return _SHEET_FORBIDDEN.sub(" ", str(title)).strip()[:31] or "Sheet"


def _cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: callers pass local time
    return value


Sheet = tuple[str, Sequence[str], Iterable[Sequence]]


def xlsx_bytes(sheets: Iterable[Sheet], *, rtl: bool | None = None) -> bytes:
    """``sheets``: (title, headers, rows) each; the first is the one a reader sees on
    opening. ``rtl`` defaults to the active language's direction."""
    if rtl is None:
        rtl = get_language_bidi()
    book = openpyxl.Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(sheet_title(title))
        sheet.sheet_view.rightToLeft = rtl
        sheet.append([_cell(str(header)) for header in headers])
        for cell in sheet[1]:
            cell.font = bold
        widths = [len(str(header)) for header in headers]
        for row in rows:
            sheet.append([_cell(value) for value in row])
            for index, cell in enumerate(sheet[sheet.max_row]):
                if isinstance(cell.value, str):
                    # openpyxl reads "=..." as a formula: a delegate's text stays text.
                    cell.data_type = "s"
                    if index < len(widths):
                        widths[index] = max(widths[index], len(cell.value))
                elif isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    widths[index] = max(widths[index], 16)
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                    widths[index] = max(widths[index], 10)
        for index, width in enumerate(widths, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = min(max(width, 8) + 2, 60)
        sheet.freeze_panes = "A2"
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_codes_sheet(content: bytes) -> tuple[list[str], list[list]]:
    """Headers and rows of the codes sheet, or of the first sheet of a file that has no
    codes sheet (one written by hand, or by an older export)."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = book[CODES_SHEET] if CODES_SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = list(next(rows, []))
    return headers, [list(row) for row in rows]
