"""Every list exports to xlsx. A bulk export asks for the password again and is audited (security.md items 10, 12)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from sanxin.core.audit import audit_record
from sanxin.core.recheck import LOCKED_MESSAGE, Recheck, password_recheck

MAX_EXPORT_ROWS = 1_000_000


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]
    width: int = 16


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def xlsx_bytes(sheet_name: str, columns: list[Column], rows: Iterable) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(sheet_name[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#F3F4F6", "border": 1})
    for col, column in enumerate(columns):
        sheet.write(0, col, column.header, header)
        sheet.set_column(col, col, column.width)
    count = 0
    for count, row in enumerate(rows, start=1):
        if count > MAX_EXPORT_ROWS:
            break
        for col, column in enumerate(columns):
            value = _cell(column.value(row))
            if isinstance(value, str):
                sheet.write_string(count, col, value)
            else:
                sheet.write(count, col, value)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue(), count


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def export_list(request, *, title: str, columns: list[Column], rows: Iterable, action: str) -> HttpResponse:
    """GET shows the password confirmation; POST with the right password returns the xlsx and audits it.

    The calling view has already checked the capability and cut `rows` to the user's scope."""
    error = ""
    if request.method == "POST":
        checked = password_recheck(request.user, request.POST.get("password", ""), action=f"{action}.export", object_repr=title)
        if checked is Recheck.LOCKED:
            messages.error(request, LOCKED_MESSAGE)
            return redirect(settings.LOGIN_URL)
        if checked is Recheck.PASSED:
            content, count = xlsx_bytes(title, columns, rows)
            audit_record(
                actor=request.user, action=f"{action}.export", object_repr=title, detail={"rows": count, "filters": request.GET.dict()}
            )
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return xlsx_response(f"{title}-{stamp}.xlsx", content)
        error = "密码不正确，未导出（连续输错 5 次将锁定账号 30 分钟）"
    back = request.path.removesuffix("export/") + (f"?{request.GET.urlencode()}" if request.GET else "")
    context = {"title": title, "error": error, "back": back}
    return render(request, "includes/export_confirm.html", context, status=400 if error else 200)
