"""The row check every registry import shares: required columns, one reason per column, template columns only."""

from sanxin.imports.spec import ImportColumn, RowCheck

COLUMNS = [
    ImportColumn("名称", "name", True, max_length=5),
    ImportColumn("代码", "code", True, fold=True),
    ImportColumn("备注", "note"),
]


def test_required_columns_and_first_reason_per_column():
    check = RowCheck(7, ["", "１２３"], COLUMNS)  # a short row: the missing cells read as empty
    assert check.text == {"name": "", "code": "123", "note": ""}
    check.fail("name", "名称重复")  # already refused as empty: not said twice
    check.fail("code", "代码不存在")
    check.fail_each({"code": "代码已被占用", "note": "备注有误", "region": "没有这一列"})
    assert [(e.row, e.column, e.reason) for e in check.errors] == [
        (7, "名称", "“名称”不能为空"),
        (7, "代码", "代码不存在"),
        (7, "备注", "备注有误"),
    ]


def test_a_column_unreadable_has_no_other_reason():
    check = RowCheck(2, ["一二三四五六", "A\x00", "x"], COLUMNS)
    reasons = {e.column: e.reason for e in check.errors}
    assert reasons["名称"] == "名称不能超过 5 个字，本行 6 个字"
    assert "代码" in reasons and check.text["code"] == ""
    assert check.bad == {"name", "code"}
    check.fail("name", "另一个原因")
    check.fail("code", "另一个原因")
    assert len(check.errors) == 2
