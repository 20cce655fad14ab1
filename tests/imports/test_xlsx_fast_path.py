"""The xlsx fast path (python-calamine behind a scan of the sheet's extent) gives exactly the streamed reader's rows,
and every file it cannot prove small and plain goes to the streamed reader. Each test compares the two readers."""

import posixpath
import random
import re
import zipfile
from datetime import datetime
from pathlib import Path
from unittest import mock

import pytest
import xlsxwriter
from openpyxl import Workbook

from sanxin.imports import readers
from sanxin.imports.readers import read_rows
from tests.imports.test_import_hardening import read_rows_in_512_mb
from tests.imports.test_imports import HEADER, row, xlsx


def streamed(path: Path, columns: int = readers.READ_COLUMNS) -> list:
    book = readers._Workbook(path)
    try:
        return list(book.rows(columns, None))
    finally:
        book.zip.close()


def fast(path: Path, columns: int = readers.READ_COLUMNS):
    book = readers._Workbook(path)
    try:
        return readers._calamine_rows(book, path, columns)
    finally:
        book.zip.close()


def assert_fast_equal(path: Path) -> None:
    expected = streamed(path)
    got = fast(path)
    assert got is not None, "the fast path declined a plain file"
    assert got == expected
    assert read_rows(path)[1] == expected[1:]


def assert_declined(path: Path) -> None:
    assert fast(path) is None
    with mock.patch.object(readers, "_calamine_rows", return_value=None) as never:
        expected = read_rows(path)
    assert never.called
    assert read_rows(path) == expected


TEXTS = [
    "南昌示例有限公司",
    "ＡＢＣ１２３（全角）有限公司",
    "  两边空格  ",
    "91360000000000000G",
    "000123",
    "360102002001",
    "a\tb",
    "行1\n行2",
    "-",
    "x",
]
NUMBERS = [0, 1, -5, 30, 2.5, 0.1, -3.25, 1e-7, 123.0, 1e20, 12345678901234, 999999999999999, 10**15, 913601020000000001, 3.141592653589793]


def every_kind(path: Path, *, constant_memory: bool) -> Path:
    """Text (shared or inline), numbers (integers stored as floats, long ones), booleans, empty cells, blank rows,
    formulas' cached numbers, strings and booleans, full-width text; random numbers besides."""
    rng = random.Random(14)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    r = 1
    for text in TEXTS:
        sheet.write_string(r, 0, text)
        sheet.write_string(r, 3, text)
        r += 1
    for number in NUMBERS:
        sheet.write_number(r, 1, number)
        sheet.write_number(r, 12, -number)
        r += 1
    sheet.write_boolean(r, 0, True)
    sheet.write_boolean(r, 1, False)
    r += 2  # a blank row
    sheet.write_formula(r, 0, "=1+2", None, 3)
    sheet.write_formula(r, 1, '=CONCATENATE("甲","乙")', None, "甲乙")
    sheet.write_formula(r, 2, "=TRUE()", None, True)
    sheet.write_formula(r, 3, "=7/2", None, 3.5)
    sheet.write_string(r, 5, "空格之后")  # E is empty
    r += 1
    for _ in range(300):
        kind = rng.randrange(4)
        if kind == 0:
            value = rng.uniform(-1e6, 1e6) * 10 ** rng.randrange(-8, 18)
        elif kind == 1:
            value = rng.randrange(-(10**17), 10**17) // 10 ** rng.randrange(0, 17)
        elif kind == 2:
            value = float(rng.randrange(10**6))
        else:
            value = round(rng.uniform(0, 1000), rng.randrange(0, 6))
        sheet.write_number(r, rng.randrange(13), value)
        sheet.write_string(r, 13 + rng.randrange(10), f"备注{rng.randrange(10**6)}")
        r += 1
    book.close()
    return path


@pytest.mark.parametrize("constant_memory", [True, False], ids=["inline strings", "shared strings"])
def test_every_plain_cell_kind_reads_the_same(tmp_path, constant_memory):
    path = every_kind(tmp_path / "类型.xlsx", constant_memory=constant_memory)
    assert_fast_equal(path)
    rows = dict(streamed(path))
    assert rows[2][0] == "南昌示例有限公司" and rows[4][0] == "两边空格" and rows[5][0] == "91360000000000000G"
    assert [rows[12 + i][1] for i in range(len(NUMBERS))][:5] == ["0", "1", "-5", "30", "2.5"]


def test_an_openpyxl_file_reads_the_same(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(50):
        sheet.append(row(name=f"南昌{i}号有限公司", 从业人员数=i * 7, 正式党员数=i / 4))
    sheet.append([None, None, "只有第三格"])
    path = tmp_path / "openpyxl.xlsx"
    book.save(path)
    assert_fast_equal(path)


def test_the_tests_own_files_read_the_same(tmp_path):
    """The files the import tests upload (the shared helper), with and without dates: fast and equal."""
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(xlsx([row(), None, row(name="第二家", 从业人员数=12), row(正式党员数=3.5)]))
    assert_fast_equal(plain)
    dated = tmp_path / "dated.xlsx"
    dated.write_bytes(xlsx([row(成立日期=datetime(2020, 5, 1)), row(name="第二家", 成立日期=datetime(1900, 3, 1))]))
    assert_fast_equal(dated)
    assert [cells[HEADER.index("成立日期")] for _, cells in streamed(dated)[1:]] == ["2020-05-01", "1900-03-01"]


DATE = {"num_format": 14}


def header_and(path: Path, constant_memory: bool, *writes) -> Path:
    """A sheet of the header, then what each of `writes` (sheet, book) puts in it."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for write in writes:
        write(sheet, book)
    book.close()
    return path


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda s, b: s.write_number(1, 0, 43952, b.add_format(DATE)), id="built-in date"),
        pytest.param(lambda s, b: s.write_number(1, 0, 43952, b.add_format({"num_format": 31})), id="chinese date"),
        pytest.param(lambda s, b: s.write_number(1, 0, 43952, b.add_format({"num_format": 'yyyy"年"m"月"d"日"'})), id="own format"),
        pytest.param(
            lambda s, b: s.write_datetime(1, 0, datetime(2020, 5, 1), b.add_format({"num_format": "yyyy-mm-dd hh:mm"})), id="midnight"
        ),
        pytest.param(lambda s, b: s.write_blank(1, 0, None, b.add_format(DATE)), id="empty cell in a date format"),
        pytest.param(lambda s, b: s.write_string(1, 0, "2020年5月", b.add_format(DATE)), id="text in a date format"),
        pytest.param(lambda s, b: s.write_formula(1, 0, "=1+1", b.add_format(DATE), "2020-05-01"), id="formula's text in a date format"),
        pytest.param(lambda s, b: s.write_formula(1, 0, "=43952", b.add_format(DATE), 43952), id="formula's date"),
    ],
)
@pytest.mark.parametrize("constant_memory", [True, False], ids=["inline", "shared"])
def test_dates_both_readers_read_as_dates_take_the_fast_path(tmp_path, make, constant_memory):
    def beside(sheet, book):
        sheet.write_number(2, 1, 43952)  # a number beside, in no date format
        sheet.write_number(2, 2, 43953, book.add_format(DATE))  # another column's date, in the next row

    assert_fast_equal(header_and(tmp_path / "日期.xlsx", constant_memory, make, beside))


def test_a_1904_workbook_takes_the_fast_path_only_without_dates(tmp_path):
    for dated in (False, True):
        path = tmp_path / f"1904-{dated}.xlsx"
        book = xlsxwriter.Workbook(str(path), {"date_1904": True})
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, HEADER)
        sheet.write_number(1, 0, 43952, book.add_format(DATE) if dated else None)
        book.close()
        assert_declined(path) if dated else assert_fast_equal(path)
    assert streamed(path)[1][1] == ["2024-05-02"]  # the 1904 calendar's day, as the streamed path reads it


def test_dated_cells_are_counted_wherever_the_scan_cuts_the_sheet(tmp_path, monkeypatch):
    """The scan reads the sheet in pieces: a dated cell's tag whose value starts in the next piece is still dated."""
    path = tmp_path / "切.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet, dated = book.add_worksheet(), book.add_format(DATE)
    sheet.write_row(0, 0, HEADER)
    for r in range(1, 4):
        sheet.write_string(r, 0, f"南昌{r}号有限公司")
        sheet.write_number(r, 1, 36526 + r, dated)
        sheet.write_number(r, 2, r)
    book.close()
    expected = streamed(path)
    for size in range(150, 450):  # every cut, one piece size at a time (each piece holds a whole cell)
        monkeypatch.setattr(readers, "SCAN_PIECE", size)
        assert fast(path) == expected, size


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda s, b: s.write_datetime(1, 0, datetime(2020, 5, 1, 8, 30), b.add_format({"num_format": "yyyy-mm-dd hh:mm"})),
            id="datetime",
        ),
        pytest.param(lambda s, b: s.write_number(1, 0, 60, b.add_format(DATE)), id="date before 1900-03-01"),
        pytest.param(lambda s, b: s.write_number(1, 0, -1, b.add_format(DATE)), id="negative date"),
        pytest.param(lambda s, b: s.write_number(1, 0, 3e6, b.add_format(DATE)), id="date beyond 9999"),
        pytest.param(lambda s, b: s.write_number(1, 0, 0.5, b.add_format({"num_format": "hh:mm"})), id="time"),
        pytest.param(lambda s, b: s.write_number(1, 0, 1.5, b.add_format({"num_format": "[h]:mm"})), id="duration"),
        pytest.param(lambda s, b: s.write_string(1, 0, "带\x01控制符"), id="control character"),
        pytest.param(lambda s, b: s.write_string(1, 0, "A&B 公司"), id="entity"),
        pytest.param(lambda s, b: s.write_rich_string(1, 0, "甲", b.add_format({"bold": True}), "乙"), id="rich text"),
        pytest.param(lambda s, b: s.write_string(1, 40, "很远的一列"), id="column right of the read ones"),
    ],
)
@pytest.mark.parametrize("constant_memory", [True, False], ids=["inline", "shared"])
def test_cells_the_fast_path_cannot_prove_are_streamed(tmp_path, make, constant_memory):
    assert_declined(header_and(tmp_path / "其他.xlsx", constant_memory, make, lambda sheet, _: sheet.write_string(2, 1, "下一行")))


def rewrite_sheet(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, change(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return target


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.replace(b'<c r="B3"', b"<c"), id="cell without r"),
        pytest.param(lambda d: d.replace(b'<row r="3"', b"<row"), id="row without r"),
        pytest.param(lambda d: d.replace(b'r="B3"', b'r="B7"'), id="cell outside its row"),
        pytest.param(lambda d: d.replace(b'<row r="3"', b'<row r="1"'), id="rows out of order"),
        pytest.param(
            lambda d: (
                d.replace(b'<dimension ref="A1:M3"/>', b'<dimension ref="A1:B2"/>')
                .replace(b'<row r="3"', b'<row r="6000000"')
                .replace(b'r="B3"', b'r="B6000000"')
            ),
            id="row beyond the limit, dimension lying",
        ),
    ],
)
def test_irregular_sheets_are_streamed(tmp_path, change):
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(xlsx([row(), row(name="第三行")]))
    assert_fast_equal(plain)
    path = rewrite_sheet(plain, tmp_path / "改.xlsx", change)
    assert zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml") != zipfile.ZipFile(plain).read("xl/worksheets/sheet1.xml")
    assert_declined(path)


def far_cell_book(path: Path, cell: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row(name="远处有一格的文件"))
    sheet[cell] = "x"
    book.save(path)
    return path


@pytest.mark.parametrize("cell", ["XFD1048576", "A1048576", "AF1048576"])
def test_a_far_cell_or_row_is_streamed_in_little_memory(tmp_path, cell):
    """XFD1048576 (a far column) and A1048576 (a far row, in the columns read): calamine would fill the rectangle."""
    path = far_cell_book(tmp_path / "远处.xlsx", cell)
    book = readers._Workbook(path)
    try:
        assert readers._sheet_extent(book, readers.READ_COLUMNS) is None
    finally:
        book.zip.close()
    header, rows = read_rows_in_512_mb(path)
    assert header == HEADER
    assert [[number, cells] for number, cells in streamed(path)[1:]] == rows
    assert rows[0][0] == 2 and rows[0][1][1] == "远处有一格的文件"


def test_the_row_limit_message_is_kept_on_the_fast_path(tmp_path, monkeypatch):
    path = tmp_path / "多.xlsx"
    path.write_bytes(xlsx([row(), row(), row()]))
    assert fast(path) is not None
    monkeypatch.setattr(readers, "MAX_ROWS", 2)
    with pytest.raises(readers.UnreadableFile, match=re.escape("文件超过 2 行，请拆分后上传")):
        read_rows(path)


def test_a_sheet_starting_away_from_a1_reads_the_same(tmp_path):
    """calamine would trim the empty rows and columns before the data; the row numbers and columns stay Excel's."""
    path = tmp_path / "偏移.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(4, 2, HEADER[:5])
    sheet.write_row(6, 2, ["甲", "乙", 3, 4.5, "戊"])
    book.close()
    assert_fast_equal(path)
    assert streamed(path)[1] == (7, ["", "", "甲", "乙", "3", "4.5", "戊"])


def test_an_empty_sheet_is_empty_on_both_paths(tmp_path):
    path = tmp_path / "空.xlsx"
    xlsxwriter.Workbook(str(path)).close()
    assert fast(path) == streamed(path) == []
    with pytest.raises(readers.UnreadableFile, match="文件是空的"):
        read_rows(path)


@pytest.mark.parametrize(
    "marker",
    [
        b"<!DOCTYPE x>",
        b"<![CDATA[x]]>",
        b"A&amp;B",
        b"_x000D_",
        b"a\rb",
        b'<rPh sb="0">',
        b"<r>",
        b"<r ",
        b't="d"',
        b't="e"',
        b"<x:c ",
        b"</x:c>",
    ],
)
def test_what_the_fast_path_does_not_take_is_seen_anywhere_in_a_piece(marker):
    clean = b'<row r="2"><c r="A2" t="inlineStr"><is><t>Page 8:30 _ ! P r t="s"</t></is></c><c r="B2" t="n"><v>1</v></c></row>'
    assert not readers._unsafe(clean)  # the bytes each check needs first are there, the markers not
    for at in (0, 20, len(clean)):
        assert readers._unsafe(clean[:at] + marker + clean[at:])


# --- Hand-made files: what no writer makes but a crafted file may hold ------------------------------------------
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook {_NS} xmlns:r="{_REL}">{{properties}}'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="{{sheet}}"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="{{strings}}"/></Relationships>',
    # style 1 shows a date (numFmtId 14)
    "xl/styles.xml": f'<styleSheet {_NS}><cellXfs count="2">'
    '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/sharedStrings.xml": f"<sst {_NS}><si><t>h</t></si><si><t>A</t></si></sst>",
    "xl/worksheets/sheet1.xml": f'<worksheet {_NS} xmlns:x.y="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">{row}</row></sheetData>{after}</worksheet>',
}


def handmade(
    path: Path,
    row: str,
    *,
    after: str = "",
    properties: str = "",
    strings: str = "sharedStrings.xml",
    sheet="worksheets/sheet1.xml",
    extra=None,
) -> Path:
    """A workbook written by hand: a header cell "h", then row 2 as `row` gives it (style 1 shows a date)."""
    fill = {"row": row, "after": after, "properties": properties, "strings": strings, "sheet": sheet}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in {**_PARTS, **(extra or {})}.items():
            book.writestr(name, re.sub(r"\{(\w+)\}", lambda m: fill[m.group(1)], text))
    return path


@pytest.mark.parametrize(
    ("row", "after"),
    [
        pytest.param('<c r="A2" s="1"><v>4</v><v>3952</v></c>', "", id="a date in two values"),
        pytest.param('<c r="A2" s="1"><is><t>43952</t></is></c>', "", id="an inline string as a date"),
        pytest.param('<c r="A2"><v>1</v><is><t>x</t></is></c>', "", id="a value and an inline string"),
        pytest.param('<c r="A2" t="inlineStr"><v>x</v></c>', "", id="an inline string kept as a value"),
        pytest.param('<c r="A2" t="s"><v>0</v><is><t>b</t></is></c>', "", id="a shared string and an inline one"),
        pytest.param("<c r=\"A2\" t='e'><v>#N/A</v></c>", "", id="an error in single quotes"),
        pytest.param('<c r="A2" t = "e"><v>#N/A</v></c>', "", id="an error with spaces"),
        pytest.param(
            '<c r="A2"><v>1</v></c>', '<extLst><ext><row r="3"><c r="A3"><v>5</v></c></row></ext></extLst>', id="a row after the data"
        ),
        pytest.param('<c r="A2"><v>1</v></c>', '<sheetData><row r="3"><c r="A3"><v>5</v></c></row></sheetData>', id="a second sheetData"),
        pytest.param('<c r="A2"><v>1</v></c><x.y:c r="A40"><x.y:v>7</x.y:v></x.y:c>', "", id="a cell under a dotted prefix"),
        pytest.param('<x.y:c r="AF300000"><x.y:v>7</x.y:v></x.y:c>', "", id="a far cell under a dotted prefix"),
        pytest.param('<c r="A2"><v>1</v></c>', '<sheetData ><row r="3"><c r="A3"><v>5</v></c></row></sheetData >', id="sheetData >"),
        pytest.param('<c r="A2"><v>1</v></c>', '<sheetData/><row r="3"><c r="A3"><v>5</v></c></row>', id="sheetData/"),
        pytest.param('<c r="A2" s="1" x=\'t="inlineStr"\'><is><t>43952</t></is></c>', "", id="the kind inside another value"),
        pytest.param('<c r="A2" s="1"><is ><t>43952</t></is ></c>', "", id="is with a space"),
        pytest.param("<c r=\"A2\" t='inlineStr'><v>x</v></c>", "", id="inlineStr in single quotes"),
        pytest.param('<c r="A2" t = "inlineStr"><v>x</v></c>', "", id="inlineStr with spaces"),
        pytest.param('<c r="A2"><v>1</v><f>A1</f><v>2</v></c>', "", id="two values around a formula"),
        pytest.param('<c r="A2"><v>1<x>2</x>3</v></c>', "", id="an element inside a value"),
        pytest.param('<c r="A2"><v>1<?p x?>2</v></c>', "", id="an instruction inside a value"),
        pytest.param('<c r="A2" t="b"><v></v></c>', "", id="an empty value"),
        pytest.param('<c r="A2" s="1" x="1"><v>43952</v></c>', "", id="a date-styled cell written otherwise"),
        pytest.param('<c s="1" r="A2"><v>43952</v></c>', "", id="a date-styled cell with s first"),
    ],
)
def test_crafted_cells_the_two_readers_read_differently_are_streamed(tmp_path, row, after):
    assert_declined(handmade(tmp_path / "手写.xlsx", row, after=after))


@pytest.mark.parametrize(
    ("row", "text"),
    [
        ('<c r="A2"><v>1_000</v></c>', "1_000"),
        ('<c r="A2"><v>１２.５</v></c>', "１２.５"),
        ('<c r="A2"><v>٤٣٩٥٢.٥</v></c>', "٤٣٩٥٢.٥"),
        ('<c r="A2" t="b"><v>TRUE</v></c>', "True"),
    ],
)
def test_values_excel_never_writes_read_the_same_on_both_paths(tmp_path, row, text):
    path = handmade(tmp_path / "手写.xlsx", row)
    assert streamed(path)[1] == (2, [text])
    assert fast(path) in (None, streamed(path))
    assert read_rows(path)[1] == [(2, [text])]


def test_a_workbook_naming_its_calendar_twice_keeps_its_dates_on_the_streamed_path(tmp_path):
    path = handmade(
        tmp_path / "两个日历.xlsx", '<c r="A2" s="1"><v>43952</v></c>', properties='<workbookPr date1904="0"/><workbookPr date1904="1"/>'
    )
    assert_declined(path)
    assert streamed(path)[1] == (2, ["2020-05-01"])  # the first, as this reader has always read it


def test_shared_strings_calamine_would_not_read_keep_the_file_on_the_streamed_path(tmp_path):
    other = {"xl/ss2.xml": f"<sst {_NS}><si><t>h</t></si><si><t>B</t></si></sst>"}
    path = handmade(tmp_path / "别的共享字符串.xlsx", '<c r="A2" t="s"><v>1</v></c>', strings="ss2.xml", extra=other)
    assert_declined(path)
    assert streamed(path)[1] == (2, ["B"])


@pytest.mark.parametrize(
    ("value", "properties", "text"),
    [("2958465.99999999", "", "2958465.99999999"), ("2957100", '<workbookPr date1904="1"/>', "2957100")],
)
def test_a_date_past_9999_is_its_number_not_a_crash(tmp_path, value, properties, text):
    path = handmade(tmp_path / "远日期.xlsx", f'<c r="A2" s="1"><v>{value}</v></c>', properties=properties)
    assert read_rows(path)[1] == [(2, [text])]


def test_a_calamine_panic_is_a_decline_not_a_crash(tmp_path):
    path = handmade(tmp_path / "负无穷.xlsx", '<c r="A2" s="1"><v>-inf</v></c>')
    assert_declined(path)
    assert read_rows(path)[1] == [(2, ["-inf"])]


@pytest.mark.parametrize("target", ["./worksheets/sheet1.xml", "worksheets/../worksheets/sheet1.xml", "worksheets//sheet1.xml"])
def test_a_sheet_calamine_would_open_apart_from_the_scanned_one_is_streamed(tmp_path, target):
    """calamine opens the target as written; a far cell in that other part must never reach it."""
    far = f'<worksheet {_NS}><sheetData><row r="30000"><c r="ALL30000"><v>7</v></c></row></sheetData></worksheet>'
    literal = posixpath.join("xl", target)
    path = handmade(tmp_path / "两个表.xlsx", '<c r="A2"><v>1</v></c>', sheet=target, extra={literal: far})
    assert_declined(path)
    assert read_rows(path)[1] == [(2, ["1"])]


def test_a_built_in_date_format_redefined_keeps_its_dates_on_the_streamed_path(tmp_path):
    styles = (
        f'<styleSheet {_NS}><numFmts count="1"><numFmt numFmtId="14" formatCode="0.00"/></numFmts><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
    )
    path = handmade(tmp_path / "改格式.xlsx", '<c r="A2" s="1"><v>43952</v></c>', extra={"xl/styles.xml": styles})
    assert fast(path) in (None, streamed(path))
