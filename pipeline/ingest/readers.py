"""Read releases from .txt, .jsonl and .html files into ``Release`` records.

Why a module of its own: everything downstream needs the same normalized text (offsets point
into it), and bad input must be stopped here with a clear reason instead of crashing a stage.
Decoding lives in ``decode.py``, the title/dateline/date reading in ``header.py``; this
module picks a reader by the file's suffix and turns each file into releases or errors.

- ``.txt``: UTF-8; a UTF-8/UTF-16 byte-order mark is honoured; otherwise cp1252 is the
  fallback. The encoding used is recorded.
- ``.jsonl``: one release per line with ``doc_id`` and ``text``, optionally ``title``,
  ``published``, ``source``, ``url``. A bad line is skipped on its own.
- ``.html``/``.htm``: main text by trafilatura; title and date from the page's metadata.

Limits (``resources/ingest.json``): files over ``max_file_bytes`` (5 MB) and releases over
``max_release_chars`` (1 million characters) are skipped, as are empty, binary (NUL bytes or
many control characters) and undecodable files.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from typing import NamedTuple
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipeline.ingest.decode import (  # noqa: F401
    Decoded,
    clean_name,
    control_char_count,
    decode_bytes,
    decode_release,
    normalize_text,
    settings,
)
from pipeline.ingest.header import (
    Header,
    infer_reference_date,
    parse_header,
    with_metadata,
)

SUFFIXES = {".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html",
            ".tml": "timeml"}


class IngestError(Exception):
    """A release that cannot be read; ``source`` and ``doc_id`` say which."""

    def __init__(self, source: str, message: str, doc_id: str | None = None):
        super().__init__(f"{source}: {message}")
        self.source, self.message, self.doc_id = source, message, doc_id


@dataclass
class Release:
    """One press release, ready for the spaCy pipeline.

    The header (title, dateline, stated date) and the reference date are read from the text
    when first asked for, not when the file is read: a run reads its inputs in one process,
    then parses them in its workers, so they read the headers in parallel too."""

    doc_id: str
    source: str
    sha256: str
    text: str
    format: str
    encoding: str | None = None
    url: str | None = None
    given_title: str | None = None      # stated outside the text (JSON field, HTML metadata)
    given_published: str | None = None  # likewise; both win over what the text's top says
    repairs: list[str] = field(default_factory=list)  # what ingest fixed ("3 NUL byte(s) removed")
    location: str | None = None  # file:line of a JSONL record, whatever its own ``source`` says

    @cached_property
    def header(self) -> Header:
        """What the top of the text says; a header that cannot be read (a bug on a hostile
        text) leaves the release without one, noted in ``repairs``: its body is still read."""
        try:
            return with_metadata(parse_header(self.text), self.text, self.given_title,
                                 self.given_published)
        except Exception as exc:  # noqa: BLE001
            self.repairs.append(f"header not read ({type(exc).__name__}: {exc})")
            return Header()

    @cached_property
    def reference(self) -> tuple[str | None, str | None]:
        """The date relative expressions resolve against, and where it came from."""
        header = self.header
        try:
            return infer_reference_date(self.text, header.published, header.widget_ranges)
        except Exception as exc:  # noqa: BLE001  as for the header
            self.repairs.append(f"reference date not read ({type(exc).__name__}: {exc})")
            return None, None

    @property
    def reference_date(self) -> str | None:
        return self.reference[0]

    @property
    def reference_source(self) -> str | None:
        return self.reference[1]

    @property
    def title(self) -> str | None:
        return self.header.title

    @property
    def dateline(self) -> str | None:
        return self.header.dateline

    @property
    def published(self) -> str | None:
        return self.header.published


def check_text(text: str, source: str) -> None:
    """Reject empty and binary-looking text with a reason naming the file."""
    if not text.strip():
        raise IngestError(source, "empty release (no text)")
    if len(text) > settings()["max_release_chars"]:
        raise IngestError(source, f"release over the size limit ({len(text):,} characters > "
                                  f"{settings()['max_release_chars']:,})")
    controls = control_char_count(text)
    if controls / len(text) > settings()["max_control_char_ratio"]:
        raise IngestError(source, f"binary file (too many control characters: {controls:,} of "
                                  f"{len(text):,})")


def _finish(doc_id: str, source: str, sha: str, text: str, fmt: str, encoding: str | None,
            title: str | None = None, published: str | None = None,
            url: str | None = None, repairs: list[str] | None = None) -> Release:
    text = normalize_text(text)
    check_text(text, source)
    return Release(doc_id=clean_name(doc_id), source=clean_name(source), sha256=sha, text=text,
                   format=fmt, encoding=encoding, url=clean_name(url) if url else None,
                   given_title=normalize_text(title) if title else None, given_published=published,
                   repairs=list(repairs or []))


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
            release = _finish(doc_id, fields["source"] or where, sha, text, "jsonl", d.encoding,
                              title=fields["title"], published=fields["published"],
                              url=fields["url"], repairs=repairs)
            release.location = where
            yield release
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


def doc_id_for(path: Path, root: Path | None = None) -> str:
    """The doc_id of a .txt/.html release: the file name without its suffix, preceded by the
    folders between ``root`` (the input folder) and the file, joined with ``__``.

    ``x.txt`` at the root is ``x``; ``a/x.txt`` is ``a__x``, so two ``x.txt`` in different
    folders stay apart, and the id is still a plain file name (the gold file ``a__x.json``).
    """
    rel = path.relative_to(root).parts if root is not None else (path.name,)
    return doc_id_of(rel)


def doc_id_of(rel: tuple[str, ...], stem: str | None = None) -> str:
    """The doc_id of a file from its path parts below the input folder (``doc_id_for``);
    ``stem``: the file name's, when already split off."""
    if stem is None:
        stem = split_suffix(rel[-1])[0]
    return clean_name("__".join([*rel[:-1], stem]))


def split_suffix(name: str) -> tuple[str, str]:
    """``os.path.splitext`` of a file name (no folder part), with the suffix lower-cased:
    ``("x", ".txt")`` for ``x.TXT``, no suffix for ``.bashrc`` or ``..x``. Written out because
    a run calls it for every file of a 100,000-release folder."""
    i = name.rfind(".")
    if i <= 0 or not name[:i].lstrip("."):
        return name, ""
    return name[:i], name[i:].lower()


def read_path(path: Path, source: str | None = None,
              root: Path | None = None) -> Iterator[Release | IngestError]:
    """Read one file; yield its releases, or errors for what cannot be read.

    ``root`` is the input folder the file was found in (see ``doc_id_for``); a JSONL
    record keeps its own ``doc_id``. Never raises: an unexpected failure of a reader (a
    parser library choking on a hostile page) becomes an error for that file, after the
    releases it already gave.
    """
    source = clean_name(source or str(path))
    doc_id = doc_id_for(path, root)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        yield IngestError(source, f"unsupported file type {clean_name(path.suffix) or '(none)'!r} "
                                  f"(expected {', '.join(sorted(SUFFIXES))})", doc_id)
        return
    try:
        for item in _read_file(path, source, fmt):
            if isinstance(item, IngestError) and item.doc_id is not None:
                item.doc_id = clean_name(item.doc_id)
            if fmt != "jsonl" and item.doc_id is not None:
                item.doc_id = doc_id
            yield item
    except Exception as exc:  # noqa: BLE001  one hostile file must not stop the run
        yield IngestError(source, f"could not be read ({type(exc).__name__}: {exc})", doc_id)


class Found(NamedTuple):
    """A file found in an input folder: its path, its path parts below the folder, the
    size and modification time of its ``stat`` (taken once, while walking), and its name
    split as ``split_suffix`` does (done once, too)."""

    path: str
    rel: tuple[str, ...]
    size: int
    mtime_ns: int
    stem: str
    suffix: str


def scan_folder(folder: Path) -> tuple[list[Found], list[Found], list[Found]]:
    """One walk of an input folder: (release files, hidden release files, other files),
    each in path order. Hidden folders (``.git``, ``.cache``…) are not walked.

    ``os.scandir`` with plain strings and one ``stat`` per file, because a corpus folder may
    hold 100,000 releases, and ``Path.rglob`` plus ``relative_to`` and ``is_file`` per file
    cost seconds there.
    """
    groups: tuple[list[Found], list[Found], list[Found]] = ([], [], [])
    stack: list[tuple[str, tuple[str, ...]]] = [(str(folder), ())]
    while stack:
        top, prefix = stack.pop()
        try:
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir():
                    if not name.startswith("."):
                        stack.append((entry.path, (*prefix, name)))
                    continue
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:
                continue
            found = Found(entry.path, (*prefix, name), st.st_size, st.st_mtime_ns,
                          *split_suffix(name))
            if found.suffix not in SUFFIXES:
                if not name.startswith("."):
                    groups[2].append(found)
            else:
                groups[1 if name.startswith(".") else 0].append(found)
    for group in groups:
        group.sort(key=lambda f: f.rel)
    return groups


def hidden_file(path: Path) -> IngestError:
    """The error of a hidden release file found in a folder (it is not read)."""
    return IngestError(clean_name(str(path)), "hidden file skipped (names starting with '.' "
                       "are not read from folders; name the file itself to read it)",
                       clean_name(path.stem))


def find_files(p: Path) -> tuple[list[Found], list[IngestError], list[Found]]:
    """What one input path names: (release files, errors, files that are no release).

    A folder is walked (``scan_folder``; a hidden release file there is an error); a file
    named on its own is read whatever its name; a path that is neither is an error."""
    if p.is_dir():
        found, hidden, other = scan_folder(p)
        return found, [hidden_file(Path(f.path)) for f in hidden], other
    try:
        st = p.stat() if p.is_file() else None
    except OSError:
        st = None
    if st is None:
        return [], [IngestError(clean_name(str(p)), "no such file or folder", clean_name(p.stem))], []
    return [Found(str(p), (p.name,), st.st_size, st.st_mtime_ns, *split_suffix(p.name))], [], []


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
        found, problems, _ = find_files(p)
        files.extend(Path(f.path) for f in found)
        errors.extend(problems)
    return files, errors
