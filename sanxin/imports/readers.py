"""Read an uploaded table (xlsx, or CSV in UTF-8 / GB18030 / UTF-16) into a header and rows of strings.

Every data row keeps its row number as the user sees it in Excel (the header's row counts, and so
do blank rows, which are skipped), so an error points at the right line.

The reading is bounded, whatever the file claims: only the first READ_COLUMNS columns are kept (the
templates have 12 or 13), at most MAX_ROWS data rows are read, and an xlsx sheet is streamed row by row.
A whole-sheet reader (python-calamine) allocates the sheet's full rectangle before returning a single
row: one stray cell at XFD1048576 asks it for 16,384 × 1,048,576 cells (512 GB) and the process aborts.
Every failure is an UnreadableFile with a Chinese message; no library text reaches the user.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import posixpath
import pyexpat
import re
import zipfile
from array import array
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

from sanxin.core.text import XLS

# Excel keeps 15 significant digits: a longer number (an 18-digit code typed into a number cell)
# has already lost its last digits. Show it as Excel does, so the check says what happened.
EXACT_DIGITS_LIMIT = 10**15

# A province's registry is 1 to 5 million organizations; a file with more rows is refused before it fills
# the memory (the 200 MB upload limit usually comes first: a real row takes about 150 bytes).
MAX_ROWS = 5_000_000
# The templates' columns and room for a few notes beside them; cells further right are not read.
READ_COLUMNS = 32
# A CSV cell may be long (the checks then say how long); one longer than the upload itself cannot be.
CSV_FIELD_LIMIT = 200 * 1024 * 1024
# What an xlsx part may unpack to: the sheet is streamed, the shared strings are held in memory.
MAX_SHEET_BYTES = 4 * 1024**3
MAX_STRINGS_BYTES = 1024**3
MAX_SMALL_PART_BYTES = 64 * 1024**2
PROGRESS_EVERY = 20_000  # rows


def too_many_rows(limit: int) -> str:
    return f"文件超过 {limit:,} 行，请拆分后上传"


NOT_XLSX = "文件不是有效的 xlsx 文件（可能已损坏或是改了扩展名的其他格式）"
OLE = "文件是加密的 Excel 文件或改了扩展名的 .xls 文件：请在 Excel 中取消打开密码，另存为 .xlsx 后再上传"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NumberedRow = tuple[int, list[str]]
Progress = Callable[[float], None] | None


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
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) >= EXACT_DIGITS_LIMIT:
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- CSV ----------------------------------------------------------------------------------------------


def decode_csv(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile("CSV 文件的 UTF-16 编码有误（文件可能不完整），请重新导出后上传") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # GB18030 has a byte-order mark of its own, which decodes to U+FEFF.
            return raw.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("CSV 文件既不是 UTF-8 也不是 GB18030 编码，请另存为“CSV UTF-8”后再上传")


def _csv_rows(path: Path, columns: int, progress: Progress) -> Iterator[NumberedRow]:
    raw = path.read_bytes()
    if raw.startswith(OLE_MAGIC) or raw.startswith(b"PK\x03\x04"):
        raise UnreadableFile("文件内容是 Excel 文件而不是 CSV：请把扩展名改为 .xlsx，或在 Excel 中另存为 CSV")
    text = decode_csv(raw)
    del raw
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    buffer = io.StringIO(text)
    size = max(len(text), 1)
    del text
    limit = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_LIMIT)
    number = 0
    try:
        for number, row in enumerate(csv.reader(buffer, delimiter=delimiter), start=1):
            if progress and number % PROGRESS_EVERY == 0:
                progress(buffer.tell() / size)
            cells = [cell.strip() for cell in row[:columns]]
            if any(cells):
                yield number, cells
    except csv.Error as exc:
        raise UnreadableFile(f"CSV 文件第 {number + 1} 行无法读取（引号不配对或格式有误），请检查后重新导出") from exc
    finally:
        csv.field_size_limit(limit)


# --- xlsx ---------------------------------------------------------------------------------------------

EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 in Excel's 1900 calendar, as counted from serial 61 on
FIRST_SHARED_DAY = date(1900, 3, 1)  # serial 61: before it Excel's (and calamine's) calendar has a 29 February 1900
# Built-in number formats that show a date (including the Chinese ones, 27–36 and 50–58).
DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
# XML_SAFETY: expat (directly, and under ElementTree) never fetches external entities or DTDs, and the expat it runs on (2.4.1 and later)
# refuses billion-laughs and quadratic entity blow-ups; what a part may unpack to is bounded above.
RELATIONSHIP_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _is_date_format(code: str) -> bool:
    cleaned = _FORMAT_NOISE.sub("", code).lower()
    return cleaned != "general" and any(ch in cleaned for ch in "dmyhs")


class _Workbook:
    def __init__(self, path: Path):
        with path.open("rb") as handle:
            if handle.read(8) == OLE_MAGIC:
                raise UnreadableFile(XLS if path.suffix.lower() == ".xls" else OLE)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise UnreadableFile(NOT_XLSX) from None
        names = set(self.zip.namelist())
        book = self._relationship_targets("_rels/.rels", "").get("officeDocument", [None])[0] or "xl/workbook.xml"
        if book not in names:
            raise UnreadableFile(NOT_XLSX)
        folder = posixpath.dirname(book)
        targets = self._relationship_targets(f"{folder}/_rels/{posixpath.basename(book)}.rels", folder)
        workbook = self._parse(book)
        first = next((el for el in workbook.iter() if _local(el.tag) == "sheet"), None)
        if first is None:
            raise UnreadableFile("xlsx 文件中没有工作表")
        relation = next((first.get(f"{{{ns}}}id") for ns in RELATIONSHIP_NAMESPACES if first.get(f"{{{ns}}}id")), None)
        self.sheet = targets.get("id:" + (relation or ""), [None])[0]
        self.sheet_name = first.get("name", "")
        if self.sheet not in names:
            raise UnreadableFile("第一个工作表不是普通的数据表（可能是图表），请把数据放在第一个工作表中")
        found = [el for el in workbook.iter() if _local(el.tag) == "workbookPr"]
        properties = found[0] if found else None
        self.calendar_certain = len(found) <= 1  # (calamine reads the last of several, this reader the first)
        self.epoch = date(1904, 1, 1) if properties is not None and properties.get("date1904") in ("1", "true") else EXCEL_EPOCH
        self.strings_part = next(iter(targets.get("sharedStrings", [])), None)
        self.date_styles = self._date_styles(next(iter(targets.get("styles", [])), None))

    def _info(self, name: str, limit: int) -> zipfile.ZipInfo:
        info = self.zip.getinfo(name)
        if info.file_size > limit:
            raise UnreadableFile(f"xlsx 文件解压后过大（超过 {limit // 1024**2:,} MB），请拆分后上传")
        return info

    def _parse(self, name: str) -> ElementTree.Element:
        with self.zip.open(self._info(name, MAX_SMALL_PART_BYTES)) as handle:
            return ElementTree.parse(handle).getroot()  # noqa: S314 (see XML_SAFETY)

    def _relationship_targets(self, rels: str, folder: str) -> dict[str, list[str]]:
        """Relationship type (its last word) → targets, and "id:<rId>" → [target], as paths inside the zip."""
        if rels not in self.zip.namelist():
            return {}
        found: dict[str, list[str]] = {}
        for relation in self._parse(rels):
            target = relation.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.setdefault(relation.get("Type", "").rpartition("/")[2], []).append(path)
            found["id:" + relation.get("Id", "")] = [path]
        return found

    @functools.cached_property
    def strings(self) -> list[str]:
        """The shared strings, read when the streamed path first needs them (the fast path leaves them to calamine)."""
        name = self.strings_part
        if name is None or name not in self.zip.namelist():
            return []
        strings: list[str] = []
        with self.zip.open(self._info(name, MAX_STRINGS_BYTES)) as handle:
            items = _StringItems(strings)
            for _ in _stream(handle, items.start, items.end, items.text):
                pass
        return strings

    def _date_styles(self, name: str | None) -> set[str]:
        """The indexes of the cell styles (cellXfs) whose number format shows a date."""
        if name is None or name not in self.zip.namelist():
            return set()
        styles = self._parse(name)
        custom = {}
        for element in styles.iter():
            if _local(element.tag) == "numFmt" and (element.get("numFmtId") or "").isdigit():
                custom[int(element.get("numFmtId"))] = element.get("formatCode", "")
        cell_formats = next((el for el in styles if _local(el.tag) == "cellXfs"), [])
        dated = set()
        for index, xf in enumerate(el for el in cell_formats if _local(el.tag) == "xf"):
            number_format = int(xf.get("numFmtId", "0")) if (xf.get("numFmtId") or "0").isdigit() else 0
            if (number_format in custom and _is_date_format(custom[number_format])) or number_format in DATE_FORMAT_IDS:
                dated.add(str(index))  # as the cells' s attribute says it
        return dated

    def rows(self, columns: int, progress: Progress) -> Iterator[NumberedRow]:
        info = self._info(self.sheet, MAX_SHEET_BYTES)
        with self.zip.open(info) as handle:
            ready: list[NumberedRow] = []
            seen = reported = 0
            for done in _stream(handle, *_sheet_rows(columns, self._value, ready)):
                seen += len(ready)
                yield from (row for row in ready if row[1])
                ready.clear()
                if progress and seen >= reported + PROGRESS_EVERY:
                    reported = seen
                    progress(done / max(info.file_size, 1))

    def _value(self, kind: str | None, style: str | None, raw: str) -> str:
        """A cell's text as the reader gives it (see _text): `kind` is its t attribute, `raw` its <v> or inline text."""
        if kind == "s":  # the shared strings are stripped as they are read
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                return ""
        if kind in ("inlineStr", "str", "e"):
            return _unescape(raw).strip()
        if kind == "b":
            return str(raw.strip().lower() in ("1", "true"))
        if kind == "d":
            try:
                return _text(datetime.fromisoformat(raw.strip()))
            except ValueError:
                return raw.strip()
        if raw.isdigit() and len(raw) < 16 and raw[0] != "0" and style not in self.date_styles:
            return raw  # a whole number Excel holds exactly: as _text would write it, without the float
        if not raw.isascii() or "_" in raw:
            return raw.strip()  # digits Excel never writes (１２, ٤٣, 1_000), which float() would take: as written
        try:
            number = float(raw)
        except ValueError:
            return raw.strip()
        if style and style in self.date_styles and math.isfinite(number) and 0 <= number < 2958466:
            try:
                return _text(self._date(number))
            except OverflowError:  # past 9999-12-31 (a 1904 calendar, or a serial rounded up): the number
                pass
        return _text(number)

    def _date(self, serial: float) -> datetime:
        if self.epoch.year == 1899 and serial < 61:
            serial += 1  # Excel's 1900 calendar has a 29 February 1900; serials before it are one day early
        moment = datetime.combine(self.epoch, datetime.min.time()) + timedelta(days=serial)
        return moment.replace(microsecond=0) if moment.microsecond < 500_000 else moment.replace(microsecond=0) + timedelta(seconds=1)


def _stream(handle, start, end, text) -> Iterator[int]:
    """Feed an XML part to expat in 1 MB pieces; yields the bytes read so far after each piece."""
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    done = 0
    while True:
        piece = handle.read(1 << 20)
        done += len(piece)
        parser.Parse(piece, not piece)
        yield done
        if not piece:
            return


_LOCAL_NAMES: dict[str, str] = {}
# Excel writes a character XML cannot hold (a control character) as _xHHHH_, and a literal "_x" as _x005F_x.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _local_name(name: str) -> str:
    """The element's name without its prefix (x:c → c): a sheet may be written with or without one."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = _LOCAL_NAMES[name] = name.rpartition(":")[2]
    return local


class _StringItems:
    """The shared-strings part: each <si>'s text (its <t>, or its rich-text runs' <t>; never a phonetic guide)."""

    def __init__(self, strings: list[str]):
        self.strings, self.parts, self.collect, self.phonetic = strings, [], False, False

    def start(self, name, attributes):
        local = _local_name(name)
        if local == "t":
            self.collect = not self.phonetic
        elif local == "si":
            self.parts = []
        elif local == "rPh":
            self.phonetic = True

    def end(self, name):
        local = _local_name(name)
        if local == "t":
            self.collect = False
        elif local == "si":
            self.strings.append(_unescape("".join(self.parts)).strip())
        elif local == "rPh":
            self.phonetic = False

    def text(self, data):
        if self.collect:
            self.parts.append(data)


def _sheet_rows(columns: int, value: Callable[[str | None, str | None, str], str], ready: list[NumberedRow]):
    """Handlers for the sheet part, row by row: only the first `columns` cells of a row are kept; each finished
    row is appended to `ready` (blank ones too, for counting). Closures over locals, not methods: they run for
    every element of the sheet."""
    names = _LOCAL_NAMES
    index = COLUMN_INDEX
    number = 0
    cells: list[str] = []
    position = -1
    kind = style = None
    parts: list[str] = []
    collect = phonetic = False

    def start(name, attributes):
        nonlocal number, cells, position, kind, style, collect, phonetic
        local = names.get(name) or _local_name(name)
        if local == "c":
            reference = attributes.get("r")
            letters = reference.rstrip("0123456789") if reference else ""
            position = index.get(letters, READ_COLUMNS_MAX) if letters else position + 1
            kind = attributes.get("t")
            style = attributes.get("s")
            parts.clear()
        elif local == "v" or local == "t":
            collect = not phonetic
        elif local == "row":
            given = attributes.get("r")
            number = int(given) if given and given.isdigit() else number + 1
            cells = [""] * columns
            position = -1
        elif local == "rPh":
            phonetic = True

    def end(name):
        nonlocal collect, phonetic
        local = names.get(name) or _local_name(name)
        if local == "c":
            if position < columns:
                cells[position] = value(kind, style, "".join(parts))
        elif local == "v" or local == "t":
            collect = False
        elif local == "row":
            while cells and not cells[-1]:
                cells.pop()
            ready.append((number, cells))
        elif local == "rPh":
            phonetic = False

    def text(data):
        if collect:
            parts.append(data)

    return start, end, text


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


READ_COLUMNS_MAX = 1024  # any column the reader can be asked for is left of this
COLUMN_INDEX = {name: i for i in range(READ_COLUMNS_MAX) for name in (_column_name(i), _column_name(i).lower())}


# --- xlsx, fast path ----------------------------------------------------------------------------------
# python-calamine reads a sheet several times faster than the streamed path, but it allocates the sheet's whole
# rectangle first. It is given a sheet only when a scan of the sheet's XML (stream-decompressed, a bytes regex, no
# trust in <dimension>) proves the rectangle small, and only when every cell is of a kind whose value it gives
# exactly as the streamed path does; anything else (times and date-times, Excel's _xHHHH_ escapes, rich text,
# entities, prefixed or unnumbered cells, rows out of order) is read by the streamed path, which has the Chinese
# messages. A date is taken only where both readers agree, cell by cell, that the cell holds one: the scan lists
# the numeric cells whose style shows a date, and calamine must give a whole day (from 1900-03-01) there and
# nowhere else.

# Each cell's and row's start tag, with its r attribute when it comes first (as every writer puts it).
_CELL_OR_ROW = re.compile(rb'<(c|row)[\s>/](?:r="([A-Z]*)(\d+)")?')
_CELL_END = b"</c>"
# What the fast path does not take: markup declarations and CDATA, entity and character references, Excel's _xHHHH_
# escapes, carriage returns (expat folds them), phonetic and rich-text runs, ISO-date and error cells, prefixed elements.
# Each is looked for only when a byte it needs is there: a search for one rare byte runs at memory speed.
_UNSAFE_BYTES = ((b"!", b"<!"), (b"&", b"&"), (b"_", b"_x"), (b"\r", b"\r"), (b"P", b"rPh"))
# A rich-text run; an ISO-date or error cell (two patterns: each is searched for from its literal start, fast).
_UNSAFE_TAGS = (
    re.compile(rb"<r[> ]"),
    re.compile(rb"""t\s*=\s*["'][de]["']"""),  # (t='d', t = "e" as well)
    # A second value in one cell (the streamed path joins them), or a formula after the value (and a value after it).
    re.compile(rb"</v>\s*<(?:v|is|f)[\s>/]"),
    re.compile(rb"</is>\s*<(?:v|is)[\s>]"),
    re.compile(rb"<v>[^<]*<(?!/v>)"),  # an element or instruction inside a value: the streamed path joins its text
)
# An inline string cell and its <is>: every <is> must follow one, and each one be followed by its <is> (the readers
# disagree on an <is> in a cell of another kind and on an inline string cell kept as <v>).
_INLINE_KIND = b't="inlineStr"'
_INLINE_STRING = re.compile(rb't="inlineStr"[^>]*?(/>|>\s*<is>)')
_QUOTE_IN_TAG = re.compile(rb"<[^>]*'")  # a value in single quotes may hold what the checks look for
_PREFIXED = re.compile(rb"</?[^\s>/:]+:")  # any prefix, not only \w (x.y:c, é:c hide a cell from the scan)
_CALAMINE_TYPES = frozenset((str, float, int, bool))
_TEXT_ONLY = {str}
CALAMINE_STRINGS = "xl/sharedStrings.xml"
_DATA_END = re.compile(rb"</sheetData\s*>|<sheetData\s*/>")
SCAN_PIECE = 1 << 20  # bytes of the unpacked sheet scanned at a time
SPARSE_SLACK = 1024  # rows of gaps the fast path accepts beyond as many gaps as rows


def _inline_strings_whole(block: bytes) -> bool:
    kinds, starts = block.count(_INLINE_KIND), block.count(b"<is>")
    if block.count(b"inlineStr") != kinds or block.count(b"<is") != starts:
        return False  # the kind written otherwise (t='inlineStr', in another attribute's value), or <is > counted apart
    found = _INLINE_STRING.findall(block)  # each inline string cell: empty (openpyxl's "", no <is>) or with its <is>
    return len(found) == kinds and len(found) - found.count(b"/>") == starts


def _unsafe(block: bytes) -> bool:
    return (
        any(needed in block and marker in block for needed, marker in _UNSAFE_BYTES)
        or any(tag.search(block) is not None for tag in _UNSAFE_TAGS)
        or ((b"<is" in block or b"inlineStr" in block) and not _inline_strings_whole(block))
        or (b"'" in block and _QUOTE_IN_TAG.search(block) is not None)
        or b"<v></v>" in block
        or (b":" in block and _PREFIXED.search(block) is not None)
    )


class _DateStyled:
    """The sheet's cells in a date style (`styles`, as the streamed path reads the styles). Each must be written as
    Excel, WPS, openpyxl and xlsxwriter write it (r, s, then t): a cell written otherwise could hide a date from
    the list, so its piece is not `plain`. `numbers` finds the numeric ones with a value: the dated cells."""

    def __init__(self, styles: set[str]):
        alternatives = b"|".join(re.escape(style.encode()) for style in sorted(styles))
        style = rb'\ss="(?:' + alternatives + rb')"'
        formula = rb"(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?"  # a formula's cached value is its value
        self.any = re.compile(style)  # (searched for from a space, fast, unless a newline or tab may stand before it)
        self.spaced = re.compile(rb' s="(?:' + alternatives + rb')"')
        self.rows = re.compile(rb"<row\b[^>]*" + style)
        self.written = re.compile(rb'<c r="[A-Z]+\d+" s="(?:' + alternatives + rb')"(?: t="(?:s|str|inlineStr|b|n)")?\s*/?>')
        self.numbers = re.compile(rb'<c r="([A-Z]+)(\d+)" s="(?:' + alternatives + rb')"(?: t="n")?>\s*' + formula + rb"\s*<v>")

    def plain(self, block: bytes) -> bool:
        styled = len((self.any if b"\n" in block or b"\t" in block else self.spaced).findall(block))
        if styled and b"customFormat" in block:  # a row's own style
            styled -= len(self.rows.findall(block))
        return styled == len(self.written.findall(block))


def _sheet_extent(workbook: _Workbook, columns: int) -> tuple[int, array] | None:
    """The sheet's last row and its dated cells (row × READ_COLUMNS_MAX + column, in sheet order) if the fast path
    may read it, else None: every cell and row numbered, each cell in its own row and right of the one before, rows
    in order, no cell right of `columns` or below the row limit, not mostly gaps, nothing _unsafe, in this sheet or
    its shared strings. <dimension> is not trusted."""
    names = workbook.zip.namelist()
    if any(posixpath.normpath(name) != name or "\\" in name for name in names):
        return None  # calamine opens a relationship's target as written (xl/./worksheets/…): another part than ours
    if (workbook.strings_part or CALAMINE_STRINGS) != CALAMINE_STRINGS and CALAMINE_STRINGS in names:
        return None  # calamine reads xl/sharedStrings.xml whatever the workbook's relationship names
    if workbook.strings_part in names and not _safe_part(workbook, workbook.strings_part, MAX_STRINGS_BYTES):
        return None
    date_styled, dated = (_DateStyled(workbook.date_styles) if workbook.date_styles else None), array("q")
    ended = False  # past </sheetData>: calamine reads no further, the streamed path does
    info = workbook._info(workbook.sheet, MAX_SHEET_BYTES)
    row = b""
    last_row = rows = 0
    column = -1
    places = {_column_name(i).encode(): i for i in range(columns)}
    carry = b""
    first = True
    declaration = 0  # where the first piece's XML declaration ends
    with workbook.zip.open(info) as handle:
        while True:
            piece = handle.read(SCAN_PIECE)
            if first and not piece.removeprefix(b"\xef\xbb\xbf").startswith(b"<"):
                return None  # not UTF-8
            if first and piece.removeprefix(b"\xef\xbb\xbf").startswith(b"<?xml"):
                declaration = piece.find(b"?>") + 2
            first = False
            block = carry + piece
            if piece:  # whole cells (else whole tags) only: the rest waits for the next piece
                end, start = block.rfind(_CELL_END), block.rfind(b"<c")
                cut = end + len(_CELL_END) if end >= 0 else start if start >= 0 else block.rfind(b">") + 1
                block, carry = block[:cut], block[cut:]
            else:
                carry = block[block.rfind(b">") + 1 :]  # what follows the last tag: must be blank
            if _unsafe(block) or block.find(b"<?", declaration) >= 0:
                return None  # (an instruction after the XML declaration: the streamed path reads around it)
            declaration = 0
            if ended and _CELL_OR_ROW.search(block):
                return None
            if b"sheetData" in block and (end_of_data := _DATA_END.search(block)):
                ended = True
                if _CELL_OR_ROW.search(block, end_of_data.start()):
                    return None
            for kind, letters, number in _CELL_OR_ROW.findall(block):
                if not number:
                    return None  # a cell or row without its r attribute (or not first)
                if kind == b"row":
                    if int(number) <= last_row:
                        return None
                    row, last_row, column = number, int(number), -1
                    rows += 1
                elif number != row or places.get(letters, -1) <= column:
                    return None  # a cell outside its row, left of the one before, or right of the columns read
                else:
                    column = places[letters]
            if last_row > MAX_ROWS + 1:
                return None
            if date_styled is not None:  # the cells checked above: each in its row, within the columns read
                if not date_styled.plain(block):
                    return None
                for letters, number in date_styled.numbers.findall(block):  # numbers only (a text keeps its text)
                    dated.append(int(number) * READ_COLUMNS_MAX + places[letters])
            if not piece:
                # calamine fills every row up to the last: a sheet mostly of gaps (one far row) is streamed
                return (last_row, dated) if not carry.strip() and last_row <= 2 * rows + SPARSE_SLACK else None


def _safe_part(workbook: _Workbook, name: str, limit: int) -> bool:
    carry = b""
    with workbook.zip.open(workbook._info(name, limit)) as handle:
        first = True
        while piece := handle.read(1 << 20):
            if first and not piece.removeprefix(b"\xef\xbb\xbf").startswith(b"<"):
                return False  # not UTF-8
            first = False
            block = carry + piece
            if _unsafe(block):
                return False
            carry = block[-256:]
    return True


def _calamine_rows(workbook: _Workbook, path: Path, columns: int) -> list[NumberedRow] | None:
    """The rows as the streamed path gives them, read by calamine, or None when the fast path may not take the file."""
    extent = _sheet_extent(workbook, columns)
    if extent is None or (extent[1] and (workbook.epoch != EXCEL_EPOCH or not workbook.calendar_certain)):
        return None  # (a 1904 workbook's dates, or one that names its calendar twice, are left to the streamed path)
    from python_calamine import CalamineWorkbook

    rows: list[NumberedRow] = []
    text = _text
    dated = iter(extent[1])
    next_dated = next(dated, None)
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            sheet = book.get_sheet_by_name(workbook.sheet_name)
            # iter_rows gives the rows from row 1 but the columns from the range's first column: both are checked
            (_, left), (bottom, right) = sheet.start or (0, 0), sheet.end or (-1, -1)
            pad = [""] * left
            width = right - left + 1
            number = 0
            for number, row in enumerate(sheet.iter_rows(), start=1):  # a row at a time: no second copy
                while next_dated is not None and next_dated // READ_COLUMNS_MAX == number:
                    column = next_dated % READ_COLUMNS_MAX - left
                    day = row[column] if 0 <= column < len(row) else None
                    if type(day) is not date or day < FIRST_SHARED_DAY:
                        return None  # calamine did not read a date here, or one the two calendars tell apart
                    row[column] = day.isoformat()
                    next_dated = next(dated, None)
                kinds = set(map(type, row))
                if len(row) != width or not kinds <= _CALAMINE_TYPES:
                    return None  # or a date, time or duration where the styles as the streamed path reads them show none
                if kinds == _TEXT_ONLY:
                    cells = pad + list(map(str.strip, row))
                else:
                    cells = pad + [value.strip() if type(value) is str else text(value) for value in row]
                del cells[columns:]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append((number, cells))
            if number != bottom + 1 or next_dated is not None:
                return None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # anything calamine cannot read (a Rust panic too) is read, and reported, by the streamed path
        return None
    return rows


def _xlsx_rows(path: Path, columns: int, progress: Progress) -> Iterator[NumberedRow]:
    workbook = _Workbook(path)
    try:
        fast = _calamine_rows(workbook, path, columns) if columns <= READ_COLUMNS else None
        if fast is not None:
            if progress:
                progress(1.0)
            yield from fast
            return
        yield from workbook.rows(columns, progress)
    finally:
        workbook.zip.close()


# --- Both ---------------------------------------------------------------------------------------------


def read_rows(
    path: Path, filename: str = "", *, columns: int = READ_COLUMNS, max_rows: int | None = None, progress: Progress = None
) -> tuple[list[str], list[NumberedRow]]:
    """The header (the first non-blank row) and every non-blank row after it with its row number.

    `progress`, if given, is called with the share of the file read so far (0–1) every few thousand rows.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    name = (filename or path.name).lower()
    if name.endswith(".csv"):
        rows = _csv_rows(path, columns, progress)
    elif name.endswith(".xls"):
        raise UnreadableFile(XLS)
    elif name.endswith((".xlsx", ".xlsm")):
        rows = _bounded_xlsx(path, columns, progress)
    else:
        raise UnreadableFile("只支持 .xlsx 或 .csv 文件")
    header: list[str] | None = None
    body: list[NumberedRow] = []
    for number, cells in rows:
        if header is None:
            header = cells
        elif len(body) >= max_rows:
            raise UnreadableFile(too_many_rows(max_rows))
        else:
            body.append((number, cells))
    if header is None:
        raise UnreadableFile("文件是空的")
    while header and not header[-1]:
        header.pop()
    if any(later < earlier for (earlier, _), (later, _) in pairwise(body)):
        body.sort(key=lambda item: item[0])  # a sheet written out of order: rows as Excel shows them
    return header, body


def _bounded_xlsx(path: Path, columns: int, progress: Progress) -> Iterator[NumberedRow]:
    try:
        yield from _xlsx_rows(path, columns, progress)
    except UnreadableFile:
        raise
    except (pyexpat.ExpatError, ElementTree.ParseError, zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, IndexError):
        raise UnreadableFile(NOT_XLSX) from None


def read_table(path: Path, filename: str = "") -> tuple[list[str], list[list[str]]]:
    """The header and the non-blank rows without their numbers (for callers that do not report rows)."""
    header, body = read_rows(path, filename)
    return header, [cells for _, cells in body]
