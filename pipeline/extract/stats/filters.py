"""Numbers that are not quantities: dates, clock times, phone numbers, footnotes, list
numbers, labels, numbers inside names and hyphenated compounds."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from pipeline.extract.extensions import doc_text
from pipeline.extract.stats.model import NumberRead
from pipeline.extract.stats.numerals import word_number
from pipeline.extract.stats.tokens import DASHES, Vocab, _glued, is_line_start, line_bounds

NOUNS = {"NOUN", "PROPN"}
CLOSE_BRACKETS = {")", "]"}


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


def ends_year_span(doc: Doc, start: int) -> bool:
    """The short second end of a span of years (``2016-17``, ``1990–95``): a period, not a count."""
    if start < 2 or doc[start - 1].text not in DASHES or doc[start - 2].whitespace_ or doc[start - 1].whitespace_:
        return False
    first = doc[start - 2].text
    return len(first) == 4 and first.isdigit() and len(doc[start].text) == 2 and doc[start].text.isdigit()


def excluded_number(doc: Doc, num: NumberRead, vocab: Vocab) -> bool:
    """Numbers that are never quantities: dates, spans of years, clock times, list
    numbers, labels, identifiers, phone numbers, footnotes."""
    s, e = num.start, num.end
    if is_month(doc, e, vocab) or is_month(doc, s - 1, vocab):
        return True
    if e < len(doc) and doc[e].lower_ in vocab["time_suffixes"]:
        return True
    if (e < len(doc) and doc[e].text == "/") or (s > 0 and doc[s - 1].text == "/"):
        return True
    if on_contact_line(doc, s, vocab) or in_digit_run(doc, s, e) or in_phone_chunk(doc, s):
        return True
    if ends_year_span(doc, s):
        return True
    return is_footnote(doc, s, e) or is_list_number(doc, s, e) or has_label_before(doc, s, e, vocab)
