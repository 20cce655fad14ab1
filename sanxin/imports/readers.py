"""Read an uploaded table (xlsx, or CSV in UTF-8 / GB18030 / UTF-16) into a header and rows of strings.

Every data row keeps its row number as the user sees it in Excel (the header's row counts, and so
do blank rows, which are skipped), so an error points at the right line.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

# Excel keeps 15 significant digits: a longer number (an 18-digit code typed into a number cell)
# has already lost its last digits. Show it as Excel does, so the check says what happened.
EXACT_DIGITS_LIMIT = 10**15

NumberedRow = tuple[int, list[str]]


class UnreadableFile(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) >= EXACT_DIGITS_LIMIT:
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode_csv(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # GB18030 has a byte-order mark of its own, which decodes to U+FEFF.
            return raw.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("CSV 文件既不是 UTF-8 也不是 GB18030 编码，请另存为“CSV UTF-8”后再上传")


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = decode_csv(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> list[list[str]]:
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            # Not skipping the empty area keeps row 1 of the sheet at index 0, whatever is blank above the data.
            sheet = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise UnreadableFile(f"无法读取 Excel 文件：{exc}") from exc
    return [[_text(cell) for cell in row] for row in sheet]


def read_rows(path: Path, filename: str = "") -> tuple[list[str], list[NumberedRow]]:
    """The header (the first non-blank row) and every non-blank row after it with its row number."""
    name = (filename or path.name).lower()
    if name.endswith(".csv"):
        rows = _csv_rows(path.read_bytes())
    elif name.endswith((".xlsx", ".xlsm", ".xls")):
        rows = _xlsx_rows(path)
    else:
        raise UnreadableFile("只支持 .xlsx 或 .csv 文件")
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise UnreadableFile("文件是空的")
    (_, header), body = numbered[0], numbered[1:]
    while header and not header[-1]:
        header.pop()
    return header, body


def read_table(path: Path, filename: str = "") -> tuple[list[str], list[list[str]]]:
    """The header and the non-blank rows without their numbers (for callers that do not report rows)."""
    header, body = read_rows(path, filename)
    return header, [cells for _, cells in body]
