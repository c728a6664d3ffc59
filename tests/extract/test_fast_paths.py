"""The optimized fast paths give exactly what the plain, slow computation gives.

Each test compares a helper with a straightforward reference written here (a naive loop over
tokens, ``re.finditer`` over the plain pattern, the filter or index bypassed), on tiny texts
of our own, including edge cases: empty text, ranges at the text's ends, unicode, line breaks.
"""
from __future__ import annotations

import re

import pytest
from spacy.attrs import DEP, LEMMA, POS
from spacy.tokens import Doc, Span

from pipeline.extract.organizations import abbreviations as A
from pipeline.extract.organizations import gazetteer as O
from pipeline.extract.organizations import words as W
from pipeline.extract.people import docspans as P
from pipeline.extract.quotes import context as Q
from pipeline.extract.sections import component as S
from pipeline.extract.stats import component as ST
from pipeline.extract.stats import tokens as TK
from pipeline.extract.stats import vocabulary as VB
from pipeline.extract.stats.numerals import load_vocab


# ----------------------------------------------------------------------------- sections


def reference_flags(texts, spaces, is_space) -> dict[int, bool]:
    """The rule as the old token loop wrote it, one token at a time."""
    out: dict[int, bool] = {}
    after_break = False
    for i in range(len(texts)):
        if is_space[i]:
            after_break = after_break or "\n" in texts[i]
            continue
        if i > 0:
            if after_break or "\n" in spaces[i - 1]:
                out[i] = True
            elif texts[i][0] in "”’\"" and texts[i - 1] in {".", "!", "?"}:
                out[i] = False
            elif (texts[i][0] == "[" or texts[i][0].islower()) and texts[i - 1] not in {".", "!", "?"}:
                out[i] = False
        after_break = False
    return out


def old_set_line_starts(doc):
    """``set_line_starts`` as it was: ``Token.is_sent_start`` set token by token."""
    after_break = False
    for i, token in enumerate(doc):
        if token.is_space:
            if "\n" in token.text:
                after_break = True
            continue
        if i > 0:
            prev = doc[i - 1]
            if after_break or "\n" in prev.whitespace_:
                token.is_sent_start = True
            elif token.text[0] in "”’\"" and prev.text in {".", "!", "?"}:
                token.is_sent_start = False
            elif (token.text[0] == "[" or token.text[0].islower()) and prev.text not in {".", "!", "?"}:
                token.is_sent_start = False
        after_break = False
    return doc


SECTION_TEXTS = [
    "",
    "x",
    "\n",
    "\n\nÉtat partie signs.",
    "Heading\nthe body goes on [on trafficking] here.\n\n“Quote.” she said.",
    "He said: “Stop it.” Then “more” came.\nélan vital\n  — dash line",
    "One.\r\nTwo \n three\n",
    "end with a break\n",
]


def test_line_start_flags_pure_rule():
    # a line break makes a start; a lower-case word, a bracket, a closing mark after "." do not
    texts = ["Hello", "\n", "world", "[", "sic", "]", ".", "”", "Next"]
    spaces = ["", "", " ", "", "", "", "", " ", ""]
    is_space = [False, True, False, False, False, False, False, False, False]
    flags = S.line_start_flags(texts, spaces, is_space)
    assert flags == {2: True, 3: False, 4: False, 7: False}
    assert S.line_start_flags([], [], []) == {}
    # a break in the previous token's trailing whitespace counts too (pure inputs)
    assert S.line_start_flags(["a", "B"], ["\n", ""], [False, False]) == {1: True}


@pytest.mark.parametrize("text", SECTION_TEXTS)
def test_line_start_flags_equal_reference(nlp_base, text):
    doc = nlp_base.make_doc(text)
    cols = ([t.text for t in doc], [t.whitespace_ for t in doc], [t.is_space for t in doc])
    assert S.line_start_flags(*cols) == reference_flags(*cols)


@pytest.mark.parametrize("text", SECTION_TEXTS)
def test_set_line_starts_equals_token_by_token(nlp_base, text):
    fast = S.set_line_starts(nlp_base.make_doc(text))
    slow = old_set_line_starts(nlp_base.make_doc(text))
    assert [t.is_sent_start for t in fast] == [t.is_sent_start for t in slow]


# ----------------------------------------------------------------------------- statistics


STAT_TEXTS = [
    "More than 35 per cent of victims were children, and one in three survivors were boys.",
    "Half of the 1,200 cases involved women; a third of them were under 18.",
    "The fund received US$ 1.75 million and €5m in 2023, up from $2 to 3 million.",
    "Thousands of migrants crossed, and detections doubled, a twofold rise over five years.",
    "Nearly 7,000 people, hundreds of families and a dozen girls aged between 5 and 17.",
    "Selon le rapport, 45 % des victimes étaient des femmes\nand twenty-five were men.",
    "The majority of victims were women. ½ of them, 12.5 percent, were minors.",
]


def _stats(nlp_base, text, include_majority=False):
    doc = nlp_base(text)
    return doc, ST.extract_statistics(doc, load_vocab(), include_majority=include_majority)


@pytest.mark.parametrize("include_majority", [False, True])
def test_may_start_statistic_filter_changes_nothing(nlp_base, monkeypatch, include_majority):
    """The statistics found are the same with the word filter and with every token tried."""
    for text in STAT_TEXTS:
        doc = nlp_base(text)
        fast = ST.extract_statistics(doc, load_vocab(), include_majority=include_majority)
        with monkeypatch.context() as m:
            m.setattr(ST, "may_start_statistic", lambda *a, **k: True)
            slow = ST.extract_statistics(doc, load_vocab(), include_majority=include_majority)
        assert fast == slow, text
    # the sentences do hold statistics (the comparison is not between two empty lists)
    assert sum(len(_stats(nlp_base, t)[1]) for t in STAT_TEXTS) >= 15


@pytest.mark.parametrize("include_majority", [False, True])
def test_every_accepted_start_word_passes_filter(nlp_base, monkeypatch, include_majority):
    """Every token on which the number or word recognizers accept something passes the filter."""
    vocab = load_vocab()
    real_filter = ST.may_start_statistic
    real_read, real_word = ST.read_number, ST.recognize_word
    accepted: list[tuple[str, str]] = []

    def read_number(doc, i, end, voc):
        num = real_read(doc, i, end, voc)
        if num is not None:
            accepted.append((doc[i].text, doc[i].lower_))
        return num

    def recognize_word(doc, i, hi, voc, **kw):
        st = real_word(doc, i, hi, voc, **kw)
        if st is not None:
            accepted.append((doc[i].text, doc[i].lower_))
        return st

    monkeypatch.setattr(ST, "may_start_statistic", lambda *a, **k: True)
    monkeypatch.setattr(ST, "read_number", read_number)
    monkeypatch.setattr(ST, "recognize_word", recognize_word)
    for text in STAT_TEXTS:
        ST.extract_statistics(nlp_base(text), vocab, include_majority=include_majority)
    lowers = {lw for _, lw in accepted}
    assert {"one", "half", "thousands", "doubled", "twofold", "35"} <= lowers
    rejected = [(t, lw) for t, lw in accepted if not real_filter(t, lw, vocab, include_majority)]
    assert rejected == []


def test_may_start_statistic_rejects_plain_words():
    vocab = load_vocab()
    for word in ["victims", "the", "were", "said", "percent", "Geneva", "", "."]:
        assert not ST.may_start_statistic(word, word.lower(), vocab), word
    for word in ["35", "1,200", "one", "Half", "twenty", "A"]:
        assert ST.may_start_statistic(word, word.lower(), vocab), word


PHRASES = [("more", "than"), ("more",), ("up", "to"), ("at", "least"), ("nearly",),
           ("as", "many", "as"), ("at",)]


def test_phrase_list_index():
    pl = VB.phrase_list(["more than", "More", "up to", "at least", "nearly", "as many as", "at"])
    assert isinstance(pl, VB.PhraseList)
    assert [len(p) for p in pl] == sorted((len(p) for p in pl), reverse=True)
    assert set(pl) == set(PHRASES)
    assert pl.by_first["at"] == [("at", "least"), ("at",)]
    assert pl.by_last["more"] == [("more",)]
    assert {p for ps in pl.by_first.values() for p in ps} == set(pl)
    assert VB.PhraseList([]).by_first == {}
    assert VB.PhraseList([("a",), ()]).by_first is None  # an empty phrase: no index


@pytest.mark.parametrize("text", [
    "",
    "more",
    "At least 5, up to\n10, as many as 7 and nearly more than at",
    "MORE than half; at\n\nleast Ünïcode more",
])
def test_phrase_list_matches_like_plain_list(nlp_base, text):
    doc = nlp_base.make_doc(text)
    indexed = VB.phrase_list(" ".join(p) for p in PHRASES)
    plain = list(indexed)
    n = len(doc)
    for i in range(n + 1):
        for lo in range(0, i + 1):
            assert TK.match_backward(doc, i, lo, indexed) == TK.match_backward(doc, i, lo, plain)
        for hi in range(i, n + 1):
            if i < n:
                assert TK.match_forward(doc, i, hi, indexed) == TK.match_forward(doc, i, hi, plain)
    if "At least 5" in text:
        assert TK.match_forward(doc, 0, n, indexed) == 2


# ----------------------------------------------------------------------------- abbreviations


ACRONYM_TEXTS = [
    "",
    "UN",
    "UNODC, UNICEF and UN-Habitat met the UN in (IOM) and IOM’s staff; UNUN no.",
    "@ICAT_News UNIS/CP/900 OSRSG VAC OSRSG-VAC OSRSGVAC EU-LISA eu-LISA UN\nUNHCR-led",
    "ÖBB and ÖSTERREICH-UN, G 7, G7 G-7 C&A C&A’s U.N. UNODC2 X-UN",
]
ACRONYM_SETS = [
    ["UNODC", "UNICEF", "UN-Habitat", "UNHCR", "UN", "IOM"],
    ["UN", "UNODC", "IOM"],  # a short branch before longer ones with the same start
    ["OSRSG-VAC", "OSRSG", "EU-LISA", "G 7", "C&A", "ÖBB", "U.N."],
    ["IOM"],
]


def plain_alternation(shorts):
    """The alternation of whole patterns, as the gazetteer compiled it before."""
    return re.compile("|".join(f"(?:{A.acronym_regex(a).pattern})" for a in shorts))


def _spans(rx, text):
    return [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]


@pytest.mark.parametrize("shorts", ACRONYM_SETS)
def test_acronyms_regex_equals_plain_alternation(shorts):
    fast, slow = A.acronyms_regex(shorts), plain_alternation(shorts)
    for text in ACRONYM_TEXTS:
        assert _spans(fast, text) == _spans(slow, text), text
    assert A.acronyms_regex([]) is None


def test_acronyms_regex_finds_uses():
    rx = A.acronyms_regex(["UNODC", "UN", "IOM"])
    found = [m.group() for m in rx.finditer("UNODC and IOM’s office; UN-Habitat, the UN.")]
    assert found == ["UNODC", "IOM", "UN"]


@pytest.mark.parametrize("short", ["UN", "IOM", "OSRSG VAC", "OSRSG-VAC", "EU-LISA", "G 7",
                                   "C&A", "ÖBB", "U.N.", "UNHCR", "  UN  "])
def test_iter_acronym_equals_finditer(short):
    rx = A.acronym_regex(short)
    for text in ACRONYM_TEXTS:
        fast = [(m.start(), m.end()) for m in A.iter_acronym(text, short)]
        assert fast == [(m.start(), m.end()) for m in rx.finditer(text)], (short, text)
        assert A.find_acronym(text, short) == fast


WORD_TEXTS = [
    "",
    "a",
    "States’ U.N. a.b.c IOM’s x-y_z",
    "Zürich’s co-op 3.5 & S’x\nÉcole\n\n  end.",
    "U.S.A. persons’ 12/3 it's'",
]


def reference_words(text, start=0, end=None):
    end = len(text) if end is None else end
    return [(m.group(), m.start(), m.end()) for m in W.WORD_RE.finditer(text, start, end)]


@pytest.mark.parametrize("text", WORD_TEXTS)
def test_text_words_equal_reference(text):
    assert [tuple(w) for w in W.text_words(text)] == reference_words(text)


@pytest.mark.parametrize("text", WORD_TEXTS)
def test_words_fast_path_every_range(text):
    text = W.ReleaseText(text)  # a release: words() cuts ranges from its word list
    served = 0
    for s in range(len(text) + 1):
        for e in range(s, len(text) + 1):
            assert [tuple(w) for w in W.words(text, s, e)] == reference_words(text, s, e), (s, e)
            served += W._indexed_words(text, s, e) is not None
        assert [tuple(w) for w in W.words(text, s)] == reference_words(text, s)
    assert served >= len(text)  # the fast path was really taken (every empty range at least)


@pytest.mark.parametrize("text", WORD_TEXTS)
def test_words_in_line_match_reference(text):
    text = W.ReleaseText(text)
    for pos in range(len(text) + 1):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, pos) + 1
        for limit in (1, 2, 5):
            after = [tuple(w) for w in W.words_in_line_after(text, pos, limit)]
            assert after == reference_words(text, pos, line_end)[:limit], (pos, limit)
            if not any(w.start < pos < w.end for w in W.text_words(text)):
                before = [tuple(w) for w in W.words_in_line_before(text, pos, limit)]
                ref = reference_words(text, line_start, pos)
                assert before == ref[len(ref) - limit:] if len(ref) > limit else before == ref, (pos, limit)


# ----------------------------------------------------------------------------- organizations


ORG_NAMES = [
    "United Nations Office on Drugs and Crime", "United Nations", "Office", "Crime",
    "International Organization for Migration", "Organization for Security and Co-operation in Europe",
    "Ministry of Justice", "Ministry", "Council of Europe", "Save the Children",
]
ORG_TEXTS = [
    "",
    "United Nations",
    "The United Nations Office on Drugs and Crime and the United Nations office met.",
    "International Organization for Migration, Organization for Security and Co-operation in\n"
    "Europe; Ministry of Justice (Ministry) and Council of\nEurope said. Save the Children’s",
    "the ministry of justice, Office, CRIME and Crime. Ünited Nations Organization",
]


def reference_find(index: O.PhraseIndex, text: str):
    """``PhraseIndex.find`` as it was: every length up to ``max_len`` tried at each key."""
    tk = O.text_keys(text)
    out, i, n = [], 0, len(tk.keys)
    while i < n:
        hit = None
        for length in range(min(index.max_len, n - i), 0, -1):
            for value, caps in index.patterns.get(tuple(tk.keys[i:i + length]), ()):
                if all(tk.caps[i + k] or not c for k, c in enumerate(caps)):
                    hit = (length, value)
                    break
            if hit:
                break
        if hit:
            out.append((tk.spans[i][0], tk.spans[i + hit[0] - 1][1], hit[1]))
            i += hit[0]
        else:
            i += 1
    return out


@pytest.mark.parametrize("order", [1, -1])
def test_phrase_index_lengths_equal_every_length(order):
    index = O.PhraseIndex()
    for k, name in enumerate(ORG_NAMES[::order]):
        index.add(name, f"v{k}")
    for first, lengths in index.lengths.items():
        assert lengths == sorted({len(p) for p in index.patterns if p[0] == first}, reverse=True)
    for text in ORG_TEXTS:
        assert index.find(text) == reference_find(index, text), text
    sample = ORG_TEXTS[2]
    found = {sample[s:e] for s, e, _ in index.find(sample)}
    assert found == {"United Nations Office on Drugs and Crime", "United Nations"}


def test_phrase_index_empty():
    index = O.PhraseIndex()
    assert index.find("United Nations") == [] == reference_find(index, "United Nations")
    index.add("", "nothing")
    assert index.lengths == {} and index.find("") == []


# ----------------------------------------------------------------------------- people / quotes


def _plain_ents(doc):
    return [(e.label_, e.start, e.end, e.start_char, e.end_char, e.text) for e in doc.ents]


def test_entities_equal_doc_ents_and_follow_changes(nlp_base):
    doc = nlp_base("Maria Lopez of UNICEF spoke in Geneva on 3 May 2024 about 40 children.")
    assert doc.ents  # the model found some
    assert [tuple(e) for e in P.entities(doc)] == _plain_ents(doc)
    assert P.entities(doc) is P.entities(doc)  # the cached list, while nothing changed
    doc.ents = [Span(doc, 0, 2, label="ORG")]  # a new entity set
    assert [tuple(e) for e in P.entities(doc)] == _plain_ents(doc) == [("ORG", 0, 2, 0, 11, "Maria Lopez")]
    doc.ents = [Span(doc, 0, 2, label="PERSON")]  # same span, new label
    assert [tuple(e) for e in P.entities(doc)] == [("PERSON", 0, 2, 0, 11, "Maria Lopez")]
    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 1, 2, label="PERSON")]  # split
    assert [tuple(e) for e in P.entities(doc)] == _plain_ents(doc)
    assert len(P.entities(doc)) == 2
    doc.ents = []
    assert P.entities(doc) == []
    other = nlp_base("Ana Silva of IOM.")  # another Doc is never served the cached list
    assert [tuple(e) for e in P.entities(other)] == _plain_ents(other)
    assert P.entities(nlp_base.make_doc("")) == []


def test_tokens_with_equals_token_loop(nlp_base):
    doc = nlp_base("“We must act,” said the Director. She Says they stated it\nand Noted nothing.")
    for values in [("nsubj", "nsubjpass"), {"ROOT"}, frozenset(), ("no-such-label",)]:
        assert Q.tokens_with(doc, DEP, values) == [t.i for t in doc if t.dep_ in values]
    verbs = {"say", "state", "note"}
    assert Q.tokens_with(doc, LEMMA, verbs, fold=str.lower) == \
        [t.i for t in doc if t.lemma_.lower() in verbs]
    assert Q.tokens_with(doc, POS, {"PROPN", "NOUN"}) == [t.i for t in doc if t.pos_ in {"PROPN", "NOUN"}]
    assert Q.tokens_with(doc, DEP, ("nsubj",))  # the sentence has a subject
    empty = nlp_base.make_doc("")
    assert Q.tokens_with(empty, DEP, ("nsubj",)) == []
    bare = nlp_base.make_doc("No parse here")  # unset labels read as ""
    assert Q.tokens_with(bare, DEP, {""}) == [t.i for t in bare if t.dep_ == ""] == [0, 1, 2]


def test_statistics_keep_no_document_state_between_releases(nlp_base):
    """Two releases run through the statistics rules in interleaved threads give the rows
    each gives alone, and nothing of a release stays on its Doc or in the module."""
    from concurrent.futures import ThreadPoolExecutor

    texts = ["Nearly 40 percent of the 1,200 survivors were children, and arrests doubled.",
             "Over 5,000 migrants crossed in March; one in four was a minor, the survey found."]
    docs = [nlp_base(t) for t in texts]
    alone = [ST.extract_statistics(d, load_vocab()) for d in docs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda k: ST.extract_statistics(docs[k % 2], load_vocab()), range(20)))
    assert all(rows == alone[k % 2] for k, rows in enumerate(runs))
    assert all(not any(isinstance(key, tuple) and key[:1] == ("release_stats",) for key in d.user_data)
               for d in docs)
    assert not [name for name, value in vars(TK).items() if isinstance(value, (Doc, TK.TokenView))]


# ----------------------------------------------------------------------------- dates

DATE_TEXTS = [
    "",
    "On 12 May 2020 and 3/4/2019.\n2020-01-02T10:00Z was a Monday",
    "Monday,\n12 June\n2019: last July\nand on Friday, 3 June, from January to\nMarch 2018.",
    "2019-2020\n2019/\n20 mid-2020, the 1990s\n1980's 2019–25\n",
    "June 13-19, 2010\n\n8-10 November 2023\nApril this year\nin July\n, 2019\nsept 2019",
    "Tuesday night\nMAY 2019 in may 2019\u2028Friday 2 Aug",
]
YEAR_PATTERNS = ["year_range", "year", "decade"]
MONTH_PATTERNS = ["part_md_range", "part_dm", "part_md", "part_day_before", "part_month_before",
                  "part_month_to_month"]


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_line_windows_find_what_the_whole_text_gives(text):
    from pipeline.extract.dates import absolute as AB, spans as SP, vocab as DV
    windows = SP.lines_with(DV.month_needle(), text)
    for name in MONTH_PATTERNS:
        rx = DV.pattern(name)
        assert [m.span() for m in SP.finditer_lines(rx, text, windows)] == \
            [m.span() for m in rx.finditer(text)], name
    windows = SP.lines_with(SP.YEAR_DIGITS, text)
    for rx in [rx for _, rx, _, _ in AB.rules()] + [DV.pattern(n) for n in YEAR_PATTERNS]:
        assert [m.span() for m in SP.finditer_lines(rx, text, windows)] == \
            [m.span() for m in rx.finditer(text)]
    for line in text.split("\n"):
        assert AB.find_absolute_dates(line) == [
            d for d in AB.find_absolute_dates(line + "\n")]


def test_ago_with_durations_given_equals_reading_them():
    from pipeline.extract.dates import periods as PE
    for text in ["two years ago, and 3 months ago\nfive days\nago", "no such phrase", "",
                 "Ago: 2 years AGO"] + DATE_TEXTS:
        assert PE.find_ago(text, PE.find_durations(text)) == PE.find_ago(text)
