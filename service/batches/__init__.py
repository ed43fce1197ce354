"""Supplier-list uploads, the file layer: decode, read, map and write spreadsheets.

Pure of HTTP and storage: the API and the job runner call `read_table`, `auto_mapping`/`parse_mapping`,
`validate`, `upload_rows`, and stream results back with `csv_stream`, `json_stream` or `xlsx_bytes_stream`.
Every refusal is an `UploadError` naming the file row and column a spreadsheet user would look at.
"""

from service.batches.encoding import detect_encoding
from service.batches.errors import UploadError
from service.batches.mapping import FIELDS, Mapping, UploadRow, auto_mapping, parse_mapping, upload_rows, validate
from service.batches.reading import Table, read_table
from service.batches.writing import RESULT_COLUMNS, ResultRow, csv_stream, json_stream, xlsx_bytes_stream

__all__ = [
    "FIELDS",
    "RESULT_COLUMNS",
    "Mapping",
    "ResultRow",
    "Table",
    "UploadError",
    "UploadRow",
    "auto_mapping",
    "csv_stream",
    "detect_encoding",
    "json_stream",
    "parse_mapping",
    "read_table",
    "upload_rows",
    "validate",
    "xlsx_bytes_stream",
]
