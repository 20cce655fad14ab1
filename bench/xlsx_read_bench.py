"""Reading an xlsx registry file: our reader (sanxin.imports.readers.read_rows, streamed, bounded) beside openpyxl's
read-only parse of the same file, same rows.

python bench/xlsx_read_bench.py --rows 200000            # 成立日期 as text
python bench/xlsx_read_bench.py --rows 200000 --dates    # 成立日期 as Excel keeps a typed date: a number in a date format
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANXIN_DEBUG", "1")
os.environ.setdefault("SANXIN_MASTER_KEY", "ab" * 32)


def generate(path: Path, rows: int, dates: bool = False) -> None:
    import xlsxwriter
    from stdnum.cn import uscc

    from sanxin.orgs.importing import COLUMNS

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [c.header for c in COLUMNS])
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(rows):
        body = f"9136{i:013d}"
        employees = 1 + i % 400
        values = [body + uscc.calc_check_digit(body), f"江西测试{i}号有限公司", "私营企业", "快递", "360102002001"]
        values += [f"测试路 {i} 号", "王建华", employees, i % 3, 0, "2020-05-01", "存续", ""]
        sheet.write_row(i + 1, 0, values)
        if dates:
            sheet.write_number(i + 1, 10, 36526 + i % 9000, day)  # 2000-01-01 on
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--dates", action="store_true", help="成立日期 as a number in a date format")
    args = parser.parse_args()
    import django

    django.setup()
    from unittest import mock

    from openpyxl import load_workbook

    from sanxin.imports import readers
    from sanxin.imports.readers import read_rows

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "organizations.xlsx"
        generate(path, args.rows, args.dates)
        print(f"生成 {args.rows:,} 行 xlsx：{path.stat().st_size / 1e6:.0f} MB")
        started = time.perf_counter()
        _, body = read_rows(path)
        ours = time.perf_counter() - started
        assert len(body) == args.rows
        print(f"本平台读取：{ours:.1f} 秒，{args.rows / ours:,.0f} 行/秒")
        started = time.perf_counter()
        with mock.patch.object(readers, "_calamine_rows", return_value=None):
            _, streamed = read_rows(path)
        alone = time.perf_counter() - started
        assert streamed == body, "the fast path and the streamed reader disagree"
        print(f"本平台只用流式读取（不走快速路径）：{alone:.1f} 秒，{args.rows / alone:,.0f} 行/秒；结果逐格相同")
        started = time.perf_counter()
        book = load_workbook(path, read_only=True)
        count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
        book.close()
        peer = time.perf_counter() - started
        assert count == args.rows
        print(f"openpyxl 只读解析：{peer:.1f} 秒，{args.rows / peer:,.0f} 行/秒；本平台为其 {peer / ours:.1f} 倍")


if __name__ == "__main__":
    main()
