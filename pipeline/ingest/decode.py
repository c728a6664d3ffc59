"""Bytes to the normalized text every offset points into.

Why a module of its own: the decoding decision (byte-order mark, binary refusal, BOM-less
UTF-16, stray NUL bytes, UTF-8 or cp1252) is the same for every file format, and its reason
must reach the user when a file cannot be read.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from pipeline.resources import load_json


def settings() -> dict:
    """The ingest vocabulary and limits (``resources/ingest.json``), loaded once."""
    return load_json("ingest.json")


@dataclass
class Decoded:
    """Text decoded from a file's bytes, the codec used, and what had to be repaired."""

    text: str
    encoding: str
    repairs: list[str] = field(default_factory=list)


def binary_signature(data: bytes) -> str | None:
    """The binary format ``data`` starts with ("a PDF document"), if its leading bytes say so.

    A PDF saved under a ``.txt`` name decodes as cp1252 without error and without NUL bytes in
    its header, so the magic number is the only reliable sign (list in resources/ingest.json).
    """
    for magic, label in settings()["binary_signatures"]:
        if data.startswith(magic.encode("latin-1")):
            return label
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``data`` looks like BOM-less UTF-16 text, else None.

    Latin-script UTF-16 has a NUL in every other byte, on the odd positions (little-endian)
    or the even ones (big-endian); binary data scatters its NULs. Windows tools write it.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.6 * half and other <= 0.01 * half:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


def _decode_8bit(data: bytes) -> Decoded:
    """UTF-8, else UTF-8 with replacements if most of its non-ASCII text is valid UTF-8
    (a stray byte in a UTF-8 file), else cp1252; ValueError when none fits."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for c in replaced if ord(c) > 127) - bad
    if good >= bad:
        return Decoded(replaced, "utf-8", [f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD"])
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as exc:
        raise ValueError(f"undecodable: neither UTF-8 nor cp1252 (byte 0x{data[exc.start]:02x} "
                         f"at offset {exc.start}: {exc.reason})") from None


def decode_release(data: bytes) -> Decoded:
    """Decode release bytes; raise ValueError with a reason naming what is wrong.

    In order: a byte-order mark (UTF-8, UTF-16, UTF-32) is honoured; a binary format's magic
    number is refused; BOM-less UTF-16 is recognised by its NUL pattern; a few stray NUL
    bytes (at most ``max_nul_ratio`` of the file) are removed, more mean a binary file; then
    UTF-8, UTF-8 with a few bad bytes replaced, or cp1252.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise ValueError(f"invalid {enc} after byte-order mark ({exc.reason})") from None
    label = binary_signature(data)
    if label:
        raise ValueError(f"binary file ({label}), not text")
    codec = utf16_without_bom(data)
    if codec:
        return Decoded(data.decode(codec), codec)
    nuls = data.count(0)
    repairs = []
    if nuls:
        if nuls > settings()["max_nul_ratio"] * len(data):
            raise ValueError(f"binary file (contains NUL bytes: {nuls:,} of {len(data):,} bytes)")
        data = data.replace(b"\x00", b"")
        repairs.append(f"{nuls} NUL byte(s) removed")
    decoded = _decode_8bit(data)
    decoded.repairs[:0] = repairs
    return decoded


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode release bytes; return (text, encoding). Raise ValueError with the reason."""
    d = decode_release(data)
    return d.text, d.encoding


# Characters that end a line in some converters' output (form feed between PDF pages,
# vertical tab, Unicode line/paragraph separators, NEL, the C0 record separators).
_LINE_BREAKS = {ord(c): "\n" for c in "\f\v\x1c\x1d\x1e\x85\u2028\u2029"}
_LINE_BREAKS.update({0xFEFF: None, 0x00A0: " ", 0x0000: None})
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize_text(text: str) -> str:
    """The text every offset points into: unified line ends, no NBSP, BOM or NUL, trimmed.

    Lone surrogates (from ``\\ud800`` escapes in JSON) become U+FFFD: they cannot be
    written to Parquet, and one would sink the whole run at write time.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = _SURROGATE.sub("\ufffd", text)
    return text.strip()


def clean_name(name: str) -> str:
    """A file name or doc_id safe to store: undecodable bytes of a file name (which Python
    keeps as lone surrogates) become U+FFFD, so the string can be written as UTF-8. Called for
    every file of an input folder: an ASCII name, the usual one, is returned untouched."""
    if name.isascii() or not _SURROGATE.search(name):
        return name
    try:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        pass
    return _SURROGATE.sub("\ufffd", name)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")  # C0 controls but tab and line feed


def control_char_count(text: str) -> int:
    """C0 control characters other than tab and line feed: many of them mean a binary file."""
    return len(_CONTROL.findall(text))
