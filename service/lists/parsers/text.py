"""Decoding list files strictly, so mis-encoded input is refused with its position."""

from __future__ import annotations

from pathlib import Path

from service.lists.errors import ListFormatError


def decode(data: bytes, *, file: str, encoding: str = "utf-8") -> str:
    """Decode bytes; a byte sequence invalid in `encoding` is refused naming its line and column."""
    if not data.strip():
        raise ListFormatError(file, "file is empty")
    if encoding.replace("-", "").lower() == "utf8" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ListFormatError(
            file,
            f"not valid {encoding} at byte offset {exc.start} (character {col} of the line): "
            f"{data[exc.start:exc.end]!r}; the file may be in another encoding (e.g. GBK)",
            line=line,
        ) from exc


def read_text(path: Path, *, encoding: str = "utf-8") -> str:
    return decode(path.read_bytes(), file=path.name, encoding=encoding)
