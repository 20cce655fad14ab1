"""What every registry import shares: columns, row errors, the file check, counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class ImportColumn:
    header: str
    key: str
    required: bool = False
    help: str = ""
    example: str = ""
    choices: Callable[[], list[str]] | None = None  # values offered as a dropdown in the template
    width: int = 16


@dataclass
class RowError:
    row: int  # as the user sees it in Excel: the header is row 1
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    touched_ids: list[int] = field(default_factory=list)


class FileError(Exception):
    """The file as a whole cannot be imported (wrong columns, unreadable)."""


def check_header(header: list[str], columns: list[ImportColumn]) -> None:
    expected = [c.header for c in columns]
    cleaned = [h.strip().replace("*", "") for h in header]
    if cleaned[: len(expected)] == expected:
        return
    missing = [h for h in expected if h not in cleaned]
    if missing:
        raise FileError(f"表头缺少列：{'、'.join(missing)}。请使用下载的模板，列的顺序为：{'、'.join(expected)}")
    for position, (got, want) in enumerate(zip(cleaned, expected, strict=False), start=1):
        if got != want:
            raise FileError(f"第 {position} 列应为“{want}”，文件中是“{got}”。请按模板的列顺序填写")


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(text: str) -> date:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    raise ValueError(f"日期“{text}”无法识别，请写成 2026-01-31")


def parse_count(text: str) -> int:
    text = text.strip().replace(",", "")
    if not text:
        return 0
    if not re.fullmatch(r"\d+(\.0+)?", text):
        raise ValueError("应为不小于 0 的整数")
    return int(float(text))
