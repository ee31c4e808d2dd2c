"""The report's tables as one xlsx workbook (the format the offices exchange): a 目录 sheet
with each section's title, policy basis, summary and notes, then a sheet per table. Fixed
document dates, so a re-run writes the same bytes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from yibao.exports.xlsx import FIXED_DATE, write_value

from .model import Section

_MAX_SHEET_NAME = 31  # Excel's limit


def _sheet_name(index: int, title: str, used: set[str]) -> str:
    name = f"{index}.{title}"[:_MAX_SHEET_NAME]
    for char in "[]:*?/\\":
        name = name.replace(char, "_")
    while name in used:
        name = f"{name[: _MAX_SHEET_NAME - 1]}_"
    used.add(name)
    return name


def write_workbook(path: Path, month: str, sections: Sequence[Section],
                   footer: Sequence[str]) -> int:  # fmt: skip
    """Write the workbook atomically; return the number of table sheets."""
    partial = path.with_name(f".{path.name}.partial")
    book = xlsxwriter.Workbook(str(partial))
    book.set_properties({"created": FIXED_DATE, "title": f"医保扶贫月度报告 {month}"})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    contents = book.add_worksheet("目录")
    contents.set_column(0, 0, 110, wrap)
    line = 0
    contents.write_string(line, 0, f"医保扶贫月度报告（{month}）", bold)
    used: set[str] = {"目录"}
    sheets = 0
    for section in sections:
        line += 2
        contents.write_string(line, 0, section.title, bold)
        for text in (f"政策依据：{section.policy}", section.summary, *section.notes):
            line += 1
            contents.write_string(line, 0, text, wrap)
        for table in section.tables:
            sheets += 1
            name = _sheet_name(sheets, table.title, used)
            line += 1
            contents.write_string(line, 0, f"表 {name}")
            sheet = book.add_worksheet(name)
            for column, header in enumerate(table.frame.columns):
                sheet.write_string(0, column, str(header), bold)
                sheet.set_column(column, column, max(10, 2 * len(str(header)) + 2))
            for row, record in enumerate(table.frame.itertuples(index=False), start=1):
                for column, value in enumerate(record):
                    write_value(sheet, row, column, value)
            sheet.freeze_panes(1, 0)
    for text in footer:
        line += 2
        contents.write_string(line, 0, text, wrap)
    book.close()
    os.replace(partial, path)
    return sheets
