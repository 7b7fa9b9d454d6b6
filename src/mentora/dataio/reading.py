"""Turn an uploaded spreadsheet into rows of text, as spreadsheets really export them.

CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), otherwise Windows-1252;
comma, semicolon or tab delimited; CRLF or LF; quoted cells with newlines. XLSX: the first sheet,
read with openpyxl. Row numbers are the spreadsheet's: the header is row 1.
"""

import csv
import datetime
import io
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
XLSX_MAGIC = b"PK\x03\x04"


class FileProblem(ValueError):
    """The file as a whole cannot be read (wrong type, empty, too large, no header)."""


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    encoding: str


def read_table(filename: str, content: bytes) -> Sheet:
    if len(content) > MAX_BYTES:
        raise FileProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not content.strip():
        raise FileProblem("The file is empty.")
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not content.startswith(XLSX_MAGIC):
            raise FileProblem("The file is named .xlsx but is not an Excel workbook.")
        return _read_xlsx(content)
    if name.endswith((".csv", ".txt", ".tsv")):
        if content.startswith(XLSX_MAGIC):
            raise FileProblem("The file is an Excel workbook named like a CSV file; name it .xlsx.")
        return _read_csv(content)
    raise FileProblem("Upload a .csv or .xlsx file.")


def decode(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8"), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    if b"\x00" in content:
        raise FileProblem("The file is not a text file (it contains NUL bytes).")
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows; cp1252 leaves five bytes undefined, latin-1 takes those.
        try:
            return content.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            return content.decode("latin-1"), "latin-1"


def _read_csv(content: bytes) -> Sheet:
    text, encoding = decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > MAX_ROWS + 1:
                raise FileProblem(f"The file has more than {MAX_ROWS:,} rows; split it.")
    except csv.Error as error:
        raise FileProblem(f"The CSV file is malformed near row {len(records) + 1}: {error}.") from None
    return _sheet(records, encoding)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(content: bytes) -> Sheet:
    from openpyxl import load_workbook  # lazily: only when an .xlsx file is read (most are CSV)

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise FileProblem("The Excel workbook cannot be opened; save it again as .xlsx.") from None
    try:
        sheet = workbook.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            records.append([_cell_text(value) for value in values])
            if len(records) > MAX_ROWS + 1:
                raise FileProblem(f"The file has more than {MAX_ROWS:,} rows; split it.")
    finally:
        workbook.close()
    return _sheet(records, "xlsx")


def _sheet(records: list[list[str]], encoding: str) -> Sheet:
    numbered = [(number, record) for number, record in enumerate(records, start=1)
                if any(cell.strip() for cell in record)]
    if not numbered:
        raise FileProblem("The file has no rows.")
    header_number, header = numbered[0]
    header = [cell.strip() for cell in header]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise FileProblem("The first row must name the columns.")
    seen = set()
    for name in header:
        if name and name.lower() in seen:
            raise FileProblem(f"The column “{name}” appears twice in the header row.")
        seen.add(name.lower())
    return Sheet(header=header, rows=numbered[1:], encoding=encoding)
