"""Numeric claims in press releases: the ``release_stats`` component.

Why rules: releases state figures in a small set of written forms (``35 per cent``,
``one in three``, ``more than half``, ``nearly double``, ``US$ 1.75 million``,
``over 100,000 trafficked persons``); peer tools miss the ratio forms, drop the qualifier
or read years and phone numbers as quantities (shared/notes/peers.md). The component reads
each sentence token by token, recognizes the numeric expression and its qualifier from the
vocabulary in ``data/statistics.json``, rejects numbers that are not quantities (dates,
years, ordinals, list numbers, identifiers, phone numbers, footnotes, the determiner
``one``), then uses the dependency parse to name the subject (what is quantified) and the
cited source.

Layout: :mod:`numerals` reads number strings (no spaCy); :mod:`tokens` looks at the words
around a token; :mod:`reading` reads a number and its qualifier from tokens; :mod:`filters`
rejects numbers that are no quantity; :mod:`classify` decides what a number states;
:mod:`subjects` and :mod:`sources` name what is quantified and who says so; this module
walks the sentences and holds the thin factory. Results are plain dicts in
``Doc._.statistics`` so they survive ``Doc.to_bytes()`` and ``nlp.pipe(n_process=N)``.

Decisions (see also the module's tests):
- ``text`` is the minimal numeric expression with its qualifier and any scale, unit or
  currency word that belongs to the number (``approximately 35 percent``, ``over
  100,000``, ``one in three``, ``US$ 1.75 million``, ``25 years``). The counted noun is
  not in ``text``; it is the ``subject`` (gold.md; tests/gold/README.md decision 27).
- ``subject`` is a short noun phrase around the head noun (``identified victims of
  trafficking``): modifiers, one ``of`` complement and a bare coordinated plural are
  kept, so the head noun that gold records is always inside it when the head is right.
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
  that figure's subject (the whole the share is taken of).
- Hyphenated durations (``a three-day workshop``) are measures of the noun. Money names
  a subject only when it modifies or glosses a noun.
- A sentence cut by a hard line wrap (a line ending without punctuation, the next one
  starting in lower case) is read as one, so ``more`` / ``than 80`` keeps its qualifier.
"""
from __future__ import annotations

from typing import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extract.extensions import doc_text, register
from pipeline.extract.stats.classify import classify_number, recognize_word
from pipeline.extract.stats.filters import NOUNS
from pipeline.extract.stats.model import Stat
from pipeline.extract.stats.numerals import load_vocab, multiple_value, word_number
from pipeline.extract.stats.reading import SIGNS, qualifier_after, qualifier_before, read_number
from pipeline.extract.stats.sources import sentence_sources, source_for
from pipeline.extract.stats.subjects import clean_token, find_subject
from pipeline.extract.stats.tables import with_table_rows
from pipeline.extract.stats.tokens import Vocab, _phrases, token_view, token_view_scope

register("statistics", default=None)

# Extraction


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

    A statistic starts on a digit, a number word, ``a``/``an``/``one``/``half``/``every``, a vague
    plural (``thousands``), a multiple (``doubled``, ``twofold``) or, when enabled, a
    majority word: exactly the words :func:`read_number` and :func:`recognize_word` accept
    first. Most words are none of these, and sparing them the qualifier, number and word
    recognizers is most of the component's time.
    """
    if text[:1].isdigit() or lower in {"a", "an", "one", "half", "every"} or (text[:1] in SIGNS and text[1:2].isdigit()):
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
        if st.start < i:  # a currency sign before the number: the qualifier stands before it
            q_start, qual = qualifier_before(doc, st.start, floor, vocab)
            qualified = qual is not None
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


def _last_subject(history: Sequence[tuple[int, str, str]], idx: int, family: str | None) -> str | None:
    """Subject of the last figure of ``family`` (any when None) in sentence ``idx``
    (history runs in sentence order, so this sentence's entries are its tail)."""
    for h_idx, h_family, subject in reversed(history):
        if h_idx != idx:
            return None
        if family is None or h_family == family:
            return subject
    return None


def _fallback_subject(doc: Doc, st: Stat, history: Sequence[tuple[int, str, str]], idx: int) -> str | None:
    """A figure whose own words name nothing continues one stated before it in its
    sentence: a bare count the last count (``compared to nearly 7,000``), a ratio the last
    share (``one in five ... versus one in three in 2000``), a multiple in a participle
    clause the figure it follows (``200,000 cases were reported, more than doubling``)."""
    if st.kind == "count" and st.noun is None:
        return _last_subject(history, idx, "count")
    if st.kind in SHARE_KINDS:
        return _last_subject(history, idx, "share")
    if st.kind == "multiple" and doc[st.anchor].tag_ == "VBG":
        return _last_subject(history, idx, None)
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
        glossed: tuple[int, str | None] | None = None  # (end token, subject) of the last figure
        for st in stats:
            start_char, end_char = _char_span(doc, st)
            eligible = st.kind in SHARE_KINDS or (st.kind in {"count", "vague"} and st.noun is None)
            previous = _previous_subject(history, idx, st.kind) if eligible else None
            if glossed is not None and glossed[0] == st.start - 1 and doc[st.start - 1].text == "(":
                subject = glossed[1]  # 73% (3,291) of victims: the gloss counts what the figure shares
            else:
                subject = find_subject(doc, st, vocab, sents[idx].start, previous)
            glossed = (st.end, subject)
            if subject is None:
                subject = _fallback_subject(doc, st, history, idx)
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
    with token_view_scope(doc):
        units = text_units(doc)
        found = [(k, find_in_sentence(doc, u, vocab, include_majority=include_majority))
                 for k, u in enumerate(units)]
        body = body_start(doc)
        found = [(k, [st for st in stats if doc[st.start].idx >= body]) for k, stats in found]
        rows = statistic_rows(doc, found, units, vocab)
    text = doc_text(doc)
    return with_table_rows(text, rows, vocab, body) if "|" in text[body:] else rows


def body_start(doc: Doc) -> int:
    """Character offset where the release starts: its headline, when the reader found one.
    What stands before it is site clutter (menus, banners, widgets), whose numbers are no
    claims of the release."""
    title = doc._.title_range if Doc.has_extension("title_range") else None
    return title[0] if title else 0


class StatisticsComponent:
    """Sets ``Doc._.statistics``; needs the tagger, parser and NER to have run."""

    def __init__(self, nlp: Language, name: str, include_majority: bool = False) -> None:
        self.name = name
        self.include_majority = include_majority
        self.vocab = load_vocab()

    def __call__(self, doc: Doc) -> Doc:
        doc._.statistics = extract_statistics(doc, self.vocab, include_majority=self.include_majority)
        return doc


@Language.factory(
    "release_stats",
    default_config={"include_majority": False},
    # token.pos is read too; the model's attribute_ruler sets it without declaring it, so
    # requiring it would make analyze_pipes report a problem that is not one
    requires=["token.dep", "token.tag", "token.lemma", "token.ent_type"],
    assigns=["doc._.statistics"],
)
def make_statistics(nlp: Language, name: str, include_majority: bool = False) -> StatisticsComponent:
    """Factory for ``release_stats`` (config: ``include_majority``, default false)."""
    return StatisticsComponent(nlp, name, include_majority=include_majority)
