"""What a number states: money, percent, ratio, fraction, multiple, age, measure or count,
decided from the words around it, and the statistics that start with a word (``a third
of``, ``half``, ``thousands of``, ``doubled``). None for numbers that are no claim."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from pipeline.extract.stats.filters import (
    NOUNS,
    excluded_number,
    follows_proper_name,
    is_hyphen_compound,
    is_month,
)
from pipeline.extract.stats.model import NumberRead, Stat
from pipeline.extract.stats.numerals import (
    fraction_denominator,
    is_dot_thousands,
    is_ordinal,
    is_year_like,
    multiple_value,
    parse_digits,
    ratio,
    round_value,
)
from pipeline.extract.stats.vocabulary import load_vocab
from pipeline.extract.stats.reading import _scale_after, read_digits, read_words
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


# Recognizers


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



def _is_age(doc: Doc, start: int, vocab: Vocab) -> bool:
    """``aged 5 to 17``, ``between the ages of 5 and 17``, ``under the age of 18``."""
    return any(doc[k].lower_ in vocab["age_cues"] for k in _words_before(doc, start, 0, 3))


def _is_timeframe(doc: Doc, start: int, unit_end: int, hi: int, vocab: Vocab) -> bool:
    """A duration that is a frequency, a time point or a time window rather than a
    measured length: ``every two years``, ``two years ago``, ``five years later``, ``two
    weeks into the year``, ``over the past 20 years``, ``within twelve months``. A window
    only says when something happened, as a date would; ``for five years`` or ``over a
    year`` measure how long, and stay statistics."""
    if any(doc[k].lower_ in vocab["timeframe_before"] for k in _words_before(doc, start, 0, 2)):
        return True
    if match_backward(doc, start, 0, _phrases(vocab, "time_window_before")) is not None:
        return True
    return match_forward(doc, unit_end, hi, _phrases(vocab, "timeframe_after")) is not None


def _is_year_range(num: NumberRead, vocab: Vocab) -> bool:
    """``2021-2025`` / ``2021–2025`` / ``1990–95`` written as one token: a period, not a quantity."""
    parts = re.split(r"[\u2013\u2014-]", num.raw)
    if len(parts) != 2 or not is_year_like(parse_digits(parts[0]), parts[0], vocab):
        return False
    return is_year_like(parse_digits(parts[1]), parts[1], vocab) or re.fullmatch(r"\d\d", parts[1]) is not None


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
    if end is None and num.value >= 2:  # seven of the ten; 12 of 15
        end = match_forward(doc, j, hi, _phrases(vocab, "partitive_ratio_links"))
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
        return _hyphen_compound(doc, num, vocab)
    if excluded_number(doc, num, vocab):
        return None
    if _is_age(doc, s, vocab):
        return _age_stat(doc, num, hi, vocab)
    if (is_year_like(num.value, num.raw, vocab) or _is_year_range(num, vocab)) and not qualified:
        return None

    if j < hi and (doc[j].text == "\u00b0" or doc[j].lower_ in {"degree", "degrees"}):  # 1.5 °C, 2 degrees Celsius
        scale = vocab["degree_scales"].get(_lower(doc, j + 1)) if j + 1 < hi else None
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
        end = j + 1
        if unit in vocab["duration_units"] and _lower(doc, end) in {"a", "an", "per", "each"} \
                and vocab["measure_units"].get(_lower(doc, end + 1)) in vocab["duration_units"]:
            end += 2  # 24 hours a day: one rate, not a length and a second figure
        return Stat(s, end, _european_value(num), unit, None, j, "measure")

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


def _hyphen_compound(doc: Doc, num: NumberRead, vocab: Vocab) -> Stat | None:
    """``a three-day workshop``, ``the one-day meeting``: the duration of the noun it
    modifies (value 3, unit day, subject workshop). ``a 15-year-old girl`` is an age
    (value 15, unit year, subject girl). A count glued to a noun counts the thing it
    names, of the noun it modifies (``a 25-member panel``: 25, subject panel; ``a
    six-point plan``). Ordinals (``Fifty-third``) and adjectives (``two-way``) are not
    statistics."""
    j = num.end
    unit = vocab["measure_units"].get(_lower(doc, j + 1))
    if num.value_max is not None:
        return None
    if unit is None:
        return _count_compound(doc, num, vocab)
    if unit not in vocab["duration_units"]:
        return None
    if _lower(doc, j + 2) in DASHES and _lower(doc, j + 3) == "old" and not doc[j + 2].whitespace_:
        head = doc[j + 3].head
        noun = head.i if head.pos_ in NOUNS and head.i > j + 3 else None
        return Stat(num.start, j + 4, num.value, unit, None, j + 1, "age", noun)
    head = doc[j + 1].head
    noun = head.i if head.pos_ in NOUNS and head.i > j + 1 else None
    return Stat(num.start, j + 2, num.value, unit, None, j + 1, "measure", noun)


def _count_compound(doc: Doc, num: NumberRead, vocab: Vocab) -> Stat | None:
    """``25-member``, ``six-point``: a count of the glued noun, subject the noun the
    compound modifies (see :func:`_hyphen_compound`)."""
    j = num.end
    word = doc[j + 1]
    w = word.lower_
    if num.value < 2 or w in vocab["ordinal_words"] or w in vocab["compound_not_counts"] \
            or word.pos_ not in NOUNS or w.endswith(("ed", "ing")) or is_year_like(num.value, num.raw, vocab):
        return None
    if j + 2 < len(doc) and doc[j + 2].text in DASHES and not doc[j + 1].whitespace_:
        return None  # 3-to-1, two-by-two
    head = word.head
    noun = head.i if head.pos_ in NOUNS and head.i > j + 1 else None
    return Stat(num.start, j + 2, num.value, "count", None, j + 1, "count", noun)


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
    if hyphen and num.value != 1 and not doc[k].lower_.endswith("s"):
        return None  # Fifty-third, twenty-fifth: an ordinal (a fraction above one is plural)
    plural = doc[k].lower_.endswith("s")
    of_next = _lower(doc, k + 1) == "of"
    if not (hyphen or of_next or (plural and num.value >= 2)):
        return None
    if (of_next and _of_time(doc, k + 2, vocab)) or (num.start > 0 and _is_ordinal_word(doc[num.start - 1])):
        return None
    return Stat(num.start, k + 1, ratio(num.value, den), "ratio", None, k, "fraction")


def vocab_ordinals() -> list[str]:
    """The ordinal words of the shared vocabulary (``first`` ... ``tenth``)."""
    return load_vocab()["ordinal_words"]


def _is_ordinal_word(tok: Token) -> bool:
    """``first``, ``second``, ``last`` ... before a fraction make it a period (first half)."""
    return tok.lower_ in vocab_ordinals() or tok.lower_ in {"last", "final", "latter", "former"} \
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
    if i + 2 < len(doc) and doc[i + 1].text in DASHES and not tok.whitespace_ and not doc[i + 1].whitespace_ \
            and doc[i + 2].is_alpha:
        return None  # a double-edged sword, double-digit, triple-A: part of an adjective
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


def _every_nth(doc: Doc, i: int, hi: int, vocab: Vocab) -> Stat | None:
    """``every third child`` (1/3), ``every 10th worker`` (1/10): a share of the noun that
    follows. ``every third year`` and ``every quarter`` say how often, not how many."""
    if i + 2 >= hi:
        return None
    word = doc[i + 1].lower_
    if word in {"half", "quarter"} or word.endswith("s"):
        return None
    den = vocab["every_nth"].get(word) or fraction_denominator(word, vocab)
    if den is None and is_ordinal(word):
        den = int(word[:-2])
    noun = doc[i + 2]
    if not den or noun.pos_ not in NOUNS or noun.lower_ in vocab["measure_units"]:
        return None
    return Stat(i, i + 2, ratio(1, den), "ratio", None, i + 1, "ratio", noun.i)


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
    if w == "every":
        return _every_nth(doc, i, hi, vocab)
    if w in {"a", "an"} and qualified and _lower(doc, i + 1) in vocab["indefinite_durations"] \
            and not _is_timeframe(doc, i, i + 2, hi, vocab):
        value, unit = vocab["indefinite_durations"][_lower(doc, i + 1)]  # over a year, more than a decade
        return Stat(i, i + 2, float(value), unit, None, i + 1, "measure")
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
