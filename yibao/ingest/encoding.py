"""Text encoding of a delivered CSV: UTF-8 with BOM, UTF-8, or a GB encoding (read as GB18030)."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from yibao.ingest.errors import ContractError

# charset-normalizer names of the GB family; GB18030 decodes all of them.
_GB_FAMILY = {"gb18030", "gbk", "gb2312", "hz", "cp936"}
_SAMPLE_BYTES = 256 * 1024


def to_utf8(data: bytes, display: str) -> tuple[bytes, str]:
    """The file's bytes as UTF-8 without BOM, and the encoding it was delivered in."""
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        _strict(body, "utf-8", display, offset=len(codecs.BOM_UTF8), what="UTF-8 after a BOM")
        return body, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ContractError(display, "UTF-16 text; expected GBK, GB18030 or UTF-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return data, "utf-8"
    text = _strict(data, "gb18030", display, offset=0, what="UTF-8 nor GB18030")
    _confirm_chinese(data, display)
    return text.encode("utf-8"), "gb18030"


def _strict(data: bytes, encoding: str, display: str, *, offset: int, what: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        at = error.start
        line = data.count(b"\n", 0, at) + 1
        bad = data[at : at + 4].hex(" ")
        raise ContractError(
            display,
            f"undecodable text: not {what} at byte offset {at + offset:,} (bytes {bad})",
            row=line,
            column=_column_at(data, at),
        ) from None


def _column_at(data: bytes, at: int) -> str | None:
    """The header name of the comma-separated field holding byte `at` (None on line 1)."""
    start = data.rfind(b"\n", 0, at) + 1
    if start == 0:
        return None
    header = data[: data.find(b"\n")].decode("gb18030", errors="replace").strip("\r\ufeff")
    names = header.split(",")
    field = data.count(b",", start, at)
    return names[field].strip() if field < len(names) else None


def _confirm_chinese(data: bytes, display: str) -> None:
    """Refuse text that decodes as GB18030 only by accident (e.g. Latin-1 or Big5)."""
    sample = data[:_SAMPLE_BYTES]
    if len(data) > _SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rfind(b"\n") + 1]  # never cut a character in two
    matches = from_bytes(sample)
    if not matches:
        return  # too little text to tell; it decodes strictly as GB18030
    candidates = {m.encoding for m in matches}
    for m in matches:
        candidates.update(m.could_be_from_charset)
    if not candidates & _GB_FAMILY:
        raise ContractError(
            display,
            f"undecodable text: not UTF-8 and not a Chinese GB encoding "
            f"(looks like {matches.best().encoding})",
        )
