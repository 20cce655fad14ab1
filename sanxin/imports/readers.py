"""Read an uploaded table (xlsx, or CSV in UTF-8 / GB18030) into a header and rows of strings."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook


class UnreadableFile(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode_csv(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("CSV 文件既不是 UTF-8 也不是 GB18030 编码，请另存为“CSV UTF-8”后再上传")


def read_table(path: Path, filename: str = "") -> tuple[list[str], list[list[str]]]:
    name = (filename or path.name).lower()
    if name.endswith(".csv"):
        reader = csv.reader(io.StringIO(decode_csv(path.read_bytes())))
        rows = [[cell.strip() for cell in row] for row in reader]
    elif name.endswith((".xlsx", ".xlsm", ".xls")):
        try:
            with CalamineWorkbook.from_path(str(path)) as workbook:
                sheet = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except CalamineError as exc:
            raise UnreadableFile(f"无法读取 Excel 文件：{exc}") from exc
        rows = [[_text(cell) for cell in row] for row in sheet]
    else:
        raise UnreadableFile("只支持 .xlsx 或 .csv 文件")
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise UnreadableFile("文件是空的")
    header, body = rows[0], rows[1:]
    while header and not header[-1]:
        header.pop()
    return header, body
