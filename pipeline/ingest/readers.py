"""Read releases from .txt, .jsonl and .html files into ``Release`` records.

Why a module of its own: everything downstream needs the same normalized text (offsets point
into it), and bad input must be stopped here with a clear reason instead of crashing a stage.

- ``.txt``: UTF-8; a UTF-8/UTF-16 byte-order mark is honoured; otherwise cp1252 is the
  fallback. The encoding used is recorded.
- ``.jsonl``: one release per line with ``doc_id`` and ``text``, optionally ``title``,
  ``published``, ``source``, ``url``. A bad line is skipped on its own.
- ``.html``/``.htm``: main text by trafilatura; title and date from the page's metadata.

Limits (``data/ingest.json``): files over ``max_file_bytes`` (5 MB) and releases over
``max_release_chars`` (2 million characters) are skipped, as are empty, binary (NUL bytes or
many control characters) and undecodable files.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from pipeline.extract.dates.grammar import find_absolute_dates, parse_date
from pipeline.resources import RESOURCES

DATA_FILE = RESOURCES / "ingest.json"
SUFFIXES = {".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html",
            ".tml": "timeml"}


@lru_cache(maxsize=1)
def settings() -> dict:
    """The ingest vocabulary and limits, loaded once."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


class IngestError(Exception):
    """A release that cannot be read; ``source`` and ``doc_id`` say which."""

    def __init__(self, source: str, message: str, doc_id: str | None = None):
        super().__init__(f"{source}: {message}")
        self.source, self.message, self.doc_id = source, message, doc_id


@dataclass
class Header:
    """What the top of a release says about itself. Offsets index the normalized text."""

    title: str | None = None
    title_range: tuple[int, int] | None = None
    dateline: str | None = None
    dateline_range: tuple[int, int] | None = None
    dateline_text: str | None = None
    published: str | None = None


@dataclass
class Release:
    """One press release, ready for the spaCy pipeline."""

    doc_id: str
    source: str
    sha256: str
    text: str
    format: str
    encoding: str | None = None
    url: str | None = None
    header: Header = field(default_factory=Header)
    reference_date: str | None = None
    reference_source: str | None = None
    repairs: list[str] = field(default_factory=list)  # what ingest fixed ("3 NUL byte(s) removed")

    @property
    def title(self) -> str | None:
        return self.header.title

    @property
    def dateline(self) -> str | None:
        return self.header.dateline

    @property
    def published(self) -> str | None:
        return self.header.published


# --------------------------------------------------------------------------- decoding

@dataclass
class Decoded:
    """Text decoded from a file's bytes, the codec used, and what had to be repaired."""

    text: str
    encoding: str
    repairs: list[str] = field(default_factory=list)


def binary_signature(data: bytes) -> str | None:
    """The binary format ``data`` starts with ("a PDF document"), if its leading bytes say so.

    A PDF saved under a ``.txt`` name decodes as cp1252 without error and without NUL bytes in
    its header, so the magic number is the only reliable sign (list in data/ingest.json).
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
    keeps as lone surrogates) become U+FFFD, so the string can be written as UTF-8."""
    if not _SURROGATE.search(name):
        return name
    try:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        pass
    return _SURROGATE.sub("\ufffd", name)


def check_text(text: str, source: str) -> None:
    """Reject empty and binary-looking text with a reason naming the file."""
    if not text.strip():
        raise IngestError(source, "empty release (no text)")
    if len(text) > settings()["max_release_chars"]:
        raise IngestError(source, f"release over the size limit ({len(text):,} characters > "
                                  f"{settings()['max_release_chars']:,})")
    controls = len(_CONTROL.findall(text))
    if controls / len(text) > settings()["max_control_char_ratio"]:
        raise IngestError(source, f"binary file (too many control characters: {controls:,} of "
                                  f"{len(text):,})")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")  # C0 controls but tab and line feed


# --------------------------------------------------------------------------- header

def split_lines(text: str) -> list[tuple[int, int, str]]:
    """Non-empty lines as (start, end, stripped text), offsets of the stripped text."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            s = m.start() + lead
            out.append((s, s + len(stripped), stripped))
    return out


def is_clutter(line: str) -> bool:
    """Site furniture that is never a title: menus, labels, identifiers, separators, dates."""
    low = line.lower().strip(" :|•·*")
    cfg = settings()
    if low in cfg["clutter_lines"] or any(low.startswith(p) for p in cfg["clutter_prefixes"]):
        return True
    if not re.search(r"[A-Za-z]{2}", line):
        return True
    if " " not in line and "/" in line and re.search(r"\d", line):  # UNIS/CP/900
        return True
    return parse_date(line) is not None


def _line_dates(line: str) -> list[tuple[int, int, str, str]]:
    return [d for d in find_absolute_dates(line) if d[3] == "day"]


def is_dateline_line(line: str) -> bool:
    """A standalone place line such as ``Vienna`` or ``Washington, DC``."""
    words = re.findall(r"[^\s,]+", line)
    if not words or len(words) > settings()["max_dateline_words"]:
        return False
    if line.lower() in settings()["genre_labels"] or re.search(r"\d|/|[.!?:;]$", line):
        return False
    if re.search(r"[.!?:;]\s", line):
        return False
    return all(w[0].isupper() for w in words)


_PREFIX = re.compile(r"^(?P<prefix>[^\n]{2,90}?)\s+[-–—]+\s+(?=\S)")


def parse_dateline_prefix(paragraph: str) -> tuple[str | None, str | None, str] | None:
    """Split ``VIENNA, 29 July (UN Information Service) -`` into (place, date ISO, prefix).

    A prefix qualifies when, outside brackets and ``/agency/`` tags, every word starts with a
    capital or a digit, so ordinary openings ("Child trafficking - a crime") are left alone.
    """
    m = _PREFIX.match(paragraph)
    if not m:
        return None
    prefix = m.group("prefix")
    bare = re.sub(r"\([^)]*\)|/[^/\s][^/]*/", " ", prefix)
    if "(" in bare or ")" in bare:
        return None
    words = re.findall(r"[^\s,]+", bare)
    if not words or len(words) > 8 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return None
    date = None
    place = bare
    for span in [prefix] + re.findall(r"\(([^)]*)\)", prefix):
        found = _line_dates(span)
        if found:
            date = found[0][2]
            break
    for start, end, _, _ in sorted(find_absolute_dates(bare), reverse=True):
        place = place[:start] + place[end:]
    place = re.sub(r"\b\d{1,2}\s+[A-Z][a-z]{2,8}\.?$|\b[A-Z][a-z]{2,8}\.?\s+\d{1,2}$", "",
                   place.strip(" ,")).strip(" ,")
    if parse_date(place) is not None or not re.search(r"[A-Za-z]", place):
        place = None
    return place, date, m.group(0).rstrip()


def _is_body(line: str) -> bool:
    """A paragraph of running text rather than a label or headline."""
    return len(line.split()) >= 8 and bool(re.search(r"[.!?][\"”’]?$|[.!?]\s", line))


def _pick_title(lines: list[tuple[int, int, str]]) -> int | None:
    """Index of the headline among the first lines, or None when the page starts mid-body.

    Web pages repeat the headline, alone or at the end of a breadcrumb ("Home News Blog
    <headline>"), so a line that stands again in another line wins; otherwise the
    first line that is not site clutter. A line that opens with a dateline prefix, or reads
    like a long body paragraph, is not a headline.
    """
    window = lines[:settings()["max_title_search_lines"]]
    texts = [t for _, _, t in window]
    candidate = next((i for i, t in enumerate(texts)
                      if len(t.split()) >= 4 and not is_clutter(t)
                      and sum(u == t or (u.endswith(" " + t) and not _is_body(u)) for u in texts) > 1),
                     None)
    if candidate is None:
        candidate = next((i for i, t in enumerate(texts) if not is_clutter(t)), None)
    if candidate is None:
        return None
    t = texts[candidate]
    n_words = len(t.split())
    if _date_prefix(t) or (_is_body(t) and n_words > 20):
        return None
    return candidate


def _date_prefix(line: str) -> tuple[str | None, str | None, str] | None:
    """A dateline prefix opening ``line``: on running text, or with a date in it."""
    parsed = parse_dateline_prefix(line)
    if parsed and (_is_body(line) or parsed[1]):
        return parsed
    return None


def parse_header(text: str) -> Header:
    """Find title, dateline and stated publication date at the top of a release.

    Scans a few lines after the headline: a place line, a short date line, and the first
    paragraph's dateline prefix. Past the first paragraph of running text (web pages put
    captions and teasers first) only an upper-case place prefix such as ``GENEVA, Aug 26
    (UNHCR) -`` or a short date line is still taken.
    """
    header = Header()
    lines = split_lines(text)
    cfg = settings()
    ti = _pick_title(lines)
    if ti is not None:
        s, e, t = lines[ti]
        header.title, header.title_range = t, (s, e)
    # Date lines may stand before the headline (site furniture) or after it.
    for s, e, t in lines[:(ti or 0)]:
        if header.published is None and len(t.split()) <= 10 and _line_dates(t):
            header.published = _line_dates(t)[0][2]
    start = 0 if ti is None else ti + 1
    seen_body = False
    for s, e, t in lines[start:start + cfg["max_header_lines"]]:
        if not seen_body and header.dateline is None and is_dateline_line(t) and not is_clutter(t):
            header.dateline, header.dateline_range, header.dateline_text = t, (s, e), t
            continue
        parsed = _date_prefix(t)
        if parsed and seen_body and not (parsed[0] and parsed[0].isupper()):
            parsed = None
        if parsed:
            place, date, prefix = parsed
            if place and header.dateline is None:
                off = t.find(place)
                header.dateline = place
                header.dateline_range = (s + off, s + off + len(place)) if off >= 0 else None
                header.dateline_text = prefix
            if date and header.published is None:
                header.published = date
            break
        if header.published is None and len(t.split()) <= 10 and _line_dates(t):
            header.published = _line_dates(t)[0][2]
            continue
        seen_body = seen_body or _is_body(t)
    return header


def infer_reference_date(text: str, published: str | None) -> tuple[str | None, str | None]:
    """The date relative expressions resolve against, and where it came from.

    The stated publication date wins. Otherwise the latest full date in the text (a release
    reports on events up to its own day), else nothing: a month or a year named in the text
    is more often a data period ("January to September 2018") than the release's own date.
    """
    if published:
        return published, "published"
    days = sorted(v for _, _, v, g in find_absolute_dates(text) if g == "day" and v)
    if days:
        return days[-1], "text:latest_day"
    return None, None


# --------------------------------------------------------------------------- readers

def _finish(doc_id: str, source: str, sha: str, text: str, fmt: str, encoding: str | None,
            title: str | None = None, published: str | None = None,
            url: str | None = None, repairs: list[str] | None = None) -> Release:
    text = normalize_text(text)
    check_text(text, source)
    header = parse_header(text)
    if title:
        title = normalize_text(title)
    if title:
        header.title = title
        pos = text.find(header.title)
        header.title_range = (pos, pos + len(header.title)) if pos >= 0 else None
    if published:
        parsed = parse_date(str(published)[:40]) or (
            (str(published)[:10], "day") if re.match(r"\d{4}-\d\d-\d\d", str(published)) else None)
        if parsed and parsed[1] == "day":
            header.published = parsed[0]
    release = Release(doc_id=clean_name(doc_id), source=clean_name(source), sha256=sha, text=text,
                      format=fmt, encoding=encoding, url=clean_name(url) if url else None,
                      header=header, repairs=list(repairs or []))
    release.reference_date, release.reference_source = infer_reference_date(text, header.published)
    return release


def _decode(path: Path, source: str, data: bytes) -> Decoded:
    try:
        return decode_release(data)
    except ValueError as exc:
        raise IngestError(source, str(exc), path.stem) from None


def read_txt(path: Path, source: str, data: bytes) -> Release:
    d = _decode(path, source, data)
    try:
        return _finish(path.stem, source, hashlib.sha256(data).hexdigest(), d.text, "txt",
                       d.encoding, repairs=d.repairs)
    except IngestError as exc:
        exc.doc_id = path.stem
        raise


def read_html(path: Path, source: str, data: bytes) -> Release:
    import trafilatura

    d = _decode(path, source, data)
    html = d.text.replace("\x00", "")
    if not html.strip():
        raise IngestError(source, "empty release (no text)", path.stem)
    body = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    if not body or not body.strip():
        raise IngestError(source, "no main text found in the HTML page", path.stem)
    title = meta.title if meta and isinstance(meta.title, str) and meta.title.strip() else None
    if title and not body.lstrip().startswith(title):
        body = f"{title}\n{body}"
    published = meta.date if meta and meta.date else None
    url = meta.url if meta and meta.url else None
    try:
        return _finish(path.stem, source, hashlib.sha256(data).hexdigest(), body, "html",
                       d.encoding, title=title, published=published, url=url, repairs=d.repairs)
    except IngestError as exc:
        exc.doc_id = path.stem
        raise


def _optional_str(rec: dict, key: str, repairs: list[str]) -> str | None:
    """An optional string field of a JSONL record; another type is dropped with a note."""
    value = rec.get(key)
    if value is None or isinstance(value, str):
        return value
    repairs.append(f"field {key!r} ignored (a {type(value).__name__}, not a string)")
    return None


def read_jsonl(path: Path, source: str, data: bytes) -> Iterator[Release | IngestError]:
    """One release per line; a bad line yields an IngestError naming the line.

    Lines are split at ``\\n`` only: ``str.splitlines`` would also split inside a JSON string
    at U+2028, NEL or a form feed, which writers with ``ensure_ascii=False`` leave raw.
    """
    try:
        d = decode_release(data)
    except ValueError as exc:
        yield IngestError(source, str(exc), path.stem)
        return
    for n, line in enumerate(d.text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield IngestError(where, "invalid JSON (nested too deeply)")
            continue
        if not isinstance(rec, dict):
            yield IngestError(where, "a line must hold a JSON object")
            continue
        doc_id, text = rec.get("doc_id"), rec.get("text")
        if not isinstance(doc_id, str) or not doc_id.strip():
            yield IngestError(where, "missing or empty 'doc_id' (must be a non-empty string)")
            continue
        doc_id = clean_name(doc_id.strip())
        if not isinstance(text, str):
            yield IngestError(where, "missing 'text' (must be a string)", doc_id)
            continue
        sha = hashlib.sha256(line.encode("utf-8", "surrogatepass")).hexdigest()
        repairs = list(d.repairs)
        fields = {k: _optional_str(rec, k, repairs) for k in ("title", "published", "url", "source")}
        try:
            yield _finish(doc_id, fields["source"] or where, sha, text, "jsonl", d.encoding,
                          title=fields["title"], published=fields["published"],
                          url=fields["url"], repairs=repairs)
        except IngestError as exc:
            yield IngestError(where, exc.message, doc_id)
        except Exception as exc:  # noqa: BLE001  one bad line must not lose the lines after it
            yield IngestError(where, f"could not be read ({type(exc).__name__}: {exc})", doc_id)


def _read_file(path: Path, source: str, fmt: str) -> Iterator[Release | IngestError]:
    try:
        size = path.stat().st_size
        if size > settings()["max_file_bytes"]:
            yield IngestError(source, f"file over the size limit ({size:,} bytes > "
                                      f"{settings()['max_file_bytes']:,})", path.stem)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(source, f"cannot read file ({exc.strerror or exc})", path.stem)
        return
    if fmt == "jsonl":
        yield from read_jsonl(path, source, data)
        return
    try:
        if fmt == "timeml":
            from pipeline.ingest.timeml import read_timeml  # imports this module
            yield read_timeml(path, source, data)
            return
        yield read_txt(path, source, data) if fmt == "txt" else read_html(path, source, data)
    except IngestError as exc:
        yield exc


def read_path(path: Path, source: str | None = None) -> Iterator[Release | IngestError]:
    """Read one file; yield its releases, or errors for what cannot be read.

    Never raises: an unexpected failure of a reader (a parser library choking on a hostile
    page) becomes an error for that file, after the releases it already gave.
    """
    source = clean_name(source or str(path))
    doc_id = clean_name(path.stem)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        yield IngestError(source, f"unsupported file type {clean_name(path.suffix) or '(none)'!r} "
                                  f"(expected {', '.join(sorted(SUFFIXES))})", doc_id)
        return
    try:
        for item in _read_file(path, source, fmt):
            if isinstance(item, IngestError) and item.doc_id is not None:
                item.doc_id = clean_name(item.doc_id)
            yield item
    except Exception as exc:  # noqa: BLE001  one hostile file must not stop the run
        yield IngestError(source, f"could not be read ({type(exc).__name__}: {exc})", doc_id)


def collect_paths(paths: list[Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand folders to their release files (sorted); name what cannot be found.

    Inside a folder, hidden folders (``.git``, ``.cache``, ``.ipynb_checkpoints``: copies and
    caches) are not walked, and a hidden release file (``._x.txt`` of macOS, ``..x.txt``) is
    skipped with an error saying so, so nothing is left out silently. A file named on the
    command line is read whatever its name.
    """
    files: list[Path] = []
    errors: list[IngestError] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                parts = f.relative_to(p).parts
                if f.suffix.lower() not in SUFFIXES or any(d.startswith(".") for d in parts[:-1]) \
                        or not f.is_file():
                    continue
                if parts[-1].startswith("."):
                    errors.append(IngestError(clean_name(str(f)), "hidden file skipped (names "
                                              "starting with '.' are not read from folders; name "
                                              "the file itself to read it)", clean_name(f.stem)))
                    continue
                files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            errors.append(IngestError(clean_name(str(p)), "no such file or folder", clean_name(p.stem)))
    return files, errors
