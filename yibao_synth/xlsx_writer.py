"""Fast, deterministic writer of the poverty-office roster workbook (建档立卡贫困人口花名册).

Layout (see ``shared/domain/SOURCE_CONTRACTS.md`` section 1), all on the first sheet:

* row 1: the title, merged across all columns;
* row 2: the export time (``导出时间：...``), merged across all columns;
* rows 3-4: a two-level header: a group label (e.g. ``所在地区``) sits in row 3, merged horizontally
  over its leaf columns, whose names sit in row 4; every other header sits in row 3, merged
  vertically over rows 3-4;
* the data rows from row 5 on;
* a last row with ``合计`` in the first cell and the person count in the second, as a number.

The sheet XML is written directly, without a spreadsheet library, and streamed into the zip entry
block by block (CHUNK_ROWS rows). Besides the input table, memory holds one block's XML and
4 bytes per row for each shared-string column (its dictionary indexes). There is no Python
loop per row or cell: each block is assembled with numpy index arithmetic and one pyarrow ``take``
over a pool of XML fragments (see ``_RowAssembler``). Every cell carries its reference
(``r="A5"``), every row its number.

* String columns that repeat (regions, categories, codes: at most half as many distinct values as
  rows) are written as shared strings (``t="s"``, table in ``xl/sharedStrings.xml``); the others
  (ids, phone numbers) as inline strings (``t="inlineStr"``). Both read back the same.
* Integer and floating-point columns (e.g. ``序号`` as int64) are written as numeric cells.
* Null and empty values produce no cell at all. Values are XML-escaped (``& < > " '`` and CR);
  characters XML 1.0 forbids (most control characters) are dropped.

The output is byte-for-byte deterministic: fixed zip timestamps and attributes, fixed entry order,
DEFLATE with a fixed compression level.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["write_roster_xlsx", "column_letter", "MAX_ROWS", "MAX_COLUMNS"]

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
HEADER_ROWS = 4  # title, export time, two header rows
FIRST_DATA_ROW = HEADER_ROWS + 1

CHUNK_ROWS = 20_000
COMPRESS_LEVEL = 1
_ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
_ZIP64_LIMIT = (1 << 31) - 1  # zipfile's own threshold for needing ZIP64

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

# Style indexes into cellXfs (see _STYLES_XML).
_STYLE_TITLE = 1
_STYLE_HEADER = 2

# Characters that are not allowed in XML 1.0 at all; they are dropped.
_RE_INVALID_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
_ESCAPES = (  # '&' must come first
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&apos;"),
    ("\r", "&#13;"),  # a bare CR would be normalised to LF by XML parsers
)
_MAX_ESCAPE_GROWTH = 6  # len("&quot;")
_ROW_OVERHEAD = 32  # <row r="1048576"></row>
_CELL_OVERHEAD = 80  # </t></is></c><c r="XFD1048576" t="inlineStr"><is><t xml:space="preserve">
_MAX_NUMBER_CHARS = 32  # a cell's number or shared-string index
_MAX_CHUNK_BYTES = 1 << 30  # keeps every chunk's string offsets well inside int32

# Shared strings pay off for repetitive columns (regions, codes, categories); unique ids and
# phone numbers are cheaper inline. The choice looks at the first SAMPLE_ROWS rows, then all.
SAMPLE_ROWS = 20_000
SHARED_MAX_DISTINCT_RATIO = 0.5


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based column index (0 -> A, 25 -> Z, 26 -> AA)."""
    if index < 0:
        raise ValueError(f"column index must be >= 0, got {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _xml_escape(text: str) -> str:
    """Escape a single Python string for XML text or attribute content."""
    out = []
    for ch in text:
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or code in (0xFFFE, 0xFFFF):
            continue
        out.append(ch)
    text = "".join(out)
    for raw, esc in _ESCAPES:
        text = text.replace(raw, esc)
    return text


# Bytes that need escaping or removal; control bytes that XML 1.0 forbids; XML whitespace,
# which at the start or end of a value needs xml:space="preserve".
_SPECIAL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A)) + b"&<>\"'"
_INVALID_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
_LUT_SPACE = np.zeros(256, dtype=bool)
_LUT_SPACE[list(b" \t\r\n")] = True


def _contains_any(data: bytes, chars: bytes) -> bool:
    return len(data.translate(None, chars)) != len(data)


def _string_bytes(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The value bytes and the offsets (rebased to 0) of a string array, as numpy views."""
    dtype = np.int64 if pa.types.is_large_string(values.type) else np.int32
    bufs = values.buffers()
    offsets = np.frombuffer(bufs[1], dtype=dtype)[values.offset : values.offset + len(values) + 1]
    start, end = int(offsets[0]), int(offsets[-1])
    if bufs[2] is None or end == start:
        return np.zeros(0, dtype=np.uint8), offsets - start
    raw = np.frombuffer(bufs[2], dtype=np.uint8, count=end - start, offset=start)
    return raw, offsets - start


def _escape(values: pa.Array) -> tuple[pa.Array, bool]:
    """XML-escape a string array.

    Returns the escaped array and whether some value starts or ends with whitespace (and so needs
    ``xml:space="preserve"``). Characters XML 1.0 forbids are dropped. The check runs on the raw
    value bytes (bytes.translate), so a column without special characters costs one fast pass.
    """
    if len(values) == 0:
        return values, False
    raw, offsets = _string_bytes(values)
    if raw.size == 0:
        return values, False
    lengths = np.diff(offsets)
    nonempty = lengths > 0
    firsts = raw[offsets[:-1][nonempty]]
    lasts = raw[offsets[1:][nonempty] - 1]
    preserve = bool(_LUT_SPACE[firsts].any() or _LUT_SPACE[lasts].any())
    data = raw.tobytes()
    special = _contains_any(data, _SPECIAL_BYTES)
    invalid = special and _contains_any(data, _INVALID_BYTES)
    # U+FFFE and U+FFFF (noncharacters XML forbids too)
    invalid = invalid or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data
    if invalid:
        values = pc.replace_substring_regex(values, _RE_INVALID_XML, "")
    if special:
        for char, entity in _ESCAPES:
            if pc.any(pc.match_substring(values, char)).as_py():
                values = pc.replace_substring(values, char, entity)
    return values, preserve


def _is_numeric(typ: pa.DataType) -> bool:
    return pa.types.is_integer(typ) or pa.types.is_floating(typ)


def _as_string(values: pa.Array) -> pa.Array:
    if pa.types.is_string(values.type):
        return values
    return pc.cast(values, pa.string())


def _buffer_of(strings: pa.Array) -> memoryview:
    """The concatenated bytes of a string array, without copying."""
    raw, _ = _string_bytes(strings)
    return memoryview(raw)


@dataclass(frozen=True)
class _Column:
    """How one leaf column is written: as numbers, inline strings or shared strings."""

    letter: str
    kind: str  # "number" | "inline" | "shared"
    values: pa.Array
    codes: pa.Array | None = None  # shared: dictionary index per row (null where null)
    tails: pa.Array | None = None  # shared: cell tail per dictionary entry, then "" for null
    blank: np.ndarray | None = None  # shared: True where an entry (or null) gives no cell


def _shared_candidate(col: pa.Array) -> pa.DictionaryArray | None:
    """Dictionary-encode a column if it repeats enough for the shared-string table to pay off."""
    n = len(col)
    if n == 0:
        return None
    sample = col.slice(0, min(n, SAMPLE_ROWS))
    if pc.count_distinct(sample).as_py() > SHARED_MAX_DISTINCT_RATIO * len(sample):
        return None
    encoded = col.dictionary_encode()
    if len(encoded.dictionary) > SHARED_MAX_DISTINCT_RATIO * n:
        return None
    return encoded


def _plan_columns(
    data: pa.Table, columns: list[str]
) -> tuple[list[_Column], list[tuple[pa.Array, bool]], int]:
    """Choose the cell kind of each column and build the shared-string table.

    Returns the column plans, the shared-string parts (escaped dictionary, needs preserve) in
    table order, and the number of cells referring to the table. Small dictionaries come first
    in the table, so the most repeated cells carry the shortest indexes.
    """
    kinds: list[tuple[str, pa.Array, pa.DictionaryArray | None]] = []
    for name in columns:
        chunked = data.column(name)
        col = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
        if _is_numeric(col.type):
            kinds.append(("number", col, None))
            continue
        if not pa.types.is_string(col.type):
            col = pc.cast(col, pa.string())
        encoded = _shared_candidate(col)
        kinds.append(("inline" if encoded is None else "shared", col, encoded))

    order = sorted(
        (i for i, (kind, _, _) in enumerate(kinds) if kind == "shared"),
        key=lambda i: (len(kinds[i][2].dictionary), i),
    )
    bases: dict[int, int] = {}
    shared: list[tuple[pa.Array, bool]] = []
    base = 0
    for i in order:
        dictionary = _as_string(kinds[i][2].dictionary)
        bases[i] = base
        shared.append(_escape(dictionary))
        base += len(dictionary)

    plans: list[_Column] = []
    references = 0
    for i, (kind, col, encoded) in enumerate(kinds):
        letter = column_letter(i)
        if encoded is None:
            plans.append(_Column(letter, kind, col))
            continue
        dictionary = _as_string(encoded.dictionary)
        size = len(dictionary)
        index_text = pc.cast(pa.arange(bases[i], bases[i] + size), pa.string())
        tails = pc.binary_join_element_wise('" t="s"><v>', index_text, "</v></c>", "")
        blank = pc.equal(pc.binary_length(dictionary), 0)
        tails = pc.if_else(blank, "", tails)
        tails = pa.concat_arrays([tails, pa.array([""], pa.string())])  # the slot for null
        blank_np = np.append(blank.to_numpy(zero_copy_only=False), True)
        plans.append(_Column(letter, kind, col, encoded.indices, tails, blank_np))
        counts = np.bincount(
            pc.fill_null(encoded.indices, size).to_numpy(zero_copy_only=False), minlength=size + 1
        )
        references += int(counts[~blank_np].sum())
    return plans, shared, references


def _row_bounds(plans: list[_Column], nrows: int) -> np.ndarray:
    """An upper bound on the XML bytes of every data row."""
    bounds = np.full(nrows, _ROW_OVERHEAD + _CELL_OVERHEAD * len(plans), dtype=np.int64)
    for plan in plans:
        if plan.kind == "inline":
            lengths = pc.fill_null(pc.binary_length(plan.values), 0)
            bounds += _MAX_ESCAPE_GROWTH * lengths.to_numpy().astype(np.int64)
        else:
            bounds += _MAX_NUMBER_CHARS
    return bounds


class _RowAssembler:
    """Builds the XML of a block of rows with one ``take`` over a pool of fragments.

    Every row is the same sequence of fragments::

        <row r="5">  G0  [RN V G1 | RN TG1]  ...  [RN V G_end | RN TG_end]

    * RN is the row number, for inline/number cells followed by the fixed text up to the value
      (``5" t="inlineStr"><is><t>``);
    * V is the escaped value or the number text;
    * Gj is the text between cell j-1 and cell j: the closing text of cell j-1 and the opening
      ``<c r="X`` of cell j, each only where that cell exists (G_end closes the row);
    * for a shared-string cell, TG is its tail ``" t="s"><v>12</v></c>`` joined with the gap
      that follows, one pool entry per (dictionary entry, next cell exists).

    The pool holds the literals and the TG entries (built once), then per block the row-number
    variants and the values. An (n, F) index matrix into the pool, made with numpy, is gathered
    with one ``take``; the result's value buffer is the block's XML. A missing cell points its
    fragments at the empty string.
    """

    def __init__(self, plans: list[_Column]) -> None:
        self.plans = plans
        literals: dict[str, int] = {}

        def lit(text: str) -> int:
            return literals.setdefault(text, len(literals))

        self.empty = lit("")
        closes = {"shared": "", "number": "</v></c>", "inline": "</t></is></c>"}
        # gaps[j][2 * (cell j-1 exists) + (cell j exists)] -> literal index; gaps[ncols] ends
        # the row and is indexed by (last cell exists) alone.
        self.gaps: list[np.ndarray] = []
        previous_close = ""
        for plan in plans:
            opening = f'<c r="{plan.letter}'
            self.gaps.append(
                np.array(
                    [lit(""), lit(opening), lit(previous_close), lit(previous_close + opening)],
                    dtype=np.int32,
                )
            )
            previous_close = closes[plan.kind]
        self.gaps.append(np.array([lit("</row>"), lit(previous_close + "</row>")], dtype=np.int32))

        literal_array = pa.array(list(literals), pa.string())
        parts = [literal_array]
        size = len(literals)
        self.tg_bases: list[int] = []
        last = len(plans) - 1
        for j, plan in enumerate(plans):
            self.tg_bases.append(size)
            if plan.kind != "shared":
                continue
            entries = len(plan.tails)  # the dictionary, then the slot for null
            codes = np.repeat(np.arange(entries, dtype=np.int32), 2)
            next_present = np.tile(np.array([0, 1], dtype=np.int32), entries)
            present = (~plan.blank[codes]).astype(np.int32)
            if j == last:
                gap = self.gaps[j + 1][present]
            else:
                gap = self.gaps[j + 1][2 * present + next_present]
            joined = pc.binary_join_element_wise(
                plan.tails.take(pa.array(codes)), literal_array.take(pa.array(gap)), ""
            )
            parts.append(joined)
            size += len(joined)
        self.static = pa.concat_arrays(parts)
        self.static_size = size
        self.width = 2 + sum(2 if plan.kind == "shared" else 3 for plan in plans)

    def block(self, start: int, n: int, first_row: int) -> pa.Array:
        """The XML of data rows [start, start + n) as a string array, one element per fragment."""
        ar = np.arange(n, dtype=np.int32)
        rownums = pc.cast(pa.arange(first_row + start, first_row + start + n), pa.string())
        dynamic: list[pa.Array] = []
        base = self.static_size

        def add(values: pa.Array) -> np.ndarray:
            nonlocal base
            dynamic.append(values)
            base += len(values)
            return ar + (base - len(values))

        row_open = add(pc.binary_join_element_wise('<row r="', rownums, '">', ""))
        rn_cache: dict[str, np.ndarray] = {}

        def rn_with(text: str) -> np.ndarray:
            if text not in rn_cache:
                rn_cache[text] = add(
                    pc.binary_join_element_wise(rownums, text, "") if text else rownums
                )
            return rn_cache[text]

        # Pass 1: per cell, whether it exists (True when it does in every row) and its pieces.
        presents: list[np.ndarray | bool] = []
        pieces: list[tuple[np.ndarray, np.ndarray]] = []  # (RN, V or shared codes)
        for plan in self.plans:
            if plan.kind == "shared":
                size = len(plan.tails) - 1
                codes = plan.codes.slice(start, n)
                if codes.null_count:
                    codes = pc.fill_null(codes, size)
                codes = codes.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
                present = ~plan.blank[codes]
                pieces.append((rn_with(""), codes))
            else:
                values = plan.values.slice(start, n)
                if plan.kind == "number":
                    if pa.types.is_floating(values.type):
                        finite = pc.is_finite(values)
                        values = pc.if_else(finite, values, pa.scalar(None, values.type))
                    absent = pc.is_null(values)
                    values = pc.cast(values, pa.string())
                    rn = rn_with('"><v>')
                else:
                    values = _as_string(values)
                    absent = pc.or_kleene(pc.is_null(values), pc.equal(pc.binary_length(values), 0))
                    values, preserve = _escape(values)
                    space = ' xml:space="preserve"' if preserve else ""
                    rn = rn_with(f'" t="inlineStr"><is><t{space}>')
                present = ~absent.to_numpy(zero_copy_only=False)
                pieces.append((rn, add(values)))
            presents.append(True if present.all() else present)

        # Pass 2: the index matrix, filled fragment by fragment (contiguous rows), then
        # transposed into row order.
        index = np.empty((self.width, n), dtype=np.int32)
        index[0] = row_open
        index[1] = self.gaps[0][np.asarray(presents[0], dtype=np.int32) if n else 0]
        slot = 2
        last = len(self.plans) - 1
        for j, (plan, present, (rn, value)) in enumerate(
            zip(self.plans, presents, pieces, strict=True)
        ):
            here = np.asarray(present, dtype=np.int32)
            nxt = np.asarray(presents[j + 1], dtype=np.int32) if j < last else None
            index[slot] = rn if present is True else np.where(present, rn, self.empty)
            if plan.kind == "shared":
                index[slot + 1] = self.tg_bases[j] + 2 * value + (0 if nxt is None else nxt)
                slot += 2
                continue
            index[slot + 1] = value if present is True else np.where(present, value, self.empty)
            if nxt is None:
                index[slot + 2] = self.gaps[j + 1][here]
            else:
                index[slot + 2] = self.gaps[j + 1][2 * here + nxt]
            slot += 3
        rows = np.empty((n, self.width), dtype=np.int32)
        rows[:] = index.T
        pool = pa.concat_arrays([self.static, *dynamic])
        return pool.take(pa.array(rows.reshape(-1)))


def _data_chunks(
    plans: list[_Column], nrows: int, first_row: int, chunk_rows: int
) -> Iterator[memoryview]:
    """Yield the XML of the data rows, ``chunk_rows`` rows at a time."""
    assembler = _RowAssembler(plans)
    for start in range(0, nrows, chunk_rows):
        yield _buffer_of(assembler.block(start, min(chunk_rows, nrows - start), first_row))


def _shared_strings_chunks(
    shared: list[tuple[pa.Array, bool]], references: int
) -> Iterator[bytes | memoryview]:
    unique = sum(len(values) for values, _ in shared)
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{_NS_MAIN}" count="{references}" uniqueCount="{unique}">'
    ).encode()
    for values, preserve in shared:
        open_t = '<si><t xml:space="preserve">' if preserve else "<si><t>"
        for start in range(0, len(values), CHUNK_ROWS):
            part = values.slice(start, CHUNK_ROWS)
            yield _buffer_of(pc.binary_join_element_wise(open_t, part, "</t></si>", ""))
    yield b"</sst>"


def _inline_cell(ref: str, text: str, style: int) -> str:
    style_attr = f' s="{style}"' if style else ""
    return (
        f'<c r="{ref}"{style_attr} t="inlineStr">'
        f'<is><t xml:space="preserve">{_xml_escape(text)}</t></is></c>'
    )


def _validate_layout(
    columns: list[str], groups: dict[str, list[str]]
) -> dict[int, tuple[str, int]]:
    """Check the header layout; returns {first leaf index: (group label, leaf count)}."""
    if not columns:
        raise ValueError("columns must not be empty")
    if len(columns) > MAX_COLUMNS:
        raise ValueError(f"{len(columns)} columns exceed the sheet limit of {MAX_COLUMNS}")
    if len(set(columns)) != len(columns):
        raise ValueError("column names must be unique")
    position = {name: i for i, name in enumerate(columns)}
    seen: set[str] = set()
    starts: dict[int, tuple[str, int]] = {}
    for label, leaves in groups.items():
        if not leaves:
            raise ValueError(f"group {label!r} has no leaves")
        for leaf in leaves:
            if leaf not in position:
                raise ValueError(f"group {label!r}: leaf {leaf!r} is not a column")
            if leaf in seen:
                raise ValueError(f"leaf {leaf!r} belongs to more than one group")
            seen.add(leaf)
        idx = [position[leaf] for leaf in leaves]
        first = idx[0]
        if idx != list(range(first, first + len(idx))):
            raise ValueError(f"group {label!r}: leaves must be adjacent columns, in column order")
        starts[first] = (label, len(idx))
    return starts


def _header_xml(
    title: str,
    export_time: str,
    columns: list[str],
    group_starts: dict[int, tuple[str, int]],
) -> tuple[str, list[str]]:
    """Rows 1-4 as XML, and the merge ranges."""
    ncols = len(columns)
    last = column_letter(ncols - 1)
    merges: list[str] = []
    if ncols > 1:
        merges += [f"A1:{last}1", f"A2:{last}2"]
    row1 = f'<row r="1">{_inline_cell("A1", title, _STYLE_TITLE)}</row>'
    row2 = f'<row r="2">{_inline_cell("A2", export_time, 0)}</row>'

    grouped: set[int] = set()
    for first, (_label, count) in group_starts.items():
        grouped.update(range(first, first + count))
    row3: list[str] = []
    row4: list[str] = []
    for i, name in enumerate(columns):
        letter = column_letter(i)
        if i in group_starts:
            label, count = group_starts[i]
            row3.append(_inline_cell(f"{letter}3", label, _STYLE_HEADER))
            if count > 1:
                merges.append(f"{letter}3:{column_letter(i + count - 1)}3")
        if i in grouped:
            row4.append(_inline_cell(f"{letter}4", name, _STYLE_HEADER))
        else:
            row3.append(_inline_cell(f"{letter}3", name, _STYLE_HEADER))
            merges.append(f"{letter}3:{letter}4")
    xml = row1 + row2 + f'<row r="3">{"".join(row3)}</row>' + f'<row r="4">{"".join(row4)}</row>'
    return xml, merges


def _zipinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    if hasattr(zipfile.ZipInfo, "compress_level"):  # Python >= 3.13
        info.compress_level = COMPRESS_LEVEL
    else:
        info._compresslevel = COMPRESS_LEVEL
    info.create_system = 3  # Unix, whatever the platform writing it
    info.external_attr = 0o644 << 16
    return info


def _content_types_xml(shared: bool) -> str:
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    overrides = [
        ("/xl/workbook.xml", "sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", "worksheet+xml"),
        ("/xl/styles.xml", "styles+xml"),
    ]
    if shared:
        overrides.append(("/xl/sharedStrings.xml", "sharedStrings+xml"))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{_NS_CT}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{part}" ContentType="{ct}{kind}"/>' for part, kind in overrides
        )
        + "</Types>"
    )


_ROOT_RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_NS_PKG_REL}">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _workbook_rels_xml(shared: bool) -> str:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    targets = [("worksheet", "worksheets/sheet1.xml"), ("styles", "styles.xml")]
    if shared:
        targets.append(("sharedStrings", "sharedStrings.xml"))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_NS_PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{rel}{kind}" Target="{target}"/>'
            for i, (kind, target) in enumerate(targets, start=1)
        )
        + "</Relationships>"
    )


# cellXfs: 0 default, 1 title (bold, centred), 2 header (bold, centred, wrapped).
_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_NS_MAIN}">'
    '<fonts count="2">'
    '<font><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

_INVALID_SHEET_CHARS = set("[]:*?/\\")


def _workbook_xml(sheet_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        f'<sheets><sheet name="{_xml_escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def write_roster_xlsx(
    path: Path,
    *,
    title: str,
    export_time: str,
    columns: list[str],
    groups: dict[str, list[str]],
    data: pa.Table,
    total_label: str = "合计",
    sheet_name: str = "Sheet1",
) -> None:
    """Write the roster workbook to ``path``.

    ``data`` holds one column per name in ``columns`` (further columns are ignored), as strings;
    integer/float columns (e.g. an int64 ``序号``) become numeric cells. Nulls and empty strings
    become empty cells. ``groups`` maps a group label to its leaf columns, which must be adjacent
    and in column order. The last row holds ``total_label`` and the number of data rows.
    """
    columns = list(columns)
    group_starts = _validate_layout(columns, groups)
    missing = [name for name in columns if name not in data.column_names]
    if missing:
        raise ValueError(f"data lacks columns: {missing}")
    if not sheet_name or len(sheet_name) > 31 or _INVALID_SHEET_CHARS & set(sheet_name):
        raise ValueError(f"invalid sheet name: {sheet_name!r}")
    nrows = data.num_rows
    total_row = FIRST_DATA_ROW + nrows
    if total_row > MAX_ROWS:
        raise ValueError(
            f"{nrows} data rows do not fit on one sheet (at most {MAX_ROWS - FIRST_DATA_ROW})"
        )

    plans, shared, references = _plan_columns(data, columns)
    row_bounds = _row_bounds(plans, nrows)
    rows_bound = int(row_bounds.sum())
    chunk_rows = CHUNK_ROWS
    if nrows:  # keep every block's XML far below the 2 GiB of int32 string offsets
        chunk_rows = max(1, min(CHUNK_ROWS, _MAX_CHUNK_BYTES // int(row_bounds.max())))
    del row_bounds

    ncols = len(columns)
    last = column_letter(ncols - 1)
    header_rows, merges = _header_xml(title, export_time, columns, group_starts)
    total_cells = _inline_cell(f"A{total_row}", total_label, 0)
    if ncols > 1:
        total_cells += f'<c r="B{total_row}"><v>{nrows}</v></c>'
    sheet_head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        f'<dimension ref="A1:{last}{total_row}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{HEADER_ROWS}" topLeftCell="A{FIRST_DATA_ROW}" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<sheetData>{header_rows}"
    ).encode()
    merge_xml = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    sheet_tail = (
        f'<row r="{total_row}">{total_cells}</row></sheetData>'
        + (f'<mergeCells count="{len(merges)}">{merge_xml}</mergeCells>' if merges else "")
        + "</worksheet>"
    ).encode()
    sheet_bound = rows_bound + len(sheet_head) + len(sheet_tail)

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_zipinfo("[Content_Types].xml"), _content_types_xml(bool(shared)))
        zf.writestr(_zipinfo("_rels/.rels"), _ROOT_RELS_XML)
        zf.writestr(_zipinfo("xl/workbook.xml"), _workbook_xml(sheet_name))
        zf.writestr(_zipinfo("xl/_rels/workbook.xml.rels"), _workbook_rels_xml(bool(shared)))
        zf.writestr(_zipinfo("xl/styles.xml"), _STYLES_XML)
        sheet = _zipinfo("xl/worksheets/sheet1.xml")
        with zf.open(sheet, "w", force_zip64=sheet_bound > _ZIP64_LIMIT) as out:
            out.write(sheet_head)
            for block in _data_chunks(plans, nrows, FIRST_DATA_ROW, chunk_rows):
                out.write(block)
            out.write(sheet_tail)
        if shared:
            # The entries are escaped already; <si><t xml:space="preserve"></t></si> is 37 bytes.
            bound = sum(
                int(pc.sum(pc.binary_length(v)).as_py() or 0) + 40 * len(v) for v, _ in shared
            )
            with zf.open(
                _zipinfo("xl/sharedStrings.xml"), "w", force_zip64=bound > _ZIP64_LIMIT
            ) as out:
                for buf in _shared_strings_chunks(shared, references):
                    out.write(buf)
