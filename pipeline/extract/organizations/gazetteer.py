"""The gazetteer of known organizations, and phrase lookup of names by their merge keys.

UN-system and other international organizations are found in a release by name (case,
spelling and ``UN``/``United Nations`` variants folded, see :func:`name_key`) or by acronym.
The data is ``resources/org_gazetteer.jsonl`` (documented in ``org_gazetteer.md``).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.extract.organizations.abbreviations import (
    acronym_key,
    acronyms_regex,
    is_acronym_like,
    is_title_word,
)
from pipeline.extract.organizations.vocabulary import (
    clean_surface,
    name_key,
    word_key_tuple,
    word_keys,
)
from pipeline.extract.organizations.words import ReleaseText, Word, text_words, words
from pipeline.resources import load_jsonl

GAZETTEER_FILE = "org_gazetteer.jsonl"

# --------------------------------------------------------------------------- gazetteer

@dataclass(frozen=True)
class GazEntry:
    """One organization of the gazetteer."""

    id: str
    name: str
    acronym: str | None
    variants: tuple[str, ...]
    umbrella: bool
    region: bool = False  # a union of states also named as a place ("across the EU")
    name_like: bool = False  # the acronym in title case is a personal name ("Greta")


def _key_sequence(text: str) -> list[tuple[str, bool]]:
    """(key, capitalized) pairs of a name, with "," kept and "the" dropped, for matching."""
    out: list[tuple[str, bool]] = []
    ws = words(text)
    for i, w in enumerate(ws):
        if i and text[ws[i - 1].end:w.start].strip() == ",":
            out.append((",", False))
        for k in word_keys(w.text):
            if k != "the":
                out.append((k, is_title_word(w.text)))
    return out


def title_case_acronym(acronym: str) -> str | None:
    """The acronym as house styles that treat it as a word write it ("Unicef", "eu-Lisa").

    British and EU house styles write an acronym of four or more letters that is said as a
    word in title case. Returns None when no part changes (short or already mixed case).
    """
    parts = re.split(r"([-/ ])", acronym)
    out = [p[0] + p[1:].lower() if len(p) >= 4 and p.isalpha() and p.isupper() else p
           for p in parts]
    variant = "".join(out)
    return variant if variant != acronym else None


@dataclass
class TextKeys:
    """Keys of a text's words, with separators, for phrase matching by key sequence."""

    keys: list[str]
    caps: list[bool]
    spans: list[tuple[int, int]]


def text_keys(text: str) -> TextKeys:
    """Key every word of ``text``; punctuation between words becomes a separator key.

    A comma stays a "," key (some official names contain one); any other punctuation or a
    line break becomes "|", which no name contains, so no match crosses it.
    """
    keys: list[str] = []
    caps: list[bool] = []
    spans: list[tuple[int, int]] = []
    prev: Word | None = None
    for w in text_words(text):
        if prev is not None:
            gap = text[prev.end:w.start]
            if gap != " ":  # the usual single space separates nothing
                sep = gap.strip(" \t\u00a0")
                if "\n" in gap or (sep and sep != ","):
                    keys.append("|"), caps.append(False), spans.append((prev.end, w.start))
                elif sep == ",":
                    keys.append(","), caps.append(False), spans.append((prev.end, w.start))
        word_keys_ = word_key_tuple(w.text)
        if word_keys_:
            cap, span = is_title_word(w.text), (w.start, w.core_end)
            for k in word_keys_:
                if k != "the":
                    keys.append(k), caps.append(cap), spans.append(span)
        prev = w
    return TextKeys(keys, caps, spans)


class PhraseIndex:
    """Names indexed by key sequence; finds them in a text, longest match first.

    Hand-written rather than spaCy's PhraseMatcher: both give the same matches (the keys
    fold spelling, plurals and ``UN``, so a matcher needs a Doc of keys built per release,
    plus the capitalization check and leftmost-longest choice after it), but over the 65
    seed and dev releases the gazetteer lookup took 17.6 ms here against 74.9 ms with a
    PhraseMatcher on ORTH of the key Doc; and the per-release index of defined long forms
    would pay the matcher's set-up for every release.
    """

    def __init__(self) -> None:
        self.patterns: dict[tuple[str, ...], list[tuple[str, tuple[bool, ...]]]] = {}
        self.max_len = 0
        # first key → lengths of the names that start with it, longest first: a text position
        # is tried only with lengths that can match there
        self.lengths: dict[str, list[int]] = {}

    def add(self, name: str, value: str) -> None:
        """Index ``name`` so that a match returns ``value``."""
        seq = _key_sequence(name)
        if not seq:
            return
        keys = tuple(k for k, _ in seq)
        self.patterns.setdefault(keys, []).append((value, tuple(c for _, c in seq)))
        self.max_len = max(self.max_len, len(keys))
        lengths = self.lengths.setdefault(keys[0], [])
        if len(keys) not in lengths:
            lengths.append(len(keys))
            lengths.sort(reverse=True)

    def find(self, text: str, tk: TextKeys | None = None) -> list[tuple[int, int, str]]:
        """(start, end, value) for each non-overlapping match, leftmost-longest.

        A capitalized word of the name must be capitalized in the text, so "general assembly"
        in lower case is not the General Assembly.
        """
        tk = tk or text_keys(text)
        out, i, n = [], 0, len(tk.keys)
        while i < n:
            hit = None
            for length in self.lengths.get(tk.keys[i], ()):
                if length > n - i:
                    continue
                cands = self.patterns.get(tuple(tk.keys[i:i + length]))
                if not cands:
                    continue
                for value, caps in cands:
                    if all(tk.caps[i + k] or not c for k, c in enumerate(caps)):
                        hit = (length, value)
                        break
                if hit:
                    break
            if hit:
                length, value = hit
                out.append((tk.spans[i][0], tk.spans[i + length - 1][1], value))
                i += length
            else:
                i += 1
        return out


def entries_of(records: Iterable[dict]) -> list[GazEntry]:
    """Gazetteer entries of JSON records (``id``, ``name``, optional ``acronym``, ``variants``
    and flags); records whose keys start with "_" are headers."""
    return [GazEntry(rec["id"], rec["name"], rec.get("acronym"),
                     tuple(rec.get("variants", ())), bool(rec.get("umbrella")),
                     bool(rec.get("region")), bool(rec.get("name_like")))
            for rec in records if not any(k.startswith("_") for k in rec)]


def read_user_gazetteer(path: str | Path) -> list[dict]:
    """A user's gazetteer file, JSON lines in the shipped format; a record needs ``name``, and
    ``id`` defaults to ``user:<name>``."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(rec, dict) or not (rec.get("name") or any(k.startswith("_") for k in rec)):
                raise ValueError(f"{path}:{n}: a record needs a 'name'")
            if "name" in rec:
                rec.setdefault("id", f"user:{rec['name']}")
            records.append(rec)
    return records


class Gazetteer:
    """Known organizations, looked up by name key or acronym, and found in text."""

    def __init__(self, entries: Iterable[GazEntry]) -> None:
        self.entries: dict[str, GazEntry] = {}
        self.by_name: dict[str, str] = {}
        self.by_acronym: dict[str, str] = {}
        self.index = PhraseIndex()
        for e in entries:
            self.entries[e.id] = e
            for name in (e.name, *e.variants):
                self.by_name.setdefault(name_key(name), e.id)
                self.index.add(name, e.id)
            if e.acronym:
                self.by_acronym.setdefault(acronym_key(e.acronym), e.id)
        spellings = {e.acronym for e in self.entries.values() if e.acronym}
        spellings |= {t for e in self.entries.values() if e.acronym and not e.name_like
                      for t in [title_case_acronym(e.acronym)] if t}
        acronyms = sorted(spellings, key=len, reverse=True)
        self.acronym_re = acronyms_regex(acronyms)

    @classmethod
    def from_jsonl(cls, name: str) -> Gazetteer:
        """Read a JSON-lines resource; records whose keys start with "_" are headers."""
        return cls(entries_of(load_jsonl(name)))

    def extended(self, records: Iterable[dict]) -> Gazetteer:
        """This gazetteer plus more records (a user's own organizations); a record whose id
        is already known replaces the shipped one."""
        more = entries_of(records)
        ids = {e.id for e in more}
        return Gazetteer([*(e for e in self.entries.values() if e.id not in ids), *more])

    def entry_for(self, surface: str) -> str | None:
        """Gazetteer id for a name, variant or acronym as written, else None."""
        s = clean_surface(surface)
        if not s:
            return None
        hit = self.by_acronym.get(acronym_key(s)) if is_acronym_like(s) else None
        return hit or self.by_name.get(name_key(s)) or (
            self.by_acronym.get(acronym_key(s)) if " " not in s else None)

    def find_acronyms(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, id) of gazetteer acronyms in ``text``; all-caps lines are skipped.

        Each line is judged once, however many acronyms it holds: a page of one 100 KB line
        in capitals made this quadratic when every match looked its line up again."""
        if self.acronym_re is None:
            return []
        out = []
        line: tuple[int, int, bool] | None = None  # start, end, do its acronyms count
        for m in self.acronym_re.finditer(text):
            pos = m.start()
            if line is None or pos > line[1]:
                start = text.rfind("\n", 0 if line is None else line[1], pos) + 1
                end = text.find("\n", pos)
                end = len(text) if end < 0 else end
                counts = not _shouting_start(text, start) or self._acronym_list_line(text, start, end)
                line = (start, end, counts)
            if not line[2] or self._in_caps_phrase(text, m.start(), m.end()):
                continue
            gid = self.by_acronym.get(acronym_key(m.group()))
            if gid:
                out.append((m.start(), m.end(), gid))
        return out

    def _acronym_list_line(self, text: str, line_start: int, line_end: int) -> bool:
        """True when every word in capitals on the line is a known acronym: a tag line
        ("UNHCR , OCHA , WHO"), not a heading in capitals."""
        caps = [w.text for w in words(text, line_start, line_end) if w.text.isupper()]
        return bool(caps) and all(acronym_key(w) in self.by_acronym for w in caps)

    def _in_caps_phrase(self, text: str, start: int, end: int) -> bool:
        """True when a neighbouring word is capitals but no known acronym: "WHO WE ARE"."""
        prev = re.search(r"([A-Za-z]+)[ \t]+$", text[max(0, start - 30):start])
        nxt = re.match(r"[ \t]+([A-Za-z]+)", text[end:end + 30])
        for m in (prev, nxt):
            if m and len(m.group(1)) > 1 and m.group(1).isupper() \
                    and acronym_key(m.group(1)) not in self.by_acronym:
                return True
        return False


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once."""
    return Gazetteer.from_jsonl(GAZETTEER_FILE)


def is_shouting_line(text: str, pos: int) -> bool:
    """True when the line around ``pos`` is mostly capitals ("WHO WE ARE"): acronyms there
    are not acronyms."""
    return _shouting_start(text, text.rfind("\n", 0, pos) + 1)


def _shouting_start(text: str, line_start: int) -> bool:
    """``is_shouting_line`` for the line that starts at ``line_start``."""
    starts = (text.derived("shouting_lines", shouting_line_starts)
              if isinstance(text, ReleaseText) else shouting_line_starts(text))
    return line_start in starts


def shouting_line_starts(text: str) -> frozenset[int]:
    """Start offsets of the lines of ``text`` whose words are mostly capitals.

    The release's words are read once and dealt out to lines (no word spans a line break).
    """
    starts, pos = set(), 0
    all_words, k = text_words(text), 0
    for line in text.split("\n"):
        line_end = pos + len(line)
        ws = []
        while k < len(all_words) and all_words[k].start < line_end:
            word = all_words[k].text
            if word.isalpha() or any(c.isalpha() for c in word):
                ws.append(word)
            k += 1
        if len(ws) >= 3 and sum(w.isupper() for w in ws) / len(ws) >= 0.6:
            starts.add(pos)
        pos = line_end + 1
    return frozenset(starts)


