"""Which text encoding a CSV upload is in: BOM, then strict UTF-8, then a guess among the plausible ones.

Vendor masters come from Chinese ERPs (GBK, sometimes Big5), from Excel "Unicode text" (UTF-16) and from
European systems (cp1252). The guess is restricted to those so charset-normalizer cannot pick an exotic
code page for a short file; the guessed codec must then decode the whole file, or the next one is tried.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from service.batches.errors import UploadError

# GBK and GB2312 are decoded with their superset GB18030 (the 4-byte sequences are rare but real).
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "big5": "big5hkscs"}
# Ordered by how often they turn up in supplier lists; also the fallback order when the guess fails.
PLAUSIBLE = ("gb18030", "big5hkscs", "cp1252", "shift_jis", "euc_kr", "cp1251")  # no cp1250: it steals cp1252
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE is a prefix of both
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 256 * 1024  # enough for the guess; the chosen codec is then checked on the whole file
_GARBAGE = "the file is not a text CSV or XLSX (it looks binary); upload a CSV or an XLSX workbook"


def detect_encoding(data: bytes, *, forced: str | None = None) -> str:
    """The lower-case codec name `data` decodes with (see `decode`)."""
    return decode(data, forced=forced)[1]


def decode(data: bytes, *, forced: str | None = None) -> tuple[str, str]:
    """The text of `data` and the codec used. `forced` (the caller's choice) wins but must fit the data."""
    if forced:
        encoding = _forced_codec(data, forced)
        return _decode_or_refuse(data, encoding), encoding
    unicode = _bom_codec(data) or _utf16_without_bom(data)
    if unicode:
        return _decode_or_refuse(data, unicode), unicode
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in _candidates(data):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UploadError("could not tell the file's text encoding; give it in the `encoding` field (e.g. gbk, big5, "
                      "cp1252) or save the file as UTF-8", field="encoding")


def _forced_codec(data: bytes, forced: str) -> str:
    try:
        name = codecs.lookup(forced.strip()).name.replace("_", "-")
    except LookupError:
        raise UploadError(f"unknown encoding {forced!r}; use e.g. utf-8, gbk, gb18030, big5, utf-16, cp1252",
                          field="encoding") from None
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"  # the caller said UTF-8; the BOM must not end up in the first header
    return _SUPERSETS.get(name, name)


def _bom_codec(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text then has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    odd_nuls, even_nuls = sample[1::2].count(0), sample[0::2].count(0)
    if odd_nuls > 0.6 * len(sample) // 2 and even_nuls < odd_nuls // 10:
        return "utf-16-le"
    if even_nuls > 0.6 * len(sample) // 2 and odd_nuls < even_nuls // 10:
        return "utf-16-be"
    return None


def _refuse_binary(data: bytes) -> None:
    """NUL bytes outside UTF-16, or many control bytes, mean an image, PDF, .xls or similar."""
    sample = data[:_SAMPLE]
    if 0 in sample:
        raise UploadError(_GARBAGE)
    controls = sum(sample.count(byte) for byte in (*range(1, 9), 11, 12, *range(14, 32), 127))
    if controls > max(8, len(sample) // 100):
        raise UploadError(_GARBAGE)


def _candidates(data: bytes) -> list[str]:
    """charset-normalizer's ranking among PLAUSIBLE, then the rest of PLAUSIBLE in order."""
    sample = data[:_SAMPLE]
    if len(data) > _SAMPLE:  # cut at a line end so a multi-byte character is not split
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    guesses = [match.encoding for match in from_bytes(sample, cp_isolation=list(PLAUSIBLE))]
    ranked = [_SUPERSETS.get(name.replace("_", "-"), name.replace("_", "-")) for name in guesses]
    return list(dict.fromkeys([*ranked, *PLAUSIBLE]))


def _decode_or_refuse(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise UploadError(f"the file does not decode as {encoding}: undecodable bytes on line {line}; "
                          "check the `encoding` field or save the file as UTF-8", row=line, field="encoding") from None
    except LookupError:  # a codec name known to codecs.lookup but not usable for decoding (e.g. "rot13")
        raise UploadError(f"{encoding!r} is not a text encoding", field="encoding") from None
