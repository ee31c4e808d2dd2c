"""Recognise a file by its first bytes, so a renamed file is refused as the wrong kind."""

from __future__ import annotations

from yibao.ingest.errors import ContractError

ZIP = b"PK\x03\x04"  # xlsx is a zip archive
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
PARQUET = b"PAR1"


# an OLE2 container holding this stream is an Office file encrypted with a password
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def looks_like(head: bytes) -> str:
    """A description of what the first bytes say the file is (pass the whole file, or at
    least its first 64 KiB, to tell a password-protected workbook from a legacy .xls)."""
    if not head:
        return "an empty file"
    if head.startswith(ZIP):
        return "a zip archive (an xlsx workbook?)"
    if head.startswith(OLE2) and ENCRYPTION_INFO in head:
        return "a password-protected (encrypted) workbook; ask for an export without a password"
    if head.startswith(OLE2):
        return "a legacy .xls workbook"
    if head.startswith(PARQUET):
        return "a Parquet file"
    if b"\x00" in head[:4096]:
        return "a binary file"
    return "text"


def refuse_binary(data: bytes, display: str, *, expected: str) -> None:
    """Refuse a text file (CSV) that is in fact a workbook, a Parquet file or other binary."""
    what = looks_like(data[:4096])
    if what == "an empty file":
        raise ContractError(display, "empty file: no header row")
    if what != "text" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContractError(display, f"wrong file kind: {what}, not {expected}")
