"""The downloadable xlsx template: header row, dropdowns for listed values, an instructions sheet."""

from __future__ import annotations

import io

import xlsxwriter

from sanxin.imports.spec import ImportSpec

MAX_ROWS = 1_048_575


def template_bytes(spec: ImportSpec) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(spec.label[:31])
    lists = book.add_worksheet("可选值")
    guide = book.add_worksheet("填写说明")
    required = book.add_format({"bold": True, "bg_color": "#FDE68A", "border": 1})
    optional = book.add_format({"bold": True, "bg_color": "#F3F4F6", "border": 1})
    text = book.add_format({"num_format": "@"})
    for col, column in enumerate(spec.columns):
        sheet.write_string(0, col, column.header, required if column.required else optional)
        sheet.set_column(col, col, column.width, text)
        if column.choices:
            values = column.choices()
            lists.write_string(0, col, column.header)
            for row, value in enumerate(values, start=1):
                lists.write_string(row, col, value)
            letter = xlsxwriter.utility.xl_col_to_name(col)
            sheet.data_validation(
                1,
                col,
                MAX_ROWS,
                col,
                {
                    "validate": "list",
                    "source": f"='可选值'!${letter}$2:${letter}${len(values) + 1}",
                    "error_title": "不在可选范围内",
                    "error_message": f"请从下拉列表选择“{column.header}”",
                },
            )
    sheet.freeze_panes(1, 0)
    lists.hide()
    bold = book.add_format({"bold": True})
    guide.write_row(0, 0, ["列", "是否必填", "填写要求", "示例"], bold)
    for row, column in enumerate(spec.columns, start=1):
        guide.write_row(row, 0, [column.header, "必填" if column.required else "选填", column.help, column.example])
    notes = [
        "第一行为表头，请勿修改列名和顺序；从第二行开始每行一条。",
        "也可以上传 CSV 文件（UTF-8 或 GB18030 编码），列与本模板相同。",
        "系统逐行校验，错误会按行号、列名、填写值和原因列出，并可下载错误清单。",
        "默认“全部有效才导入”：有任何错误行时一行也不写入；也可选择“只导入有效行”。",
        "按唯一标识更新：已存在的记录会被更新，内容相同的记录不会改动，重复导入同一文件不会产生变化。",
    ]
    for offset, note in enumerate(notes, start=len(spec.columns) + 3):
        guide.write(offset, 0, note)
    guide.set_column(0, 0, 26)
    guide.set_column(2, 2, 60)
    guide.set_column(3, 3, 24)
    book.close()
    return buffer.getvalue()


def errors_bytes(errors: list[dict]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("错误清单")
    bold = book.add_format({"bold": True, "bg_color": "#FEE2E2", "border": 1})
    sheet.write_row(0, 0, ["行号", "列", "填写值", "原因"], bold)
    for row, error in enumerate(errors, start=1):
        sheet.write_number(row, 0, error["row"])
        sheet.write_string(row, 1, error["column"])
        sheet.write_string(row, 2, str(error["value"]))
        sheet.write_string(row, 3, error["reason"])
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, 3, 60)
    book.close()
    return buffer.getvalue()
