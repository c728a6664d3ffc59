"""Reading a number from tokens: digits with scale words, number words (text2num's
grammar, through :mod:`numerals`), ranges, and the qualifier phrases around a number."""
from __future__ import annotations

from spacy.tokens import Doc

from pipeline.extract.stats.model import NumberRead
from pipeline.extract.stats.numerals import (
    abbreviation_value,
    is_ordinal,
    normalize_qualifier,
    parse_digits,
    range_cut,
    round_value,
    scale_value,
    split_glued_scale,
    split_range,
    word_number,
    words_to_number,
)
from pipeline.extract.stats.filters import is_digit_token
from pipeline.extract.stats.tokens import (
    DASHES,
    Vocab,
    _glued,
    _lower,
    _phrases,
    _words_before,
    match_backward,
    match_forward,
    phrase_text,
    token_view,
)


SIGNS = {"-", "+", "\u2212"}


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
    if i >= end:  # a phrase ran up to the range's end ("12 of the" where a text is cut off)
        return None
    t = token_view(doc).text[i]
    if t[:1] in SIGNS and t[1:2].isdigit():
        # a signed change (-31%, +5%): the tokenizer keeps the sign on the number; only a
        # percentage is read this way, a signed bare number is a code or a phone prefix
        if match_forward(doc, i + 1, end, _phrases(vocab, "percent_words")) is None:
            return None
        base = parse_digits(t[1:], dot_thousands=False)
        if base is None:
            return None
        return NumberRead(i, i + 1, -base if t[0] != "+" else base, True, t[1:])  # -31%: value -31
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
    if i >= end:
        return None
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


# Qualifiers


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
