"""Opening source files as people download them: zips, folders, gzip, and text that must be UTF-8.

Every reader raises `SourceError(where, message)` with a location a person can find in the
file (member of a zip, line number), so importers can report it without guessing.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
CUT_SHORT = (
    "the last line does not end with a line break, so the file was probably cut short while downloading. "
    "Download it again (if you made the file yourself, end its last line with a line break)."
)


class SourceError(Exception):
    """The file cannot be read; `where` says which file (and line) and `message` what is wrong."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class TextSource:
    """One text file's content with the name a person would recognise (zip member or path)."""

    name: str
    text: str


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); other encodings are refused with the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"{name}, line {line}",
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Save it as UTF-8 (in Excel: CSV UTF-8) and import it again.",
        ) from None


def read_bytes(path: Path) -> bytes:
    """The file's bytes, un-gzipped when it ends in .gz."""
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                return fh.read()
        return path.read_bytes()
    except (EOFError, OSError, zlib.error) as exc:
        raise SourceError(
            str(path), f"the compressed file is damaged or incomplete ({exc}). Download it again."
        ) from None


def read_text(path: Path) -> TextSource:
    return TextSource(str(path), decode_utf8(read_bytes(path), str(path)))


def read_json(path: Path) -> Any:
    """The JSON in a UTF-8 file; when it is not valid JSON the SourceError names the line."""
    text = read_text(path).text
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}, line {exc.lineno}", f"this is not valid JSON ({exc.msg}).") from None


def read_force_neighbourhoods(path: Path) -> dict[str, Any]:
    """A file shaped `{"force": "<police.uk force id>", "neighbourhoods": [...]}` (teams, events and priorities)."""
    data = read_json(path)
    if not isinstance(data, dict) or not data.get("force") or not isinstance(data.get("neighbourhoods"), list):
        raise SourceError(str(path), 'expected {"force": "<police.uk force id>", "neighbourhoods": [...]}.')
    return data


def open_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(
            str(path),
            f"this is not a complete zip file ({exc}); it may have been cut short while downloading. "
            "Download it again.",
        ) from None
    return archive


def read_zip_member(archive: zipfile.ZipFile, member: str, zip_name: str) -> bytes:
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise SourceError(
            f"{zip_name} → {member}", f"this part of the zip is damaged or incomplete ({exc}). Download it again."
        ) from None


def first_bad_csv_line(text: str, expected_columns: int, has_header: bool) -> tuple[int, str] | None:
    """The first line whose field count differs from the header's, for messages about truncated rows."""
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if row and len(row) != expected_columns:
                return reader.line_num, f"has {len(row)} fields, expected {expected_columns}"
    except csv.Error as exc:
        return reader.line_num, str(exc)
    return None


# -- Excel code lists (Code-Point Open ships Doc/Codelist.xlsx) --------------------------------------
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def xlsx_code_names(data: bytes, name: str) -> dict[str, str]:
    """Every (name, GSS code) pair found in the rows of an .xlsx workbook's sheets, as {code: name}.

    The Code-Point Open code list has one sheet per area type, each row "name, code"; reading
    every sheet for GSS-shaped cells keeps this independent of the sheet names, which change.
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t")) for si in root.findall("m:si", _NS)]
        found: dict[str, str] = {}
        for member in sorted(n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            root = ElementTree.fromstring(book.read(member))
            for row in root.iter(f"{{{_NS['m']}}}row"):
                values = []
                for cell in row.findall("m:c", _NS):
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        values.append("".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t")))
                        continue
                    v = cell.find("m:v", _NS)
                    text = v.text if v is not None and v.text else ""
                    values.append(shared[int(text)] if kind == "s" and text else text)
                codes = [v.strip() for v in values if GSS_CODE.match(v.strip())]
                names = [v.strip() for v in values if v.strip() and not GSS_CODE.match(v.strip())]
                if len(codes) == 1 and names:
                    found[codes[0]] = names[0]
        return found
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, IndexError) as exc:
        raise SourceError(name, f"the Excel code list cannot be read ({exc}).") from None


def write_xlsx(rows_by_sheet: dict[str, list[list[str]]]) -> bytes:
    """A minimal .xlsx (inline strings), for generated code lists in the demo and in tests."""
    buffer = io.BytesIO()
    sheets = list(rows_by_sheet)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + "</Types>",
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<workbook xmlns="{_NS["m"]}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{s}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1))
            + "</sheets></workbook>",
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + "</Relationships>",
        )
        for i, sheet in enumerate(sheets, 1):
            body = "".join(
                "<row>" + "".join(f'<c t="inlineStr"><is><t>{_xml_escape(v)}</t></is></c>' for v in row) + "</row>"
                for row in rows_by_sheet[sheet]
            )
            book.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS["m"]}">'
                f"<sheetData>{body}</sheetData></worksheet>",
            )
    return buffer.getvalue()


def _xml_escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
