"""The error sheet of a refused upload: the original header and the rows with problems, each with its
spreadsheet row and what is wrong, as CSV (UTF-8 with BOM) or XLSX, for fixing the file in Excel."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence

import xlsxwriter

from service.batches.problems import RowProblem
from service.batches.reading import Table
from service.batches.writing import WARNING_SEPARATOR, safe_cell

COLUMNS = ("flrisk_row", "flrisk_errors")


def sheet_rows(table: Table, problems: Sequence[RowProblem]) -> list[list[str]]:
    """[original cells..., row number, problems] for every row with a problem, in file order."""
    by_index: dict[int, list[RowProblem]] = defaultdict(list)
    for problem in problems:
        by_index[problem.index].append(problem)
    return [[*table.rows[i], str(found[0].row),
             WARNING_SEPARATOR.join(f"{p.column}: {p.message}" for p in found)]
            for i, found in sorted(by_index.items())]


def problem_csv(table: Table, problems: Sequence[RowProblem]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in [*table.headers, *COLUMNS]])
    writer.writerows([safe_cell(cell) for cell in row] for row in sheet_rows(table, problems))
    return "\ufeff".encode() + buffer.getvalue().encode()


def problem_xlsx(table: Table, problems: Sequence[RowProblem]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("rows to fix")
    bold = workbook.add_format({"bold": True})
    for column, header in enumerate([*table.headers, *COLUMNS]):
        sheet.write_string(0, column, header, bold)
    rows = sheet_rows(table, problems)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if column == len(table.headers):
                sheet.write_number(number, column, int(value))
            elif value:
                sheet.write_string(number, column, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(table.headers) + len(COLUMNS) - 1)
    workbook.close()
    return out.getvalue()
