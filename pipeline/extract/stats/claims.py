"""Numeric claims in press releases: the ``release_stats`` component (issue 7).

Why rules: releases state figures in a small set of written forms (``35 per cent``,
``one in three``, ``more than half``, ``nearly double``, ``US$ 1.75 million``,
``over 100,000 trafficked persons``); peer tools miss the ratio forms, drop the qualifier
or read years and phone numbers as quantities (shared/notes/peers.md). The component reads
each sentence token by token, recognizes the numeric expression and its qualifier from the
vocabulary in ``data/statistics.json``, rejects numbers that are not quantities (dates,
years, ordinals, list numbers, identifiers, phone numbers, footnotes, the determiner
``one``), then uses the dependency parse to name the subject (what is quantified) and the
cited source.

Layout, after scispaCy's abbreviation.py: pure helpers on tokens first, then the
extraction (:func:`extract_statistics`), then a thin factory. Results are plain dicts in
``Doc._.statistics`` so they survive ``Doc.to_bytes()`` and ``nlp.pipe(n_process=N)``.

Decisions (see also the module's tests):
- ``text`` is the minimal numeric expression with its qualifier and any scale, unit or
  currency word that belongs to the number (``approximately 35 percent``, ``over
  100,000``, ``one in three``, ``US$ 1.75 million``, ``25 years``). The counted noun is
  not in ``text``; it is the ``subject`` (gold.md; tests/gold/README.md decision 27).
- ``subject`` is a short noun phrase around the head noun (``identified victims of
  trafficking``): modifiers, one ``of`` complement and a bare coordinated plural are
  kept, so the gold head noun (decision 29) is always inside it when the head is right.
- ``the majority of`` / ``minority`` are not statistics by default (config
  ``include_majority``): they state no number and releases usually gloss them with a
  figure that is extracted itself. When enabled: value 0.5, qualifier over / under.
- ``half`` is 0.5 (ratio); ``halved`` is the multiple 0.5; ``half a million`` a count.
- European thousands separators: ``50.000`` is 50000 unless a scale word follows
  (``1.750 million``) or it is a percentage.
- Ranges (``10-15 per cent``, ``between 10 and 15``, ``from 0 to 25 years``, ``aged
  between 5 and 17``) give one row per end: ``10`` (value 10) and ``15 per cent`` (value
  15), each ``text`` the end as written, the unit word staying with the end that carries
  it. Why: a row holds one stated number, so ``value`` never hides half of a claim (one
  row with the lower bound made "10-15 per cent" look like "10 per cent" beside another
  release's "12 per cent"), filters such as ``value > 12`` see the upper end, and rows
  match annotators who mark every number (tests/gold/README.md, step 7). The two rows
  agree: same unit, qualifier, subject and source, adjacent offsets in one sentence; the
  row dicts also carry ``range_bound`` ``low`` / ``high`` (null outside ranges) to pair
  them again (an extra column once tables.py declares it).
  A scale word or currency written once covers both ends (``$2 to 3 million`` gives
  2,000,000 and 3,000,000).
- Ages are measures in years (``aged 5 to 17``, ``children under 18``, ``15 years old``,
  ``a 15-year-old girl``); the subject is the person described (``children``).
- A stated span of time is a duration, so a statistic (``the last five years``, ``within
  30 days``); frequencies (``every two years``) and time points (``two years ago``) are
  not. A duration without an ``of`` complement names what it measures from the parse:
  where the time is spent (``3 years in the process``), the noun it complements (``the
  results of the last five years``), the noun a participle or relative clause describes
  (``a time which could range from 0 to 25 years``), else the clause subject.
- A parenthetical share after an adjective (``more male (55 percent) than female
  victims``) is a share of the noun the adjective describes.
- ``thousands`` / ``hundreds`` / ``millions`` of X give 1000 / 100 / 1e6 (gold.md).
- A share or bare count that is the subject of its clause (``54 per cent are women``,
  ``27.6 million are in forced labour``) or is taken ``of these`` continues the
  population of the previous figure in the same or previous sentence: its subject is
  that figure's subject (the whole the share is taken of, decision 29).
- Hyphenated durations (``a three-day workshop``) are measures of the noun. Money names
  a subject only when it modifies or glosses a noun.
- A sentence cut by a hard line wrap (a line ending without punctuation, the next one
  starting in lower case) is read as one, so ``more`` / ``than 80`` keeps its qualifier.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.extract.extensions import doc_text, register
from pipeline.extract.stats.numerals import (
    abbreviation_value,
    fraction_denominator,
    is_dot_thousands,
    is_ordinal,
    is_year_like,
    load_vocab,
    multiple_value,
    normalize_qualifier,
    parse_digits,
    range_cut,
    ratio,
    round_value,
    scale_value,
    split_glued_scale,
    split_range,
    word_number,
    words_to_number,
)

register("statistics", default=None)

Vocab = Mapping[str, Any]

NOUNS = {"NOUN", "PROPN"}
DASHES = {"-", "\u2013", "\u2014"}
CLOSE_BRACKETS = {")", "]"}


# --------------------------------------------------------------------------------------
# Small value types
# --------------------------------------------------------------------------------------


@dataclass
class NumberRead:
    """A number phrase read from tokens ``start``..``end`` (exclusive)."""

    start: int
    end: int
    value: float
    is_digits: bool
    raw: str  # text of the first number token
    scaled: bool = False  # a scale word or abbreviation was applied (2.4 million, 5m)
    value_max: float | None = None  # upper end of a range
    split: tuple[int, int] | None = None  # range: (end char of the low end, start char of the high end)


@dataclass
class Stat:
    """A recognized statistic, in token indices of the Doc."""

    start: int  # first token of the text (qualifier included)
    end: int  # exclusive
    value: float
    unit: str
    qualifier: str | None
    anchor: int  # token that stands for the statistic in the parse
    kind: str  # percent | ratio | fraction | count | vague | multiple | currency | measure | age
    noun: int | None = None  # counted noun (counts) or the ratio's population noun
    value_max: float | None = None  # a range's upper end (the row of the high end)
    split: tuple[int, int] | None = None  # a range's (low end's end char, high end's start char)


# --------------------------------------------------------------------------------------
# Vocabulary helpers (pure)
# --------------------------------------------------------------------------------------


class PhraseList(list):
    """Phrases (lower-case token tuples, longest first) that also know their first and last
    words, so a token is compared only with the phrases that can start or end on it."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        super().__init__(phrases)
        self.by_first: dict[str, list[tuple[str, ...]]] | None = None
        self.by_last: dict[str, list[tuple[str, ...]]] | None = None
        if all(self):  # an empty phrase would match anywhere: no index then
            self.by_first, self.by_last = {}, {}
            for ph in self:
                self.by_first.setdefault(ph[0], []).append(ph)
                self.by_last.setdefault(ph[-1], []).append(ph)


def phrase_list(entries: Iterable[str]) -> list[tuple[str, ...]]:
    """Split vocabulary phrases into lower-case token tuples, longest first."""
    out = {tuple(e.lower().split()) for e in entries}
    return PhraseList(sorted(out, key=lambda ph: (-len(ph), ph)))


_PHRASE_CACHE: dict[tuple[int, str], list[tuple[str, ...]]] = {}


def _phrases(vocab: Vocab, key: str) -> list[tuple[str, ...]]:
    """Token tuples of the vocabulary list ``key``, built once per vocabulary."""
    ck = (id(vocab), key)
    if ck not in _PHRASE_CACHE:
        value = vocab[key]
        _PHRASE_CACHE[ck] = phrase_list(value.keys() if isinstance(value, Mapping) else value)
    return _PHRASE_CACHE[ck]


@dataclass
class TokenView:
    """Lexical attributes of a Doc's tokens as plain lists, read once per Doc.

    The recognizers look at the words around every token of a release; reading them through
    ``doc[k]`` built a Token object each time (hundreds of thousands per release).
    """

    doc: Doc
    text: list[str]
    lower: list[str]
    is_space: list[bool]
    is_punct: list[bool]


_last_view: TokenView | None = None


def token_view(doc: Doc) -> TokenView:
    """The :class:`TokenView` of ``doc``; the one of the Doc in hand is kept, so the
    helpers can ask for it without it being passed down."""
    global _last_view
    view = _last_view  # one read: safe if another thread switches Docs meanwhile
    if view is not None and view.doc is doc and len(view.lower) == len(doc):
        return view
    rows = [(t.text, t.lower_, t.is_space, t.is_punct) for t in doc]
    view = TokenView(doc, *(list(col) for col in zip(*rows))) if rows else \
        TokenView(doc, [], [], [], [])
    _last_view = view
    return view


def _words_from(doc: Doc, i: int, hi: int, n: int) -> list[int]:
    """Indices of up to ``n`` non-whitespace tokens from ``i`` on, before ``hi``."""
    return _nonspace_from(token_view(doc).is_space, i, hi, n)


def _nonspace_from(space: Sequence[bool], i: int, hi: int, n: int) -> list[int]:
    """:func:`_words_from` over the tokens' ``is_space`` flags."""
    out = []
    k = i
    while k < hi and len(out) < n:
        if not space[k]:
            out.append(k)
        k += 1
    return out


def _words_before(doc: Doc, i: int, lo: int, n: int) -> list[int]:
    """Indices of up to ``n`` non-whitespace tokens before ``i``, not before ``lo``, in order."""
    return _nonspace_before(token_view(doc).is_space, i, lo, n)


def _nonspace_before(space: Sequence[bool], i: int, lo: int, n: int) -> list[int]:
    """:func:`_words_before` over the tokens' ``is_space`` flags."""
    out = []
    k = i - 1
    while k >= lo and len(out) < n:
        if not space[k]:
            out.insert(0, k)
        k -= 1
    return out


def match_forward(doc: Doc, i: int, hi: int, phrases: Sequence[tuple[str, ...]]) -> int | None:
    """End (exclusive) of the longest phrase starting at token ``i``, or None.
    Line breaks inside a phrase are skipped (hard-wrapped text)."""
    if not phrases:
        return None
    view = token_view(doc)
    idxs = _nonspace_from(view.is_space, i, hi, len(phrases[0]))
    if not idxs or idxs[0] != i:
        return None
    lower = view.lower
    words = tuple(lower[k] for k in idxs)
    index = getattr(phrases, "by_first", None)
    for ph in (index.get(words[0], ()) if index is not None else phrases):
        n = len(ph)
        if len(words) >= n and words[:n] == ph:
            return idxs[n - 1] + 1
    return None


def match_backward(doc: Doc, i: int, lo: int, phrases: Sequence[tuple[str, ...]]) -> int | None:
    """Start of the longest phrase that ends just before token ``i`` (not before ``lo``)."""
    if not phrases:
        return None
    view = token_view(doc)
    idxs = _nonspace_before(view.is_space, i, lo, len(phrases[0]))
    lower = view.lower
    words = tuple(lower[k] for k in idxs)
    index = getattr(phrases, "by_last", None)
    if index is not None:
        candidates = index.get(words[-1], ()) if words else ()
    else:
        candidates = phrases
    for ph in candidates:
        n = len(ph)
        if len(words) >= n and words[len(words) - n:] == ph:
            return idxs[-n]
    return None


def phrase_text(doc: Doc, start: int, end: int) -> str:
    """The words of tokens ``start``..``end`` joined by single spaces."""
    return " ".join(t.text for t in doc[start:end] if not t.is_space)


# --------------------------------------------------------------------------------------
# Token-level tests (pure functions of a Doc and an index)
# --------------------------------------------------------------------------------------


def _lower(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _glued(doc: Doc, i: int) -> bool:
    """True if token ``i`` follows token ``i-1`` with no whitespace between."""
    return i > 0 and doc[i - 1].whitespace_ == ""


def line_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Character offsets of the line holding token ``i``."""
    text = doc_text(doc)
    idx = doc[i].idx
    start = text.rfind("\n", 0, idx) + 1
    end = text.find("\n", idx)
    return start, (len(text) if end == -1 else end)


def is_line_start(doc: Doc, i: int) -> bool:
    """True if only whitespace or a bullet stands before token ``i`` on its line."""
    start, _ = line_bounds(doc, i)
    before = doc_text(doc)[start:doc[i].idx]
    return before.strip(" \t\u00a0-\u2013\u2022*\u00b7>(") == ""


def is_month(doc: Doc, i: int, vocab: Vocab) -> bool:
    """True for a month name; ambiguous ones (``may``, ``march``) only when capitalized."""
    if not 0 <= i < len(doc):
        return False
    w = doc[i].lower_
    if w not in vocab["months"]:
        return False
    return w not in vocab["month_ambiguous"] or doc[i].text[:1].isupper()


def on_contact_line(doc: Doc, i: int, vocab: Vocab) -> bool:
    """True if token ``i`` is on a line that starts with a phone or contact cue."""
    start, end = line_bounds(doc, i)
    first = doc_text(doc)[start:end].strip().split(maxsplit=1)
    if not first:
        return False
    head = first[0].lower()
    return head in vocab["phone_cues"] or head.rstrip(":") in vocab["phone_cues"]


def is_digit_token(tok: Token) -> bool:
    """Digits only, or a ``+``-prefixed digit string (phone numbers)."""
    t = tok.text.lstrip("+")
    return t.isdigit()


_PHONE_CHUNK = re.compile(r"^\+?\(?\d+\)?(?:[-\u2013.]\d+){2,}$")


def in_phone_chunk(doc: Doc, start: int) -> bool:
    """True if the number lies in a space-free chunk of three or more digit groups
    joined by hyphens (``1-888-373-7888``), which is a phone number or a code."""
    text = doc_text(doc)
    idx = doc[start].idx
    lo = idx
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = idx
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    chunk = text[lo:hi].rstrip(".,;:)")
    return bool(_PHONE_CHUNK.match(chunk)) and ("-" in chunk or "\u2013" in chunk)


def in_digit_run(doc: Doc, start: int, end: int) -> bool:
    """True if the number is part of a phone-like run: three or more bare digit groups
    separated by spaces, or groups after a ``+`` prefix (``+35569 20 29 021``). Two
    groups are not enough (``In 2023 300 people ...``)."""
    if not is_digit_token(doc[start]):
        return False
    lo = start
    while lo > 0 and is_digit_token(doc[lo - 1]) and doc[lo - 1].whitespace_ == " ":
        lo -= 1
    hi = start + 1
    while hi < len(doc) and is_digit_token(doc[hi]) and doc[hi - 1].whitespace_ == " ":
        hi += 1
    return hi - lo >= 3 or any(doc[k].text.startswith("+") for k in range(lo, hi))


def is_footnote(doc: Doc, start: int, end: int) -> bool:
    """Footnote digits: glued to a word or bracket (``(ILO)1``) or in ``[1]``."""
    if start > 0 and _glued(doc, start):
        prev = doc[start - 1].text
        if prev[-1:].isalpha() or prev[-1:] in CLOSE_BRACKETS or prev.endswith("."):
            return True
    if 0 < start and end < len(doc) and doc[start - 1].text == "[" and doc[end].text == "]":
        return True
    return False


def is_list_number(doc: Doc, start: int, end: int) -> bool:
    """List numbering: ``1.`` or ``1)`` or ``(1)`` at a line start, or a lone ``(2)``."""
    nxt = doc[end].text if end < len(doc) else ""
    if is_line_start(doc, start) and nxt in {".", ")", ":"} and end - start == 1:
        return True
    if start > 0 and doc[start - 1].text == "(" and nxt == ")" and end - start == 1:
        return len(doc[start].text) <= 2
    return False


def has_label_before(doc: Doc, start: int, end: int, vocab: Vocab) -> bool:
    """Item numbering after a label noun (``Priority 1``, ``Tier 2``, ``Goal 8``).

    A label noun in lower case still counts when no noun follows the number (``in
    paragraph 4``); a capitalized one always does (``Tier 2 countries``).
    """
    if start == 0:
        return False
    prev = doc[start - 1]
    if prev.text == "." and start > 1 and not doc[start - 2].whitespace_:
        prev = doc[start - 2]  # "No. 182" split as No / . / 182
    if prev.lower_ in vocab["label_nouns"] or prev.lower_.rstrip(".") in vocab["label_nouns"]:
        if prev.text[:1].isupper():
            return True
        nxt = doc[end] if end < len(doc) else None
        return not (nxt is not None and nxt.pos_ in NOUNS and nxt.tag_ in {"NNS", "NNPS"})
    return False


def follows_proper_name(doc: Doc, start: int, end: int) -> bool:
    """A number right after a proper name with nothing counted after it is part of the
    name (``Windows 10``, ``Article 5``-like labels not in the vocabulary)."""
    if start == 0:
        return False
    prev = doc[start - 1]
    if prev.pos_ != "PROPN" or not prev.text[:1].isupper() or not prev.whitespace_:
        return False
    nxt = doc[end] if end < len(doc) else None
    return nxt is None or nxt.pos_ not in NOUNS | {"ADJ"}


def is_hyphen_compound(doc: Doc, end: int) -> bool:
    """``three-day``, ``24-hour``, ``15-year-old``, ``10-point``: a number glued by a hyphen
    to a following word is an adjective, not a claim (fractions and ``-fold`` are read
    before this test)."""
    if end + 1 >= len(doc) or doc[end].text not in DASHES or doc[end - 1].whitespace_ or doc[end].whitespace_:
        return False
    nxt = doc[end + 1]
    return nxt.is_alpha and word_number(nxt.text) is None


# --------------------------------------------------------------------------------------
# Reading numbers from tokens
# --------------------------------------------------------------------------------------


def _scale_after(doc: Doc, j: int, end: int, vocab: Vocab) -> tuple[float, int]:
    """A scale word or glued abbreviation at ``j`` (``million``, ``5m``): (factor, new j)."""
    if j < end:
        f = scale_value(doc[j].text, vocab)
        if f is not None:
            return f, j + 1
        if _glued(doc, j):
            f = abbreviation_value(doc[j].text.rstrip("."), vocab)
            if f is not None:
                return f, j + 1
    return 1.0, j


def read_digits(doc: Doc, i: int, end: int, vocab: Vocab) -> NumberRead | None:
    """A digit number at token ``i`` with its scale word (``2.4 million``, ``5m``, ``10-15``)."""
    t = token_view(doc).text[i]
    if not t[:1].isdigit() or is_ordinal(t) or "/" in t or ":" in t:
        return None
    rng = split_range(t)
    if rng is not None:
        cut = range_cut(t)
        split = (doc[i].idx + cut[0], doc[i].idx + cut[1]) if cut is not None else None
        return NumberRead(i, i + 1, rng[0], True, t, value_max=rng[1], split=split)
    glued = split_glued_scale(t, vocab["scale_abbreviations"])
    if glued is not None:
        return NumberRead(i, i + 1, round_value(glued), True, t, scaled=True)
    factor, j = _scale_after(doc, i + 1, end, vocab)
    base = parse_digits(t, dot_thousands=False)
    if base is None:
        return None
    # 50 000 written with plain spaces: join the following groups of exactly three digits.
    if factor == 1.0 and len(t) <= 3 and t.isdigit():
        k = i + 1
        while k < end and len(doc[k].text) == 3 and doc[k].text.isdigit() and doc[k - 1].whitespace_ == " ":
            k += 1
        if k > i + 1 and not (i > 0 and is_digit_token(doc[i - 1])) and not (k < end and is_digit_token(doc[k])):
            base = float("".join(doc[m].text for m in range(i, k)))
            factor, j = _scale_after(doc, k, end, vocab)
    return NumberRead(i, j, round_value(base * factor), True, t, scaled=factor != 1.0)


def read_words(doc: Doc, i: int, end: int, vocab: Vocab) -> NumberRead | None:
    """A cardinal in words at token ``i`` (``thirty``, ``twenty-five``, ``two million``),
    plus ``a million`` and ``half a million``. The grammar is text2num's."""
    w = token_view(doc).lower[i]
    if w in {"a", "an"} and i + 1 < end:
        f = scale_value(doc[i + 1].text, vocab)
        return NumberRead(i, i + 2, f, False, doc[i].text, scaled=True) if f else None
    if w == "half" and i + 2 < end and doc[i + 1].lower_ in {"a", "an"}:
        f = scale_value(doc[i + 2].text, vocab)
        return NumberRead(i, i + 3, 0.5 * f, False, doc[i].text, scaled=True) if f else None
    if word_number(w) is None:
        return None
    k = i + 1
    stop = min(end, i + vocab.get("max_number_words", 24))  # each shorter run is tried below
    while k < stop:
        tk = doc[k]
        if word_number(tk.text) is not None:
            k += 1
        elif k + 1 < stop and word_number(doc[k + 1].text) is not None and (
                tk.text in DASHES and not doc[k - 1].whitespace_ and not tk.whitespace_
                or tk.lower_ == "and" and doc[k - 1].lower_ in vocab["scale_words"]):
            k += 1
        else:
            break
    while k > i:  # the longest run text2num reads as one number
        if doc[k - 1].text not in DASHES and doc[k - 1].lower_ != "and":
            value = words_to_number([doc[m].text for m in range(i, k)])
            if value is not None:
                scaled = any(vocab["scale_words"].get(doc[m].lower_, 0) >= 1000 for m in range(i, k))
                factor, k2 = _scale_after(doc, k, end, vocab)  # two dozen
                return NumberRead(i, k2, value * factor, False, doc[i].text, scaled=scaled or factor >= 1000)
        k -= 1
    return None


def read_number(doc: Doc, i: int, end: int, vocab: Vocab) -> NumberRead | None:
    """A number (digits or words) at token ``i``, extended over a range (``10 to 15``,
    ``10-15``, ``between 5 and 17``) whose upper end is larger."""
    num = read_digits(doc, i, end, vocab) or read_words(doc, i, end, vocab)
    if num is None or num.value_max is not None or num.raw.lower() in {"a", "an", "half"}:
        return num
    j = num.end
    link = _lower(doc, j)
    # between 5 and 17; between the ages of 5 and 17 (no other number in between)
    before = _words_before(doc, num.start, 0, 4)
    between = any(doc[k].lower_ == "between" and not any(doc[m].like_num for m in before if m > k)
                  for k in before)
    if j + 1 < end and (link in DASHES or link == "to" or (link == "and" and between)):
        other = read_digits(doc, j + 1, end, vocab) if num.is_digits else read_words(doc, j + 1, end, vocab)
        if other is not None and other.value > num.value and other.value_max is None:
            low_last = doc[num.end - 1]
            num.split = (low_last.idx + len(low_last.text), doc[other.start].idx)
            num.end, num.value_max = other.end, other.value
            if other.scaled and not num.scaled:  # 2 to 3 million: the scale covers both ends
                base = parse_digits(other.raw, dot_thousands=False) if other.is_digits else word_number(other.raw)
                if base:
                    num.value = round_value(num.value * other.value / base)
            num.scaled = num.scaled or other.scaled
    return num


# --------------------------------------------------------------------------------------
# Qualifiers
# --------------------------------------------------------------------------------------


def qualifier_before(doc: Doc, i: int, lo: int, vocab: Vocab) -> tuple[int, str | None]:
    """(start token, normalized qualifier) of a qualifier phrase ending before ``i``."""
    start = match_backward(doc, i, lo, _phrases(vocab, "qualifiers"))
    if start is None:
        return i, None
    return start, normalize_qualifier(phrase_text(doc, start, i), vocab)


def qualifier_after(doc: Doc, j: int, hi: int, vocab: Vocab) -> tuple[int, str | None]:
    """(new end, normalized qualifier) of a postposed qualifier at ``j`` (``or more``)."""
    end = match_forward(doc, j, hi, _phrases(vocab, "postposed_qualifiers"))
    if end is None:
        return j, None
    return end, normalize_qualifier(phrase_text(doc, j, end), vocab)


# --------------------------------------------------------------------------------------
# Recognizers
# --------------------------------------------------------------------------------------


def currency_before(doc: Doc, i: int, lo: int, vocab: Vocab) -> tuple[int, str | None]:
    """(start token, ISO code) of a currency symbol or code right before token ``i``."""
    start = match_backward(doc, i, lo, _phrases(vocab, "currency_prefixes"))
    if start is None:
        return i, None
    return start, vocab["currency_prefixes"][phrase_text(doc, start, i).lower()]


def _counted_noun(doc: Doc, num: NumberRead, j: int, end: int) -> int | None:
    """Index of the noun a count modifies (``31 organizations``, ``ten key actions``).

    The number's syntactic head must be a noun to its right within a few tokens, with
    only its own modifiers between; failing that, a plural noun right after the number.
    """
    while j < end and doc[j].is_space:
        j += 1
    head = doc[num.end - 1]
    for _ in range(4):
        if head.i >= j or head.dep_ not in {"nummod", "compound", "quantmod", "amod", "nmod"} \
                or head.head.i == head.i:
            break
        head = head.head
    while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in NOUNS and head.head.i - j <= 5:
        head = head.head  # twenty member States: the counted noun is the compound's head
    if j <= head.i < end and head.pos_ in NOUNS and head.i - j <= 5:
        if all(t.pos_ in {"ADJ", "NOUN", "PROPN", "VERB", "ADV", "NUM"} or t.text in DASHES or t.text == "'s"
               for t in doc[j:head.i]):
            return head.i
    if j < end and doc[j].pos_ in NOUNS and doc[j].tag_ in {"NNS", "NNPS"}:
        return j
    if j + 1 < end and doc[j].pos_ in {"ADJ", "VERB"} and doc[j + 1].pos_ in NOUNS \
            and doc[j + 1].tag_ in {"NNS", "NNPS"}:
        return j + 1
    return None


def _excluded_number(doc: Doc, num: NumberRead, vocab: Vocab) -> bool:
    """Numbers that are never quantities: dates, clock times, list numbers, labels,
    identifiers, phone numbers, footnotes."""
    s, e = num.start, num.end
    if is_month(doc, e, vocab) or is_month(doc, s - 1, vocab):
        return True
    if e < len(doc) and doc[e].lower_ in vocab["time_suffixes"]:
        return True
    if (e < len(doc) and doc[e].text == "/") or (s > 0 and doc[s - 1].text == "/"):
        return True
    if on_contact_line(doc, s, vocab) or in_digit_run(doc, s, e) or in_phone_chunk(doc, s):
        return True
    return is_footnote(doc, s, e) or is_list_number(doc, s, e) or has_label_before(doc, s, e, vocab)


def _is_age(doc: Doc, start: int, vocab: Vocab) -> bool:
    """``aged 5 to 17``, ``between the ages of 5 and 17``, ``under the age of 18``."""
    return any(doc[k].lower_ in vocab["age_cues"] for k in _words_before(doc, start, 0, 3))


def _is_timeframe(doc: Doc, start: int, unit_end: int, hi: int, vocab: Vocab) -> bool:
    """A duration that is a frequency or a time point rather than a length of time:
    ``every two years``, ``two years ago``, ``five years later``. (``the past two
    years`` states a length, so it stays a statistic.)"""
    if any(doc[k].lower_ in vocab["timeframe_before"] for k in _words_before(doc, start, 0, 2)):
        return True
    return match_forward(doc, unit_end, hi, _phrases(vocab, "timeframe_after")) is not None


def _is_year_range(num: NumberRead, vocab: Vocab) -> bool:
    """``2021-2025`` / ``2021–2025`` written as one token: a period, not a quantity."""
    parts = re.split(r"[\u2013\u2014-]", num.raw)
    return len(parts) == 2 and all(is_year_like(parse_digits(p), p, vocab) for p in parts)


def _european_value(num: NumberRead) -> float:
    """``50.000`` as a count or amount is 50000 (European thousands separator)."""
    if is_dot_thousands(num.raw) and not num.scaled and num.end - num.start == 1 and num.value_max is None:
        value = parse_digits(num.raw, dot_thousands=True)
        if value is not None:
            return value
    return num.value


def classify_number(doc: Doc, num: NumberRead, lo: int, hi: int, vocab: Vocab,
                    *, qualified: bool) -> Stat | None:
    """Decide what a number states from the words around it; None if it is no statistic.
    A range keeps both ends on the Stat (``value_max``, ``split``) so that each end
    becomes its own row."""
    st = _classify(doc, num, lo, hi, vocab, qualified=qualified)
    if st is not None and num.value_max is not None and st.value_max is None \
            and st.start <= num.start and st.end >= num.end:
        st.value_max, st.split = num.value_max, num.split
    return st


def _classify(doc: Doc, num: NumberRead, lo: int, hi: int, vocab: Vocab, *, qualified: bool) -> Stat | None:
    """The recognizers, in order: money (symbol before), percent, ratio (``in``/``out
    of`` + number), fraction (``two-thirds``), money (currency name after), ``N
    times``/``N-fold`` multiple, then the exclusions (dates, labels, years ...), age,
    measure (unit word), and count."""
    s, j = num.start, num.end

    cur_start, code = currency_before(doc, s, lo, vocab)
    if code:
        factor, end = _scale_after(doc, j, hi, vocab)
        abbr = _lower(doc, j).rstrip(".")
        if factor == 1.0 and j < hi and abbr in vocab["scale_abbreviations"] and abbr != "b":
            factor, end = vocab["scale_abbreviations"][abbr], j + 1  # $5 m
        high = round_value(num.value_max * factor) if num.value_max is not None else None
        return Stat(cur_start, end, round_value(_european_value(num) * factor), f"currency:{code}", None,
                    end - 1, "currency", value_max=high, split=num.split)

    end = match_forward(doc, j, hi, _phrases(vocab, "percent_words"))
    if end is not None:
        return Stat(s, end, num.value, "percent", None, end - 1, "percent")

    end = match_forward(doc, j, hi, _phrases(vocab, "ratio_links"))
    if end is None and j + 2 < hi and doc[j].text in DASHES and doc[j + 1].lower_ == "in" \
            and doc[j + 2].text in DASHES and not doc[j + 1].whitespace_:
        end = j + 3  # one-in-five
    if end is not None and num.value_max is None:
        den = read_digits(doc, end, hi, vocab) or read_words(doc, end, hi, vocab)
        if den is not None and den.value and den.value >= num.value and den.value_max is None \
                and not is_year_like(den.value, den.raw, vocab) and not is_month(doc, den.end, vocab):
            noun = _counted_noun(doc, den, den.end, hi)
            return Stat(s, den.end, ratio(num.value, den.value), "ratio", None, s, "ratio", noun)

    if not num.is_digits and num.value_max is None:
        frac = _fraction_after(doc, num, hi, vocab)
        if frac is not None:
            return frac

    end = match_forward(doc, j, hi, _phrases(vocab, "currency_suffixes"))
    if end is not None:
        code = vocab["currency_suffixes"][phrase_text(doc, j, end).lower()]
        return Stat(s, end, _european_value(num), f"currency:{code}", None, end - 1, "currency")

    if j + 1 < hi and doc[j].lower_ == "times" and doc[j + 1].lower_ in vocab["times_comparatives"]:
        return Stat(s, j + 1, num.value, "multiple", None, j, "multiple")
    if j + 1 < hi and doc[j].text in DASHES and doc[j + 1].lower_ == "fold" and not doc[j].whitespace_:
        return Stat(s, j + 2, num.value, "multiple", None, j + 1, "multiple")

    if is_hyphen_compound(doc, j):
        return _duration_compound(doc, num, vocab)
    if _excluded_number(doc, num, vocab):
        return None
    if _is_age(doc, s, vocab):
        return _age_stat(doc, num, hi, vocab)
    if (is_year_like(num.value, num.raw, vocab) or _is_year_range(num, vocab)) and not qualified:
        return None

    if j < hi and doc[j].text == "\u00b0":  # 1.5 °C
        scale = vocab["degree_scales"].get(_lower(doc, j + 1))
        end = j + 2 if scale else j + 1
        return Stat(s, end, num.value, scale or "degree", None, end - 1, "measure")
    unit = vocab["measure_units"].get(_lower(doc, j)) if j < hi else None
    if unit is not None:
        if unit in vocab["duration_units"] and match_forward(doc, j + 1, hi, _phrases(vocab, "age_after")):
            return Stat(s, j + 1, num.value, unit, None, j, "age")  # 15 years old, 16 years of age
        if unit in vocab["duration_units"] and _is_timeframe(doc, s, j + 1, hi, vocab):
            return None
        if num.value == 1 and not num.scaled and not qualified:
            return None
        return Stat(s, j + 1, _european_value(num), unit, None, j, "measure")

    if num.raw.lower() in vocab["determiner_numbers"] and num.end - num.start == 1 and num.value_max is None:
        return None
    noun = _counted_noun(doc, num, j, hi)
    if noun is not None:
        lemma = doc[noun].lower_
        if fraction_denominator(lemma, vocab) or lemma in vocab["measure_units"] or lemma in {"times", "time"}:
            return None  # the first three quarters (of 2017), three times a year
        return Stat(s, j, _european_value(num), "count", None, j - 1, "count", noun)
    if _lower(doc, j) in {"times", "time"} or follows_proper_name(doc, s, j):
        return None
    value = _european_value(num)
    if not (qualified or num.scaled or value >= 10 or _lower(doc, j) == "of" or num.value_max is not None):
        return None  # a bare small number with nothing counted: not a claim
    return Stat(s, j, value, "count", None, j - 1, "count")


def _age_stat(doc: Doc, num: NumberRead, hi: int, vocab: Vocab) -> Stat:
    """An age after an age cue (``aged 5 to 17``, ``under the age of 18``): a measure in
    years (or in the unit written after it, ``aged 6 months``)."""
    j = num.end
    unit = vocab["measure_units"].get(_lower(doc, j)) if j < hi else None
    if unit is not None and unit in vocab["duration_units"]:
        return Stat(num.start, j + 1, num.value, unit, None, j, "age")
    return Stat(num.start, j, num.value, "year", None, j - 1, "age")


def _duration_compound(doc: Doc, num: NumberRead, vocab: Vocab) -> Stat | None:
    """``a three-day workshop``, ``the one-day meeting``: the duration of the noun it
    modifies (value 3, unit day, subject workshop). ``a 15-year-old girl`` is an age
    (value 15, unit year, subject girl). Other compounds (``10-point plan``) are not
    statistics."""
    j = num.end
    unit = vocab["measure_units"].get(_lower(doc, j + 1))
    if unit is None or unit not in vocab["duration_units"] or num.value_max is not None:
        return None
    if _lower(doc, j + 2) in DASHES and _lower(doc, j + 3) == "old" and not doc[j + 2].whitespace_:
        head = doc[j + 3].head
        noun = head.i if head.pos_ in NOUNS and head.i > j + 3 else None
        return Stat(num.start, j + 4, num.value, unit, None, j + 1, "age", noun)
    head = doc[j + 1].head
    noun = head.i if head.pos_ in NOUNS and head.i > j + 1 else None
    return Stat(num.start, j + 2, num.value, unit, None, j + 1, "measure", noun)


def _fraction_after(doc: Doc, num: NumberRead, hi: int, vocab: Vocab) -> Stat | None:
    """``two-thirds``, ``one third of``, ``three quarters`` after a word numerator."""
    j = num.end
    hyphen = j < hi and doc[j].text in DASHES and not doc[j - 1].whitespace_ and not doc[j].whitespace_
    k = j + 1 if hyphen else j
    if k >= hi:
        return None
    den = fraction_denominator(doc[k].text, vocab)
    if den is None or (doc[k].lower_ in {"half", "halves"} and num.value != 1):
        return None
    plural = doc[k].lower_.endswith("s")
    of_next = _lower(doc, k + 1) == "of"
    if not (hyphen or of_next or (plural and num.value >= 2)):
        return None
    if (of_next and _of_time(doc, k + 2, vocab)) or (num.start > 0 and _is_ordinal_word(doc[num.start - 1])):
        return None
    return Stat(num.start, k + 1, ratio(num.value, den), "ratio", None, k, "fraction")


def _is_ordinal_word(tok: Token) -> bool:
    """``first``, ``second``, ``last`` ... before a fraction make it a period (first half)."""
    return tok.lower_ in {"first", "second", "third", "fourth", "last", "final", "latter", "former"} \
        or is_ordinal(tok.text)


def _of_time(doc: Doc, k: int, vocab: Vocab) -> bool:
    """True if the words at ``k`` are a year or month (``three quarters of 2017``)."""
    for m in range(k, min(len(doc), k + 2)):
        t = doc[m]
        if is_month(doc, m, vocab) or is_year_like(parse_digits(t.text), t.text, vocab) \
                or t.lower_ in {"year", "decade", "century"}:
            return True
    return False


def _multiple_word(doc: Doc, i: int, hi: int, vocab: Vocab, *, qualified: bool) -> Stat | None:
    """``doubled``, ``nearly double``, ``twofold``, ``twice as many``, ``halved``.

    An adjective use with no qualifier or comparison (``double standards``, ``triple
    burden``) is not a statistic; ``twice a year`` is a frequency.
    """
    w = token_view(doc).lower[i]
    mv = multiple_value(w, vocab)
    if mv is None:
        return None
    tok = doc[i]
    stat = Stat(i, i + 1, mv, "multiple", None, i, "multiple")
    if w in vocab["multiples_amod_ok"] or "fold" in w:
        return stat
    nxt = _lower(doc, i + 1)
    if w in {"twice", "thrice"}:
        ok = qualified or nxt in vocab["times_comparatives"] or nxt in {"those", "what"}
        return stat if ok else None
    if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"amod", "compound"}:
        # doubled, has tripled, is doubling; a bare "must double efforts" is an exhortation
        return stat if tok.tag_ not in {"VB", "VBP"} or qualified else None
    if qualified or nxt in {"that", "those", "the", "what", "its", "their", "from", "since", "in", "to",
                            "over", "by", "between", "compared"} or i + 1 >= hi or doc[i + 1].is_punct:
        return stat
    return None


def _vague_plural(doc: Doc, i: int, hi: int, vocab: Vocab, *, qualified: bool) -> Stat | None:
    """``thousands of children``, ``hundreds of thousands``, ``millions more``: the order
    of magnitude as the value (gold.md: thousands -> 1000)."""
    end = match_forward(doc, i, hi, _phrases(vocab, "vague_plurals"))
    if end is None:
        return None
    value = float(vocab["vague_plurals"][phrase_text(doc, i, end).lower()])
    nxt = _lower(doc, end)
    if nxt == "of" and end + 1 < hi:
        pobj = [c for c in doc[end].children if c.dep_ == "pobj" and c.pos_ in NOUNS and c.i - end <= 5]
        if pobj:
            return Stat(i, end, value, "count", None, end - 1, "vague", pobj[0].i)
    if nxt == "more" and end + 1 < hi and doc[end + 1].pos_ in NOUNS:
        return Stat(i, end, value, "count", None, end - 1, "vague", end + 1)
    if end < hi and doc[end].pos_ in NOUNS and doc[end].tag_ in {"NNS", "NNPS"}:
        return Stat(i, end, value, "count", None, end - 1, "vague", end)
    if qualified or nxt in {"of", "more"}:
        return Stat(i, end, value, "count", None, end - 1, "vague")
    return None


def recognize_word(doc: Doc, i: int, hi: int, vocab: Vocab, *, qualified: bool,
                   include_majority: bool) -> Stat | None:
    """Statistics that start with a word rather than a number: ``a third of``, ``half``,
    ``thousands of``, ``doubled``, ``twofold``, ``the majority of`` (when enabled)."""
    w = token_view(doc).lower[i]
    if w in {"a", "an", "one"} and i + 1 < hi:  # a third of, one-fifth
        k = i + 1
        hyphen = doc[k].text in DASHES and not doc[i].whitespace_
        if hyphen:
            k += 1
        den = fraction_denominator(_lower(doc, k), vocab) if k < hi else None
        # "a third of", "one-fifth", "fell by a third"; not "a third country" (ordinal)
        stands_alone = k + 1 >= hi or doc[k + 1].pos_ not in NOUNS | {"ADJ", "NUM"}
        if den and not doc[k].lower_.endswith("s") and (_lower(doc, k + 1) == "of" or hyphen or stands_alone) \
                and not (i > 0 and _is_ordinal_word(doc[i - 1])) and not _of_time(doc, k + 2, vocab):
            return Stat(i, k + 1, ratio(1, den), "ratio", None, k, "fraction")
    if w == "half":
        if i > 0 and (_is_ordinal_word(doc[i - 1]) or (doc[i - 1].lower_ in {"a", "one"} and not qualified)):
            return None
        if _lower(doc, i + 1) in DASHES or (_glued(doc, i) and doc[i - 1].text in DASHES):
            return None  # half-day, half-brother
        nxt = _lower(doc, i + 1)
        if nxt == "of" and _of_time(doc, i + 2, vocab):
            return None
        if qualified or nxt == "of" or (i + 1 < hi and doc[i + 1].pos_ in {"DET", "PRON"}) \
                or (i > 0 and doc[i - 1].lower_ == "by"):
            return Stat(i, i + 1, 0.5, "ratio", None, i, "fraction")
        return None
    stat = _vague_plural(doc, i, hi, vocab, qualified=qualified) or _multiple_word(doc, i, hi, vocab, qualified=qualified)
    if stat is not None:
        return stat
    if include_majority and w in vocab["vague_majority"] and _lower(doc, i + 1) in {"of", "("}:
        spec = vocab["vague_majority"][w]
        start = i - 1 if i > 0 and doc[i - 1].lower_ in {"the", "a"} else i
        return Stat(start, i + 1, float(spec["value"]), "ratio", spec["qualifier"], i, "fraction")
    return None


# --------------------------------------------------------------------------------------
# Subject: what is quantified, from the parse
# --------------------------------------------------------------------------------------


def _span_text(doc: Doc, idxs: Iterable[int]) -> str:
    """Text of the tokens ``idxs``, keeping original spacing inside runs, footnote
    markers trimmed (``States[1`` -> ``States``)."""
    idxs = sorted({k for k in idxs if not doc[k].is_space})
    out = []
    for n, k in enumerate(idxs):
        out.append(clean_token(doc[k].text))
        if n + 1 < len(idxs):
            out.append((doc[k].whitespace_ or "") if idxs[n + 1] == k + 1 else " ")
    return " ".join("".join(out).split())


def clean_token(text: str) -> str:
    """A token without a glued footnote marker (``States[1`` -> ``States``)."""
    m = re.match(r"^(.*[A-Za-z)])\[\d*\]?$", text)
    return m.group(1) if m else text


_NP_DROP_POS = {"DET", "NUM", "PUNCT", "ADP", "CCONJ", "SYM", "PART", "ADV", "SPACE", "PRON", "SCONJ"}
_NP_DROP_DEP = {"det", "predet", "nummod", "quantmod", "poss", "case", "advmod", "cc", "prep", "punct", "relcl",
                "acl", "appos"}


def noun_phrase(doc: Doc, head: Token, vocab: Vocab, exclude: Iterable[int] = (),
                *, with_of: bool = True, with_conj: bool = True) -> list[int]:
    """Token indices of a short noun phrase around ``head``: its adjective and compound
    modifiers, a coordinated bare plural (``women and girls``) and one ``of`` complement
    (``victims of trafficking``); no determiners, numbers, comparatives or statistic."""
    exclude = set(exclude)
    left: list[int] = []
    for t in reversed(doc[head.left_edge.i:head.i]):
        hyphen_inside = t.text in DASHES and not t.whitespace_ and left and left[0] == t.i + 1
        if hyphen_inside:
            left.insert(0, t.i)
            continue
        if t.i in exclude or t.like_num or t.pos_ in _NP_DROP_POS or t.dep_ in _NP_DROP_DEP \
                or t.lower_ in vocab["comparatives"] or t.lower_ in vocab["subject_skip_words"]:
            break
        left.insert(0, t.i)
    while left and doc[left[0]].text in DASHES:
        left.pop(0)
    idxs = left + [head.i]
    if with_conj:
        for c in head.rights:
            if c.dep_ == "conj" and c.pos_ in NOUNS and c.i - head.i <= 2 and c.tag_ == head.tag_ \
                    and not any(x.dep_ in {"det", "amod", "nummod", "compound", "poss"} for x in c.lefts):
                cc = [x for x in doc[head.i + 1:c.i] if x.dep_ == "cc" or x.lower_ in {"and", "or"}]
                if cc:
                    idxs += [x.i for x in cc] + [c.i]
                break
    if with_of:
        obj = _of_object(head)
        if obj is not None and obj.pos_ in NOUNS and obj.i - head.i <= 5 and obj.i not in exclude:
            inner = noun_phrase(doc, obj, vocab, exclude, with_of=False, with_conj=False)
            if not any(doc[k].like_num for k in inner):
                idxs += [k for k in range(head.i + 1, obj.i) if doc[k].lower_ == "of"][:1] + inner
    return sorted(set(idxs))


def _of_object(tok: Token) -> Token | None:
    """The object of an ``of`` complement of ``tok`` (``35 percent of victims``)."""
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _resolve_noun(doc: Doc, tok: Token, vocab: Vocab, exclude: Iterable[int], hops: int = 0) -> str | None:
    """Subject text for a noun, looking through containers (``the number of X`` -> X),
    relative pronouns (``45 per cent of whom`` -> the antecedent), quantifier pronouns
    the parser mis-attached (``of all detected victims``) and ``at a rate``."""
    if hops > 3:
        return None
    if tok.lower_ in vocab["relative_pronouns"] and tok.pos_ in {"PRON", "DET"}:
        clause = tok
        while clause.dep_ not in {"relcl", "ROOT"} and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl" and clause.head.pos_ in NOUNS:
            return _resolve_noun(doc, clause.head, vocab, exclude, hops + 1)
        return None
    if tok.lower_ in {"all", "each", "both", "most"} and tok.pos_ in {"PRON", "DET"}:
        for k in range(tok.i + 1, min(len(doc), tok.i + 5)):
            if doc[k].pos_ in NOUNS:
                return _resolve_noun(doc, doc[k], vocab, exclude, hops + 1)
        return None
    gerund = tok.tag_ == "VBG" and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"}  # funding ... was
    if tok.pos_ not in NOUNS and tok.pos_ != "ADJ" and not gerund:
        return None
    if tok.lower_ in vocab["container_nouns"]:
        obj = _of_object(tok)
        if obj is not None:
            if obj.i in set(exclude):
                return None  # an average of 3 years: the container measures the statistic itself
            return _resolve_noun(doc, obj, vocab, exclude, hops + 1)
        if tok.dep_ == "pobj" and tok.head.lower_ == "at":
            obj = [c for c in tok.head.head.children if c.dep_ in {"dobj", "obj"} and c.pos_ in NOUNS]
            if obj:
                inner = _span_text(doc, noun_phrase(doc, obj[0], vocab, exclude))
                return f"{tok.text} of {inner}" if inner else tok.text
    return _span_text(doc, noun_phrase(doc, tok, vocab, exclude)) or None


def _clause_subject(verb: Token) -> Token | None:
    """The subject of a verb, climbing ``xcomp``/``conj`` chains (``are projected to jump``)."""
    v = verb
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            return subj[0]
        participle = v.tag_ in {"VBG", "VBN"} and v.dep_ == "advcl"
        if (v.dep_ in {"xcomp", "conj", "acomp", "oprd"} or participle) and v.head.i != v.i:
            v = v.head
        else:
            break
    return None


PARTITIVE_PREPS = {"of", "among", "amongst"}


def _fronted_partitive(doc: Doc, verb: Token, sent_start: int, before: int) -> Token | None:
    """``Of the migrants assisted, 77 per cent were male`` / ``Among the victims ...,
    nearly one in five were children``: the noun of a fronted partitive phrase, from the
    parse (also for a coordinated second clause) or, when the parser attached it
    elsewhere, from the words at the sentence start."""
    for v in (verb, verb.head if verb.dep_ == "conj" else None):
        if v is None:
            continue
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in PARTITIVE_PREPS and c.i < before:
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
    first = _words_from(doc, sent_start, before, 1)
    if first and doc[first[0]].lower_ in PARTITIVE_PREPS:
        comma = next((k for k in range(first[0], before) if doc[k].text == ","), None)
        if comma is not None:
            pobj = [c for c in doc[first[0]].children if c.dep_ == "pobj" and c.i < comma]
            if pobj:
                return pobj[0]
            return next((doc[k] for k in range(first[0] + 1, comma) if doc[k].pos_ in NOUNS), None)
    return None


def _step_up(tok: Token) -> tuple[Token, str]:
    """The head of ``tok`` and the relation to it, looking through a preposition or
    ``worth`` (``increased by 9 percent``, ``grants worth US$ 1.75 million``), which
    give the relation ``pobj`` / ``worth``."""
    rel, head = tok.dep_, tok.head
    if head.i != tok.i and (head.pos_ == "ADP" or head.lower_ == "worth") \
            and head.dep_ in {"prep", "amod", "advmod", "acomp"}:
        rel, head = ("worth" if head.lower_ == "worth" else "pobj"), head.head
    return head, rel


def _governor(doc: Doc, st: Stat) -> tuple[Token, str]:
    """The statistic's syntactic head outside its own tokens, and the relation to it
    (prepositions and ``worth`` looked through, :func:`_step_up`)."""
    tok = doc[st.anchor]
    for _ in range(6):
        if not (st.start <= tok.head.i < st.end) or tok.head.i == tok.i:
            break
        tok = tok.head
    head, rel = _step_up(tok)
    nxt = doc[st.end] if st.end < len(doc) else None
    if rel == "conj" and nxt is not None and nxt.pos_ in {"AUX", "VERB"} and nxt.tag_ != "VBG":
        rel, head = "nsubj", nxt  # "... and 15 per cent were children": the parser chained the figure
    return head, rel


AGE_NOUNS = {"age", "ages"}


def _age_subject(doc: Doc, st: Stat, vocab: Vocab, exclude: set[int]) -> str | None:
    """Who an age describes: the noun the age phrase hangs from (``children, aged
    between 5 and 17``; ``girls under the age of 15``; ``a 15-year-old girl``), else
    the subject of the clause (``the victim was 15 years old``)."""
    if st.noun is not None:
        return _resolve_noun(doc, doc[st.noun], vocab, exclude)
    cue = next((doc[k] for k in reversed(_words_before(doc, st.start, 0, 3))
                if doc[k].lower_ in vocab["age_cues"]), None)
    tok = cue if cue is not None else doc[st.anchor]
    chain = [tok] if cue is not None else []
    for _ in range(6):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        chain.append(tok)
    for tok in chain:
        if tok.i in exclude or tok.lower_ in AGE_NOUNS or tok.lower_ in vocab["measure_units"]:
            continue
        if tok.pos_ in NOUNS or tok.lower_ in vocab["relative_pronouns"]:
            return _resolve_noun(doc, tok, vocab, exclude)
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"acl", "relcl", "amod"}:
            subj = _clause_subject(tok)  # the victim was 15 years old; Girls aged 12 to 15 (parsed as a verb)
            return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    return None


def _duration_subject(doc: Doc, st: Stat, vocab: Vocab, exclude: set[int]) -> str | None:
    """What a stated duration measures (no ``of`` complement): where the time is spent
    (``spent 3 years in the process`` -> process); the noun it is a complement of (``the
    results of the last five years``, ``a delay of 18 months``), looking through a
    container that measures the figure itself (``an average of 3 years``); the noun a
    participle or relative clause describes (``periods ranging from days to five years``,
    ``a time which could range from 0 to 25 years``); else the clause subject (``the
    process takes up to 3 years``)."""
    anchor = doc[st.anchor]
    head, rel = _governor(doc, st)
    for _ in range(3):  # an average of 3 years: the container is the figure itself
        if not (head.pos_ in NOUNS and head.lower_ in vocab["container_nouns"] and rel == "pobj"):
            break
        head, rel = _step_up(head)
    verb = next((t for t in anchor.ancestors if t.pos_ in {"VERB", "AUX"}), None)
    if _lower(doc, st.end) == "in" and verb is not None and verb.lemma_.lower() in vocab["duration_in_verbs"]:
        prep = doc[st.end]
        if prep.head.i in {anchor.i, verb.i}:
            for c in prep.children:
                if c.dep_ == "pobj" and c.pos_ == "NOUN" and not c.ent_type_ and not _of_time(doc, c.i, vocab):
                    return _resolve_noun(doc, c, vocab, exclude)
    if head.pos_ in NOUNS and rel not in {"nsubj", "nsubjpass"}:
        return _resolve_noun(doc, head, vocab, exclude)
    if head.pos_ not in {"VERB", "AUX"} or rel in {"nsubj", "nsubjpass"}:
        return None
    subj = _clause_subject(head)
    if subj is None and head.dep_ == "acl" and head.head.pos_ in NOUNS:
        return _resolve_noun(doc, head.head, vocab, exclude)
    return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None


def _adjective_noun(doc: Doc, adj: Token, st: Stat, vocab: Vocab, exclude: set[int]) -> str | None:
    """The noun a parenthetical figure after an adjective is a share of: the noun the
    adjective modifies (``male (55 percent) victims``), the noun after a comparison the
    parser split (``more male (55 percent) than female victims``), or the subject of a
    predicate adjective (``victims were mostly female (70 percent)``)."""
    if adj.dep_ == "amod" and adj.head.pos_ in NOUNS:
        return _resolve_noun(doc, adj.head, vocab, exclude)
    k = st.end + 1  # after the closing bracket
    while k < len(doc) and k - st.end <= 6:
        t = doc[k]
        if t.pos_ in NOUNS:
            return _resolve_noun(doc, t, vocab, exclude)
        if t.pos_ not in {"ADJ", "ADV", "ADP", "CCONJ", "DET"} or t.is_punct:
            break
        k += 1
    verb = adj.head
    if verb.pos_ in {"VERB", "AUX"} and adj.dep_ in {"acomp", "attr", "oprd"}:
        subj = _clause_subject(verb)
        if subj is not None and subj.dep_ != "expl":
            return _resolve_noun(doc, subj, vocab, exclude)
    return None


def find_subject(doc: Doc, st: Stat, vocab: Vocab, sent_start: int = 0, previous: str | None = None) -> str | None:
    """What the statistic quantifies, as a short noun phrase, decided from the parse:
    the counted noun; else an ``of`` complement; else the noun a parenthetical figure
    glosses; else the noun it modifies; else, around a verb, a fronted partitive
    (``Of the migrants, 77 per cent ...``), or the subject of the clause whose quantity
    it measures. A share or bare count standing as the subject of its clause (``54 per
    cent are women and girls``, ``27.6 million are in forced labour``) or taken ``of
    these`` continues the population of the previous figure, given as ``previous`` by
    the caller; the complement of ``be`` is the fallback. An age names the person it
    describes (:func:`_age_subject`), a duration what it measures
    (:func:`_duration_subject`), a parenthetical share after an adjective the noun the
    adjective describes (:func:`_adjective_noun`)."""
    exclude = set(range(st.start, st.end))
    if st.kind == "age":
        return _age_subject(doc, st, vocab, exclude)
    if st.noun is not None:
        # exclude the number and qualifier, keep the noun's own modifiers (key actions)
        return _resolve_noun(doc, doc[st.noun], vocab, exclude)
    anchor = doc[st.anchor]
    for tok in [anchor] + [doc[k] for k in range(st.end - 1, st.start - 1, -1) if k != anchor.i]:
        obj = _of_object(tok)
        if obj is not None and obj.i >= st.end and obj.pos_ in NOUNS | {"PRON", "DET"}:
            return _resolve_noun(doc, obj, vocab, exclude) or (previous if obj.pos_ in {"PRON", "DET"} else None)
    if _lower(doc, st.end) == "of":
        for c in doc[st.end].children:
            if c.dep_ == "pobj" and c.pos_ in NOUNS | {"PRON", "DET"}:
                return _resolve_noun(doc, c, vocab, exclude) or (previous if c.pos_ in {"PRON", "DET"} else None)
    if st.kind == "measure":
        # a measure names its subject with "of" (years of experience); a duration also by its place
        return _duration_subject(doc, st, vocab, exclude) if st.unit in vocab["duration_units"] else None
    if st.kind == "multiple" and anchor.pos_ in {"VERB", "AUX"} and anchor.dep_ not in {"amod"}:
        subj = _clause_subject(anchor)
        return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    head, rel = _governor(doc, st)
    in_parens = st.start > 0 and doc[st.start - 1].text == "(" and _lower(doc, st.end) == ")"
    if in_parens and head.pos_ == "ADJ":
        return _adjective_noun(doc, head, st, vocab, exclude)  # more male (55 percent) than female victims
    if in_parens and head.pos_ in NOUNS:
        # An amount glosses its noun: FY 2009 funds ($14.3 million). A share glosses the
        # clause: "victims were trafficked for labour exploitation (74 percent)" is 74
        # percent of the victims, unless the noun is itself a share (the majority (63%) of).
        if st.kind not in {"percent", "ratio", "fraction"} or head.lower_ in vocab["container_nouns"] \
                or head.dep_ not in {"pobj", "dobj"}:
            return _resolve_noun(doc, head, vocab, exclude)
        verb = head
        for _ in range(5):
            if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
                break
            verb = verb.head
        subj = _clause_subject(verb) if verb.pos_ in {"VERB", "AUX"} else None
        if subj is not None and subj.like_num:
            return previous  # one in five labourers work in services (17.1 per cent)
        return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    if head.lower_ in vocab["comparatives"] and head.head.pos_ in NOUNS:
        return _resolve_noun(doc, head.head, vocab, exclude)  # 70 per cent more migrants
    if head.lower_ in vocab["comparatives"] and head.head.pos_ in {"AUX", "VERB"}:
        subj = _clause_subject(head.head)  # the number of victims was 7.5 per cent higher
        return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    if rel in {"nummod", "compound", "amod", "npadvmod", "quantmod", "advmod", "nmod", "appos"}:
        if head.pos_ == "PRON" or head.lower_ in {"that", "those"}:
            # nearly double that of adults: the compared noun stands before the figure
            for k in range(st.start - 1, max(-1, st.start - 5), -1):
                if doc[k].pos_ in NOUNS:
                    return _resolve_noun(doc, doc[k], vocab, exclude)
            return None
        if head.pos_ in NOUNS:
            return _resolve_noun(doc, head, vocab, exclude)  # a 7 per cent decline
    if rel in {"pobj", "worth"} and head.pos_ in NOUNS:
        return _resolve_noun(doc, head, vocab, exclude)  # grants worth US$ 1.75 million
    if head.pos_ not in {"VERB", "AUX"}:
        return None
    if rel in {"nsubj", "nsubjpass"}:  # 54 per cent are women and girls
        fronted = _fronted_partitive(doc, head, sent_start, st.start)
        if fronted is not None:
            return _resolve_noun(doc, fronted, vocab, exclude)
        if previous is not None:
            return previous
        if head.lemma_.lower() in vocab["copular_verbs"] and st.kind != "currency":
            for c in head.children:
                if c.dep_ in {"attr", "acomp", "dobj", "oprd"} and c.i >= st.end:
                    return _resolve_noun(doc, c, vocab, exclude)
        return None
    if rel in {"dobj", "attr", "npadvmod", "oprd", "pobj", "advmod", "obj", "worth"} \
            and (st.kind != "currency" or rel == "worth"):
        subj = _clause_subject(head)  # the caseload increased by 9 percent; the grant is worth $5m
        if subj is not None and subj.i not in exclude:
            return _resolve_noun(doc, subj, vocab, exclude)
    return None


# --------------------------------------------------------------------------------------
# Source: the cited report, data set or organization
# --------------------------------------------------------------------------------------


def _strip_np(doc: Doc, idxs: Iterable[int]) -> str | None:
    """Text of a source phrase without leading determiners or trailing punctuation."""
    idxs = sorted(k for k in idxs if not doc[k].is_space)
    while idxs and (doc[idxs[0]].pos_ == "DET" or doc[idxs[0]].lower_ in {"the", "a", "an"}):
        idxs.pop(0)
    while idxs and ((doc[idxs[-1]].is_punct and doc[idxs[-1]].text not in CLOSE_BRACKETS)
                    or doc[idxs[-1]].pos_ in {"CCONJ", "ADP"}):
        idxs.pop()
    if not idxs:
        return None
    first, last = idxs[0], idxs[-1]
    span = doc[first:last + 1].text
    if span.count("(") > span.count(")"):
        opens = [k for k in idxs if doc[k].text == "("]
        if last + 1 < len(doc) and doc[last + 1].text == ")":
            last += 1  # Office on Drugs and Crime (UNODC) -- the parser hung ")" elsewhere
        elif opens:
            last = max(first, opens[-1] - 1)
        else:  # the bracket is glued inside a token ("UNODC(2022", text without its spaces)
            text = " ".join(span.split())
            return text[:text.rfind("(")].rstrip(" ,;:") or None
    return " ".join(doc[first:last + 1].text.split()) or None


def _is_source_noun(tok: Token, vocab: Vocab) -> bool:
    return tok.pos_ in NOUNS and (tok.lemma_.lower() in vocab["source_nouns"] or tok.lower_ in vocab["source_nouns"])


def _is_name(tok: Token) -> bool:
    """A proper name that can name a source (not a date or a number)."""
    return (tok.pos_ == "PROPN" or tok.ent_type_ in {"ORG", "WORK_OF_ART", "PERSON", "NORP"}) \
        and tok.ent_type_ not in {"DATE", "TIME", "CARDINAL", "GPE"} or tok.ent_type_ == "ORG"


def _phrase_until_comma(doc: Doc, tok: Token) -> list[int]:
    """The subtree of ``tok``, cut at its first comma after the head."""
    idxs = [t.i for t in tok.subtree]
    comma = next((k for k in idxs if doc[k].text == "," and k > tok.i), None)
    return [k for k in idxs if comma is None or k < comma]


def _source_name(doc: Doc, tok: Token) -> str | None:
    """Name of a source phrase headed by ``tok``: a titled document keeps its title
    (``2022 UNODC Global Report on Trafficking in Persons``); ``UNODC data`` gives the
    organization (``UNODC``); ``a study by the ILO`` gives ``ILO``."""
    if _is_name(tok):
        return _strip_np(doc, _phrase_until_comma(doc, tok))
    for c in tok.lefts:
        if c.dep_ in {"compound", "poss", "nmod"} and _is_name(c):
            return _strip_np(doc, [t.i for t in c.subtree if t.text not in {"'s", "\u2019s", "'"}])
    # a study by the ILO; a report released today by UNODC (the "by" under a participle)
    holders = [tok] + [c for c in tok.rights if c.dep_ == "acl"]
    for h in holders:
        for c in h.rights:
            if c.dep_ in {"prep", "agent"} and c.lower_ in {"by", "from", "of"}:
                for p in c.children:
                    if p.dep_ == "pobj" and _is_name(p):
                        return _strip_np(doc, _phrase_until_comma(doc, p))
    return None


def _neighbour_source(doc: Doc, sents: Sequence[Span], idx: int, lemma: str) -> str | None:
    """A named source in the previous two sentences whose head noun is ``lemma``; used
    only when this sentence says ``the report`` / ``the study`` (a clear case)."""
    for back in (1, 2):
        if idx - back < 0:
            break
        for tok in sents[idx - back]:
            if tok.lemma_.lower() == lemma and tok.pos_ in NOUNS and any(t.pos_ == "PROPN" for t in tok.subtree):
                name = _source_name(doc, tok)
                if name:
                    return name
    return None


def _source_from_noun(doc: Doc, tok: Token, sents: Sequence[Span], idx: int, vocab: Vocab) -> str | None:
    """Source named by a noun phrase: its own name, else the antecedent of a generic one."""
    name = _source_name(doc, tok)
    if name:
        return name
    if _is_source_noun(tok, vocab):
        return _neighbour_source(doc, sents, idx, tok.lemma_.lower())
    return None


@dataclass
class SourceCue:
    """A cited source and where it applies: the whole sentence (``verb`` None) or the
    clauses under ``verb``; ``phrase`` holds the source phrase's own tokens."""

    name: str
    verb: Token | None
    phrase: tuple[int, int]


def sentence_sources(doc: Doc, sents: Sequence[Span], idx: int, vocab: Vocab) -> list[SourceCue]:
    """Sources cited in sentence ``idx``: ``according to X``; ``X data show``; ``the
    report finds`` (named in a neighbour sentence); ``quoted X research``; ``X reported``."""
    sent = sents[idx]
    out: list[SourceCue] = []
    preps = _phrases(vocab, "source_prepositions")
    for tok in sent:
        end = match_forward(doc, tok.i, sent.end, preps)
        if end is None:
            continue
        last = doc[end - 1]
        pobj = [c for c in last.children if c.dep_ == "pobj"]
        if not pobj and end < sent.end and doc[end].pos_ in NOUNS | {"DET", "ADJ", "NUM"}:
            cand = doc[end]
            while cand.head.i != cand.i and end <= cand.head.i < sent.end and cand.head.pos_ in NOUNS:
                cand = cand.head
            pobj = [cand]
        if not pobj:
            continue
        p = pobj[0]
        if _is_source_noun(p, vocab) and not any(_is_name(t) for t in p.subtree):
            # "according to the latest data": a source only if a neighbour sentence names it
            name = _neighbour_source(doc, sents, idx, p.lemma_.lower())
        else:
            name = _strip_np(doc, _phrase_until_comma(doc, p))
        if name:
            out.append(SourceCue(name, None, (tok.i, p.right_edge.i + 1)))
    for tok in sent:
        if tok.pos_ not in {"VERB", "AUX"}:
            continue
        lemma = tok.lemma_.lower()
        for c in tok.children:
            name = None
            if lemma in vocab["source_verbs"] and c.dep_ in {"nsubj", "nsubjpass"} and _is_source_noun(c, vocab):
                name = _source_from_noun(doc, c, sents, idx, vocab)  # UNODC data show
            elif lemma in vocab["citation_verbs"] and c.dep_ in {"dobj", "obj"} and _is_source_noun(c, vocab):
                name = _source_from_noun(doc, c, sents, idx, vocab)  # he quoted UNODC research
            elif lemma in vocab["org_source_verbs"] and c.dep_ == "nsubj" and c.pos_ == "PROPN":
                ent = next((e for e in doc.ents if e.start <= c.i < e.end), None)  # Polaris reported
                name = ent.text if ent is not None and ent.label_ != "DATE" else c.text
            if name:
                out.append(SourceCue(name, tok, (c.left_edge.i, c.right_edge.i + 1)))
    return out


def source_for(st: Stat, cues: Sequence[SourceCue]) -> str | None:
    """The source that covers the statistic: ``according to`` covers its sentence; ``X
    data show`` / ``X reported`` the clauses after the verb. A figure inside the source
    phrase itself (``a report on 50 countries``) is not covered by it."""
    for cue in cues:
        if cue.phrase[0] <= st.anchor < cue.phrase[1]:
            continue
        if cue.verb is None:
            return cue.name
        if cue.verb.i < st.anchor <= cue.verb.right_edge.i:
            return cue.name
    return None


# --------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------


def _sentences(doc: Doc) -> list[Span]:
    """The Doc's sentences, or the whole Doc when no sentence boundaries are set."""
    try:
        return list(doc.sents)
    except ValueError:
        return [doc[:]]


def _is_age_bound(doc: Doc, st: Stat) -> bool:
    """``children under 18``, ``persons over 60``: a bare small number with ``under`` /
    ``over`` right after a noun is an age bound (a measure in years), not a count."""
    return (st.kind == "count" and st.noun is None and st.qualifier in {"under", "over"}
            and st.value < 120 and st.start > 0 and doc[st.start - 1].pos_ in NOUNS)


def may_start_statistic(text: str, lower: str, vocab: Vocab, include_majority: bool = False) -> bool:
    """False for a word that no recognizer can start a statistic on, so the loop skips it.

    A statistic starts on a digit, a number word, ``a``/``an``/``one``/``half``, a vague
    plural (``thousands``), a multiple (``doubled``, ``twofold``) or, when enabled, a
    majority word: exactly the words :func:`read_number` and :func:`recognize_word` accept
    first. Most words are none of these, and sparing them the qualifier, number and word
    recognizers is most of the component's time.
    """
    if text[:1].isdigit() or lower in {"a", "an", "one", "half"}:
        return True
    vague = _phrases(vocab, "vague_plurals")
    index = getattr(vague, "by_first", None)
    if index is None or lower in index:
        return True
    if word_number(lower) is not None or multiple_value(lower, vocab) is not None:
        return True
    return include_majority and lower in vocab["vague_majority"]


def find_in_sentence(doc: Doc, sent: Span, vocab: Vocab, *, include_majority: bool = False) -> list[Stat]:
    """All statistics in one sentence, left to right, without overlaps."""
    out: list[Stat] = []
    hi = sent.end
    i = floor = sent.start  # tokens before ``floor`` belong to an earlier statistic
    view = token_view(doc)
    while i < hi:
        if view.is_space[i] or view.is_punct[i] or not may_start_statistic(
                view.text[i], view.lower[i], vocab, include_majority):
            i += 1
            continue
        q_start, qual = qualifier_before(doc, i, floor, vocab)
        qualified = qual is not None
        num = read_number(doc, i, hi, vocab)
        st: Stat | None = None
        if num is not None:
            st = classify_number(doc, num, floor, hi, vocab, qualified=qualified)
        if st is None and (num is None or doc[i].lower_ in {"one", "a", "an", "half"}):
            st = recognize_word(doc, i, hi, vocab, qualified=qualified, include_majority=include_majority)
        if st is None:
            i = num.end if num is not None and num.end > i + 1 and doc[i].lower_ not in {"a", "an", "half"} else i + 1
            continue
        if qualified and q_start < st.start:
            st.start, st.qualifier = q_start, qual
        if st.qualifier is None:  # 100 or more victims; 35 percent or so
            new_end, post = qualifier_after(doc, st.end, hi, vocab)
            if post:
                st.qualifier, st.end = post, max(st.end, new_end)
        if _is_age_bound(doc, st):
            st.unit, st.kind, st.noun = "year", "age", st.start - 1  # children under 18
        out.append(st)
        i = floor = st.end
    return out


def _char_span(doc: Doc, st: Stat) -> tuple[int, int]:
    """Character offsets of a statistic, without a footnote marker glued to its end."""
    start = doc[st.start].idx
    last = doc[st.end - 1]
    text = clean_token(last.text)
    if text.endswith(".") and text[:-1].lower() in load_vocab()["scale_abbreviations"]:
        text = text[:-1]  # "$5m." at a sentence end: the period is the sentence's
    return start, last.idx + len(text)


SHARE_KINDS = {"percent", "ratio", "fraction"}


def _previous_subject(history: Sequence[tuple[int, str, str]], idx: int, kind: str) -> str | None:
    """Subject of the latest figure in this or the previous sentence that a new figure
    can continue: a share prefers the last share, a count the last count."""
    family = "share" if kind in SHARE_KINDS else "count"
    for fam in (family, None):
        # history runs in sentence order: read back from its end while in reach
        for h_idx, h_family, subject in reversed(history):
            if idx - h_idx > 1:
                break
            if fam is None or h_family == fam:
                return subject
    return None


def _last_count_subject(history: Sequence[tuple[int, str, str]], idx: int) -> str | None:
    """Subject of the last count in sentence ``idx`` (history runs in sentence order, so
    this sentence's entries are its tail)."""
    for h_idx, h_family, subject in reversed(history):
        if h_idx != idx:
            return None
        if h_family == "count":
            return subject
    return None


def statistic_rows(doc: Doc, found: Sequence[tuple[int, Sequence[Stat]]], sents: Sequence[Span],
                   vocab: Vocab) -> list[dict]:
    """Plain-dict rows for ``Doc._.statistics`` (offsets into ``doc.text``)."""
    rows = []
    history: list[tuple[int, str, str]] = []  # (sentence index, share|count, subject)
    for idx, stats in found:
        if not stats:
            continue
        cues = sentence_sources(doc, sents, idx, vocab)
        for st in stats:
            start_char, end_char = _char_span(doc, st)
            eligible = st.kind in SHARE_KINDS or (st.kind in {"count", "vague"} and st.noun is None)
            previous = _previous_subject(history, idx, st.kind) if eligible else None
            subject = find_subject(doc, st, vocab, sents[idx].start, previous)
            if subject is None and st.kind == "count" and st.noun is None:
                # compared to nearly 7,000 (cases) in the same sentence
                subject = _last_count_subject(history, idx)
            if subject is not None and st.kind in SHARE_KINDS | {"count", "vague"}:
                history.append((idx, "share" if st.kind in SHARE_KINDS else "count", subject))
            source = source_for(st, cues)
            for bound, start, end, value in range_parts(st, start_char, end_char):
                rows.append({
                    "start_char": start,
                    "end_char": end,
                    "text": doc_text(doc)[start:end],
                    "value": float(value),
                    "unit": st.unit,
                    "qualifier": st.qualifier,
                    "subject": subject,
                    "source": source,
                    "range_bound": bound,
                })
    return rows


def range_parts(st: Stat, start_char: int, end_char: int) -> list[tuple[str | None, int, int, float]]:
    """(range_bound, start, end, value) of each row a statistic gives: one row, or for a
    range one row per end (``between 5 and 17`` -> ``5`` low, ``17`` high) that share
    unit, qualifier, subject and source (see the module docstring)."""
    if st.value_max is None or st.split is None or not start_char < st.split[0] <= st.split[1] < end_char:
        return [(None, start_char, end_char, st.value)]
    return [("low", start_char, st.split[0], st.value), ("high", st.split[1], end_char, st.value_max)]


TERMINAL = {".", "!", "?", ";", ":", "\u201d", '"', "\u2019", "'", ")", "]"}


def text_units(doc: Doc) -> list[Span]:
    """Sentences, re-joined where a hard line wrap split one (``... more`` / ``than 80
    ...``): a unit that ends without final punctuation and is followed by a line that
    starts in lower case continues on that line."""
    sents = _sentences(doc)
    units: list[Span] = []
    for sent in sents:
        if units:
            prev = units[-1]
            words = [t for t in prev if not t.is_space]
            first = next((t for t in sent if not t.is_space), None)
            wrapped = (words and first is not None and words[-1].text not in TERMINAL
                       and first.text[:1].islower() and "\n" in doc_text(doc)[words[-1].idx:first.idx])
            if wrapped:
                units[-1] = doc[prev.start:sent.end]
                continue
        units.append(sent)
    return units


def extract_statistics(doc: Doc, vocab: Vocab | None = None, *, include_majority: bool = False) -> list[dict]:
    """Every statistic in a parsed Doc as plain dicts (tables.md, ``statistics``)."""
    vocab = vocab if vocab is not None else load_vocab()
    units = text_units(doc)
    found = [(k, find_in_sentence(doc, u, vocab, include_majority=include_majority)) for k, u in enumerate(units)]
    return statistic_rows(doc, found, units, vocab)


class StatisticsComponent:
    """Sets ``Doc._.statistics``; needs the tagger, parser and NER to have run."""

    def __init__(self, nlp: Language, name: str, include_majority: bool = False) -> None:
        self.name = name
        self.include_majority = include_majority
        self.vocab = load_vocab()

    def __call__(self, doc: Doc) -> Doc:
        doc._.statistics = extract_statistics(doc, self.vocab, include_majority=self.include_majority)
        return doc


@Language.factory("release_stats", default_config={"include_majority": False},
                  requires=["token.dep", "token.pos"], assigns=["doc._.statistics"])
def make_statistics(nlp: Language, name: str, include_majority: bool = False) -> StatisticsComponent:
    """Factory for ``release_stats`` (config: ``include_majority``, default false)."""
    return StatisticsComponent(nlp, name, include_majority=include_majority)
