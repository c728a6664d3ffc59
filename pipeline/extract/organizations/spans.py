"""Span rules: where an organization's name starts and ends in the text (pure functions).

The small English model truncates long agency names and runs names into titles, places and
the next conjunct. These rules cut and extend a span on the plain text: capitalized runs,
person titles before a name, coordination, trailing places, truncated ``of/for/against``
phrases; and decide whether a repaired model span still names an organization.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pipeline.extract.organizations.abbreviations import (
    is_acronym_like,
    is_connector,
    is_name_internal_possessive,
    is_title_word,
)
from pipeline.extract.organizations.gazetteer import Gazetteer, gazetteer
from pipeline.extract.organizations.vocabulary import classify_name, is_role_word, vocab
from pipeline.extract.organizations.words import (
    ReleaseText,
    Word,
    strip_possessive,
    text_words,
    words,
    words_in_line_after,
)

POSSESSIVE_CLITIC_RE = re.compile(r"[’']s\s+")
IDENTIFIER_RE = re.compile(r"\w/\w*\d|\d/\w")  # document symbols: "UNIS/CP/900", "61/180"
SPLIT_RE = re.compile(r"[\n:;,()“”\"|•]")
SPLIT_SLASH_RE = re.compile(r"[\n:;,()“”\"|•/]")


def strip_title_prefix(text: str, start: int, end: int) -> int:
    """New start after a leading person title: "Founder of the Walk Free Foundation" → "Walk
    Free Foundation"; "Executive Director of the United Nations Office …" → "United …".

    Repeats for chained titles ("Special Representative of the Secretary-General on …").
    """
    v = vocab()
    while True:
        ws = words(text, start, end)
        i = 0
        while i < len(ws) and ws[i].text.lower() in v.determiners:
            i += 1
        j = i
        while j < len(ws) and (is_role_word(ws[j].text) or (j > i and ws[j].text.lower() == "and")):
            j += 1
        if j == i or j >= len(ws) or ws[j].text.lower() not in v.head_connectors | {"at"}:
            return start
        k = j + 1
        while k < len(ws) and ws[k].text.lower() in v.determiners:
            k += 1
        if k >= len(ws):
            return start
        start = ws[k].start


def split_coordination(text: str, start: int, end: int) -> int:
    """New end before " and X" when the left part is already a whole organization.

    "LIBE Committee and Oleksii Serhieiev" → "LIBE Committee"; "IOM and UNHCR" → "IOM";
    "X Network of … and the Y Platform" → "X Network of …"; "Ministry of Social Affairs and
    Jane Doe" → "Ministry of Social Affairs". "Office on Drugs and Crime", "Office for
    Democratic Institutions and Human Rights" and "Human Trafficking and Migrant Smuggling
    Section" stay whole: what follows "and" there is a topic, or the left part is no name.
    """
    v = vocab()
    ws = words(text, start, end)
    for i, w in enumerate(ws):
        if w.text.lower() not in ("and", "&") or i == 0 or i == len(ws) - 1:
            continue
        left = ws[i - 1].text
        right_first = ws[i + 1].text
        left_complete = is_acronym_like(left) or strip_possessive(left).lower() in v.org_heads
        right_new = (right_first.lower() in v.determiners or is_acronym_like(right_first)
                     or classify_name(text[ws[i + 1].start:end]) not in ("org", "topic"))
        if left_complete and right_new:
            return ws[i - 1].end
        left_org = classify_name(text[start:ws[i - 1].end]) == "org"
        if left_org and (right_first.lower() == "the" or is_acronym_like(right_first)):
            return ws[i - 1].end  # "EU Network of … Rapporteurs and the EU Civil Society Platform"
        nxt_and = next((k for k in range(i + 1, len(ws)) if ws[k].text.lower() in ("and", "&")),
                       len(ws))
        right = text[ws[i + 1].start:ws[nxt_and - 1].end]
        if left_org and nxt_and - i - 1 >= 2 and classify_name(right) not in ("topic", "place"):
            return ws[i - 1].end  # "Ministry of Social Affairs and Jane Doe"
    return end


@cache
def max_place_words() -> int:
    """Most words a place name of the vocabulary has: a longer tail of a name is no place,
    so the trimming steps below never join more words than this (joining every tail of a
    long capitalized run made them quadratic)."""
    return max((max(len(p.split()), len(words(p))) for p in vocab().places), default=0)


def trim_place_phrase(text: str, start: int, end: int, gaz: Gazetteer,
                      blocked_starts: frozenset[int] = frozenset()) -> int:
    """New end before a trailing "in <place>": "Department of State in Washington" →
    "Department of State". "Organization for Security and Co-operation in Europe" keeps its
    place when the whole is a known name."""
    ws = words(text, start, end)
    longest = max_place_words()
    for i in range(1, len(ws) - 1):
        if ws[i].text not in ("in", "at"):
            continue
        place = len(ws) - i - 1 <= longest and \
            " ".join(w.core for w in ws[i + 1:]).lower() in vocab().places
        if (place or ws[i + 1].start in blocked_starts) and \
                not gaz.entry_for(text[start:end]):
            return ws[i - 1].end
    return end


def trim_trailing_place(text: str, start: int, end: int, gaz: Gazetteer) -> int:
    """New end without a trailing place after a known organization: "UNICEF Albania" → "UNICEF"."""
    ws = words(text, start, end)
    for cut in range(len(ws) - 1, max(0, len(ws) - 1 - max_place_words()), -1):
        tail = " ".join(w.text for w in ws[cut:]).lower()
        head = text[start:ws[cut - 1].end]
        if is_connector(ws[cut - 1].text):
            continue  # the place completes the name: "Office of the Prosecutor of Ruritania"
        if tail in vocab().places and (is_acronym_like(head) or gaz.entry_for(head)):
            return ws[cut - 1].end
    return end


def strip_sentence_opener(text: str, start: int, end: int) -> int:
    """New start past a sentence's first word and its "for/of … the" when that word is no
    organization head: "Funding for the Alliance X" → "Alliance X".

    A capitalized run that begins a sentence or a bullet has its first word capitalized by
    position only; "Office for the …" keeps its head.
    """
    before = text[max(0, start - 8):start]
    if start and not re.search(r"(^|[\n.!?•·*\-–—]\s*)(?:[Tt]he\s+)?$", before):
        return start
    ws = words(text, start, end)
    v = vocab()
    if len(ws) < 4 or ws[0].text.lower() in v.org_heads | v.person_titles or \
            ws[1].text.lower() not in v.head_connectors or ws[2].text.lower() != "the":
        return start
    if classify_name(text[ws[3].start:end]) == "org":
        return ws[3].start  # "Role of The Crown Prosecution Service" in a headline
    if classify_name(text[start:end]) in ("org", "agent"):
        return start
    return ws[3].start


def next_conjunct(text: str, end: int, run_end: int) -> int:
    """Start of the next conjunct after a cut made by :func:`split_coordination` ("and the")."""
    ws = words(text, end, run_end)
    i = 0
    while i < len(ws) and ws[i].text.lower() in ("and", "&", "the"):
        i += 1
    return ws[i].start if 0 < i < len(ws) else run_end


def trim_country_suffix(text: str, start: int, end: int) -> int:
    """New end without a trailing country after an organization name: "Alliance X Vietnam" →
    "Alliance X" (a country office is its parent organization)."""
    ws = words(text, start, end)
    for cut in range(len(ws) - 1, max(1, len(ws) - 1 - max_place_words()), -1):
        tail = " ".join(w.text for w in ws[cut:]).lower()
        if is_connector(ws[cut - 1].text):
            continue  # the country completes the name: "High Court of Justice of Ruritania"
        if tail in vocab().places and classify_name(text[start:ws[cut - 1].end]) == "org":
            return ws[cut - 1].end
    return end


PURPOSE_RE = re.compile(r"[ \t]+against(?:[ \t]+[a-z][\w-]*)+")


def extend_lowercase_purpose(text: str, end: int) -> int:
    """New end that takes in a lowercase "against <topic>" completing a body's name.

    EU house style writes the purpose of a body in lower case: "EU Civil Society Platform
    against trafficking in human beings". The phrase is taken while its words are topic words
    or function words, and ends on a topic word; "in Brussels" stops it.
    """
    m = PURPOSE_RE.match(text, end)
    if not m:
        return end
    v = vocab()
    last = None
    for w in words(text, m.start(), m.end())[1:]:
        low = w.text.lower()
        if low in v.topic_words:
            last = w
        elif not is_connector(low) or low in ("the", "and"):
            break
    return last.core_end if last is not None else end


# --------------------------------------------------------------------------- runs and extension

def name_runs(text: str) -> list[tuple[int, int]]:
    """Maximal capitalized names in ``text`` (words and inner function words, same line).

    A possessive ends a run unless it belongs to the name ("Children’s"). Runs never start or
    end with a function word.
    """
    return list(_name_runs(text))


def _name_runs(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`name_runs`, read once per release: the pattern and apposition steps both walk
    the runs of the whole release, and :func:`enclosing_run` looks spans up in them."""
    if isinstance(text, ReleaseText):
        return text.derived("name_runs", lambda t: tuple(_runs_over(t, text_words(t))))
    return tuple(_runs_over(text, text_words(text)))


def _runs_over(text: str, ws: Iterable[Word]) -> list[tuple[int, int]]:
    """The runs of :func:`name_runs`, given the words of ``text``."""
    runs: list[tuple[int, int]] = []
    cur: list[Word] = []

    def flush() -> None:
        while cur and is_connector(cur[-1].text) and not is_title_word(cur[-1].text):
            cur.pop()
        while cur and is_connector(cur[0].text):
            cur.pop(0)
        if cur:
            runs.append((cur[0].start, cur[-1].core_end))
        cur.clear()

    for w in ws:
        if cur and text[cur[-1].end:w.start].strip(" \t\u00a0"):
            flush()
        elif cur and cur[-1].core != cur[-1].text and not is_name_internal_possessive(cur[-1].text):
            flush()
        if (is_title_word(w.text) and not is_weekday(w.text)) or (cur and is_connector(w.text)):
            cur.append(w)
        else:
            flush()
    flush()
    return runs


def is_weekday(word: str) -> bool:
    """A weekday after a name says when ("the Council on Tuesday"): never part of a name."""
    return strip_possessive(word).lower() in vocab().weekdays


@dataclass
class SpanContext:
    """What the component knows about the tokens around a span (from the parsed Doc)."""

    blocked_starts: frozenset[int] = frozenset()  # char offsets where a PERSON/GPE/DATE… starts
    place_starts: frozenset[int] = frozenset()  # char offsets where a GPE/LOC/FAC starts
    person_words: frozenset[str] = frozenset()  # words of PERSON entities
    person_starts: frozenset[int] = frozenset()  # char offsets inside PERSON entities
    lowercase_noun_starts: frozenset[int] = frozenset()  # where a lowercase common noun starts
    speech_verb_starts: frozenset[int] = frozenset()  # where a reporting verb ("said") starts


# Most words a name is extended by past the model's span: the longest name of the gazetteer
# has 19 words. A capitalized run of thousands of words (a table flattened by a PDF
# converter) is no name, and reading all of it after every candidate was quadratic.
MAX_EXTENSION_WORDS = 40
MAX_NAME_WORDS = 60  # longer capitalized stretches are never compared as names


def extend_span(text: str, start: int, end: int, ctx: SpanContext | None = None) -> int:
    """New end of a name the model cut short.

    - A name ending in a function word continues to the end of its capitalized run
      ("Group against" → "Group against Trafficking in Persons").
    - "of/for/on/against/to/in" + a capitalized word continues it, unless that word starts a
      person or a date, or is a place after "in" ("Office of the Special Representative" →
      "… of the Secretary-General on Violence against Children", "Regional Office for Europe",
      but not "Department of State in Washington"); once inside such a phrase, "and" does
      too ("Regional Office for West and Central Africa").
    - Contiguous capitalized words ending in a head word ("… Emergency Response" +
      "Mechanism") are the rest of the name.
    """
    ctx = ctx or SpanContext()
    v = vocab()
    after = words_in_line_after(text, end, MAX_EXTENSION_WORDS)
    cur = words(text, start, end)
    if not cur:
        return end
    new_end = end
    i = 0

    def contiguous(prev_end: int, w: Word) -> bool:
        return not text[prev_end:w.start].strip(" \t\u00a0")

    # 1. a trailing function word: the model stopped mid-name
    if is_connector(cur[-1].text) and not is_title_word(cur[-1].text):
        last_good = None
        prev_end = end
        while i < len(after) and contiguous(prev_end, after[i]):
            w = after[i]
            if not (is_title_word(w.text) or is_connector(w.text)):
                break
            if is_title_word(w.text):
                last_good = w
            prev_end = w.end
            i += 1
            if w.core != w.text:
                break
        if last_good is not None:
            return last_good.core_end
        trimmed = cur[:]
        while trimmed and is_connector(trimmed[-1].text):
            trimmed.pop()
        return trimmed[-1].core_end if trimmed else end
    if cur[-1].core != cur[-1].text:
        return end
    # 2. connector + capitalized word, repeatedly
    gentle = {"of", "for", "on", "against", "to", "in"}
    while i < len(after):
        j = i
        prev_end = new_end
        joiners = gentle | {"the"} | ({"and"} if new_end != end else set())
        while j < len(after) and contiguous(prev_end, after[j]) and after[j].text in joiners:
            prev_end = after[j].end
            j += 1
        if j == i or j >= len(after) or not contiguous(prev_end, after[j]):
            break
        if after[i].text == "the":
            break
        w = after[j]
        is_place = w.core.lower() in v.places or w.start in ctx.place_starts
        if (not is_title_word(w.text) or is_acronym_like(w.core) or is_weekday(w.text)
                or (w.start in ctx.blocked_starts and w.start not in ctx.place_starts)
                or (is_place and after[j - 1].text in ("in", "at"))):
            break
        k = j
        prev_end = after[j - 1].end
        while k < len(after) and contiguous(prev_end, after[k]) and is_title_word(after[k].text):
            prev_end = after[k].end
            k += 1
            if after[k - 1].core != after[k - 1].text:
                break
        new_end = after[k - 1].core_end
        i = k
        if after[k - 1].core != after[k - 1].text:
            return new_end
    # 3. contiguous capitalized words ending in a head word
    if new_end == end:
        k = 0
        prev_end = end
        tail: list[Word] = []
        while k < len(after) and contiguous(prev_end, after[k]) and is_title_word(after[k].text):
            if after[k].start in ctx.blocked_starts or after[k].core in ctx.person_words \
                    or is_weekday(after[k].text):
                break
            tail.append(after[k])
            prev_end = after[k].end
            k += 1
        if tail and (tail[-1].core.lower() in v.org_heads or tail[-1].core.lower() in v.non_org_heads):
            return tail[-1].core_end
    return new_end


def enclosing_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The capitalized run that contains ``text[start:end]`` (same line, spaces only).

    Looked up in the release's runs (:func:`name_runs`, which never cross a line), not by
    reading the line again for every span."""
    runs = _name_runs(text)
    k = bisect.bisect_right(_run_starts(text), start) - 1
    if k >= 0 and end <= runs[k][1]:
        return runs[k]
    return start, end


def _run_starts(text: str) -> list[int]:
    if isinstance(text, ReleaseText):
        return text.derived("run_starts", lambda t: [s for s, _ in _name_runs(t)])
    return [s for s, _ in _name_runs(text)]




def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Parts of an entity span between line breaks and punctuation, stripped of spaces.

    A slash splits too ("Press Release/News"), except inside an acronym ("G/TIP").
    """
    seg = text[start:end]
    splitter = SPLIT_RE if is_acronym_like(seg) else SPLIT_SLASH_RE
    bounds, pos = [], 0
    for m in splitter.finditer(seg):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(seg)))
    out = []
    for a, b in bounds:
        piece = seg[a:b]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + a + lead, start + a + len(piece.rstrip())
        if e > s:
            out.append((s, e))
    return out


def repair_span(text: str, start: int, end: int, gaz: Gazetteer | None = None,
                ctx: SpanContext | None = None) -> tuple[int, int] | None:
    """Fix an ORG span of the model: determiners, possessives, person titles, truncation.

    "the U.S. State Department’s" → "U.S. State Department"; "Founder of the Walk Free
    Foundation" → "Walk Free Foundation"; "the Human Trafficking and" → "Human Trafficking
    and Migrant Smuggling Section"; "LIBE Committee and Oleksii Serhieiev" → "LIBE
    Committee"; "UNICEF Albania" → "UNICEF". Returns None when nothing name-like is left.
    """
    v = vocab()
    gaz = gaz if gaz is not None else gazetteer()
    clitic = POSSESSIVE_CLITIC_RE.match(text, start, end)
    if clitic:  # the model's span began at the clitic of "the agency’s Executive Board"
        start = clitic.end()
    ws = words(text, start, end)
    for i, w in enumerate(ws):  # a weekday ends a name: "the Ministry Monday"
        if i and is_weekday(w.text):
            ws, end = ws[:i], ws[i - 1].end
            break
    for i, w in enumerate(ws):  # cut at the first possessive that is not part of the name
        if w.core != w.text and not is_name_internal_possessive(w.text):
            ws, end = ws[:i + 1], w.core_end
            break
    while ws and ws[0].text.lower() in v.determiners:
        ws.pop(0)
    for i, w in enumerate(ws):  # a name is capitalized: "… Section of the ministry" ends early
        if i and not (is_title_word(w.text) or is_connector(w.text)):
            ws = ws[:i]
            while ws and is_connector(ws[-1].text):
                ws.pop()
            kept = text[ws[0].start:ws[-1].end] if ws else ""
            if classify_name(kept) != "org" and not gaz.entry_for(kept):
                return None  # "Tier 2 Watch List" is no "Tier"
            break
    while ws and is_connector(ws[-1].text) and not is_title_word(ws[-1].text) and len(ws) > 1 \
            and ws[-1].end < end:
        ws.pop()
    if not ws:
        return None
    start, end = ws[0].start, min(end, ws[-1].end)
    end = extend_span(text, start, end, ctx)
    if classify_name(text[start:end]) == "org":
        end = extend_across_line(text, end)
    start = strip_title_prefix(text, start, end)
    end = split_coordination(text, start, end)
    end = trim_trailing_place(text, start, end, gaz)
    end = trim_place_phrase(text, start, end, gaz, ctx.blocked_starts if ctx else frozenset())
    ws = words(text, start, end)
    while ws and is_connector(ws[-1].text):  # "… Newsroom For" of a Title Case headline
        ws.pop()
    return (ws[0].start, ws[-1].core_end) if ws else None


LINE_CONTINUES_RE = re.compile(
    r"[ \t]+(?:and|of|for|on|against)[ \t]*\n[ \t]*(?=[A-Z])"
    r"|[ \t]*\n[ \t]*(?:and|of|for|on|against)[ \t]+(?=[A-Z])")


def extend_across_line(text: str, end: int) -> int:
    """New end of a name that a line break cut after (or before) a function word: "…
    Commission on Crime Prevention and⏎Criminal Justice". A line that ends in "and/of"
    (or starts with it) continues the sentence; the capitalized words there finish the name."""
    m = LINE_CONTINUES_RE.match(text, end)
    if not m:
        return end
    last, prev_end = None, m.end()
    for w in words_in_line_after(text, m.end(), MAX_EXTENSION_WORDS):
        if text[prev_end:w.start].strip(" \t\u00a0"):
            break
        if is_title_word(w.text) and not is_weekday(w.text):
            last = w
        elif not is_connector(w.text):
            break
        prev_end = w.end
        if w.core != w.text:
            break
    return last.core_end if last is not None else end
