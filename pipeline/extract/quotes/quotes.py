"""Quotes in press releases: direct, partial and indirect speech, with their speakers.

Pure helpers come first (quote-mark pairing, title tests; no model needed), then the
attribution over a spaCy parse, then the ``release_quotes`` factory. The speech verbs,
title cues and scare-quote cues are data (``pipeline/resources/speech_verbs.json``); people,
honorifics and titles come from ``pipeline.extract.people.people``.

Why not pair marks over the whole text like textacy: one stray or nested mark shifts every
later pair, and an odd count makes it give up on the release. Here marks are paired inside
one paragraph (a line, or lines joined by a hard wrap), by direction where the typography or
the neighbouring characters tell it, and an unclosed mark never runs past its paragraph
except for the journalistic convention of a quote that continues into the next paragraph.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from spacy.attrs import DEP, IDX, LEMMA
from spacy.language import Language

from pipeline.extract.extensions import doc_text, register
from pipeline.extract.people import people as P
from pipeline.resources import RESOURCES

DATA_DIR = RESOURCES

register("quotes", default=None)
register("people", default=None)

OPEN, CLOSE, AMBIG = 1, 2, 3
DOUBLE_MARKS = {"“": OPEN, "„": OPEN, "«": OPEN, "”": CLOSE, "»": CLOSE, '"': AMBIG}
SINGLE_MARKS = {"‘": OPEN, "’": CLOSE, "'": AMBIG}
ALL_MARKS = set(DOUBLE_MARKS) | set(SINGLE_MARKS)
# the marks found with a regex scan, not a Python test of every character of a release
DOUBLE_MARK_RE = re.compile("[" + re.escape("".join(DOUBLE_MARKS)) + "]")
SINGLE_MARK_RE = re.compile("[" + re.escape("".join(SINGLE_MARKS)) + "]")
OPEN_BEFORE = set("([{—–-/:;") | {"“", "‘", "«", "„"}
CLOSE_AFTER = set(".,;:!?)]}—–-…") | {"”", "’", "»", '"', "'"}
DASHES = {"-", "–", "—", "--"}


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class SpeechData:
    """Speech verbs and quote cues, loaded once from speech_verbs.json."""

    verbs: dict[str, dict]
    title_cues: frozenset[str]
    scare_cues: tuple[str, ...]
    wh_words: frozenset[str]
    unfinished: frozenset[str]
    org_nouns: frozenset[str]
    not_speakers: frozenset[str]
    documents: frozenset[str]


@lru_cache(maxsize=1)
def speech_data() -> SpeechData:
    """Load pipeline/resources/speech_verbs.json once."""
    raw = json.loads((DATA_DIR / "speech_verbs.json").read_text(encoding="utf-8"))
    return SpeechData(
        verbs={k.lower(): v for k, v in raw["verbs"].items()},
        title_cues=frozenset(w.lower() for w in raw["title_cues"]),
        scare_cues=tuple(sorted((w.lower() for w in raw["scare_cues"]), key=len, reverse=True)),
        wh_words=frozenset(w.lower() for w in raw.get("wh_words", [])),
        unfinished=frozenset(_fold_word(w) for w in raw.get("unfinished_line_words", [])),
        org_nouns=frozenset(_fold_word(w) for w in raw.get("organization_speakers", {}).get("nouns", [])),
        not_speakers=frozenset(_fold_word(w) for ws in raw.get("organization_speakers", {}).get("not_speakers", {}).values()
                               for w in ws),
        documents=frozenset(_fold_word(w) for w in
                            raw.get("organization_speakers", {}).get("not_speakers", {}).get("documents", [])),
    )


def _fold_word(w: str) -> str:
    """Casefold with straight apostrophes, for word-list look-ups."""
    return w.replace("’", "'").casefold()


def is_speech_lemma(lemma: str) -> bool:
    """Whether a lemma is a reporting verb of the data file."""
    return lemma.lower() in speech_data().verbs


def is_org_noun(word: str) -> bool:
    """Whether a common noun heads a description of an organization (``the agency``,
    ``our office``), so that it can speak (decision 8 of the gold README)."""
    return _fold_word(word) in speech_data().org_nouns


def is_non_speaker_noun(word: str) -> bool:
    """Whether a head noun names something that never speaks, even when a tagger calls it an
    organization: a document or law (``the report says``), an event, a group of people."""
    return _fold_word(word) in speech_data().not_speakers


# --------------------------------------------------------------------------- pure: quote marks
@dataclass(frozen=True)
class QuoteSpan:
    """A pair of quotation marks found in the text."""

    open: int          # offset of the opening mark
    close: int         # offset of the closing mark (== block end when unclosed)
    start: int         # inner text start (after the mark, whitespace stripped)
    end: int           # inner text end (exclusive)
    closed: bool
    single: bool
    block: int         # index of the paragraph block


def text_blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph blocks: lines, joined where a line break is only a hard wrap (the line does
    not end a sentence and the next one starts lowercase). Blank lines are dropped."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if line.strip():
            lines.append((s, e))
    blocks: list[tuple[int, int]] = []
    last_line = 0  # start of the last line of the last block: its end is read, not the block
    for s, e in lines:
        if blocks:
            ps, pe = blocks[-1]
            prev = text[last_line:pe].rstrip()
            nxt = text[s:e].lstrip()
            gap = text[pe:s]
            if gap.count("\n") == 1 and prev and nxt and nxt[0].islower() and prev[-1] not in ".!?:;”\"":
                blocks[-1] = (ps, e)
                last_line = s
                continue
        blocks.append((s, e))
        last_line = s
    return blocks


def _mark_role(text: str, p: int, bs: int, be: int, table: dict[str, int]) -> int:
    """OPEN / CLOSE / AMBIG for the mark at p, from its type and its neighbours."""
    ch = text[p]
    prev = text[p - 1] if p > bs else " "
    nxt = text[p + 1] if p + 1 < be else " "
    open_ctx = (prev.isspace() or prev in OPEN_BEFORE) and not nxt.isspace()
    close_ctx = not prev.isspace() and (nxt.isspace() or nxt in CLOSE_AFTER)
    role = table[ch]
    if role == OPEN and close_ctx and not open_ctx:
        return CLOSE
    if role == CLOSE and open_ctx and not close_ctx:
        return OPEN
    if role == AMBIG:
        if open_ctx and not close_ctx:
            return OPEN
        if close_ctx and not open_ctx:
            return CLOSE
    return role


def _strip_inner(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Pair quotation marks paragraph by paragraph; never raises.

    Double marks (“ ” " « » „) are paired first; a closing mark with nothing open is a stray
    and skipped; an opening mark while one is open restarts the quote there (the first was a
    stray). An unclosed quote is kept only when it opens a sentence and either the next
    paragraph opens with a quotation mark (a quote running over paragraphs) or it is the
    last paragraph (a text cut short); otherwise it is dropped, never swallowing text.
    Single marks (‘ ’ ') pair only outside double quotes, and only a ‘/' that opens a word
    with a ’/' that ends one within 300 characters (apostrophes never pair).
    """
    blocks = text_blocks(text)
    spans: list[QuoteSpan] = []
    for b, (bs, be) in enumerate(blocks):
        marks = [(p, _mark_role(text, p, bs, be, DOUBLE_MARKS))
                 for p in (m.start() for m in DOUBLE_MARK_RE.finditer(text, bs, be))]
        opened: int | None = None
        doubles: list[tuple[int, int, bool]] = []
        for p, role in marks:
            if opened is None:
                if role in (OPEN, AMBIG):
                    opened = p
            elif role in (CLOSE, AMBIG):
                doubles.append((opened, p, True))
                opened = None
            else:
                opened = p
        if opened is not None:
            before = text[bs:opened].rstrip()
            starts_sentence = not before or before[-1] in ".!?:"
            nxt_open = b + 1 < len(blocks) and text[blocks[b + 1][0]:blocks[b + 1][1]].lstrip()[:1] in ("“", '"', "«", "„")
            last = b == len(blocks) - 1
            inner = text[opened + 1:be]
            if starts_sentence and (nxt_open or last) and len(inner.split()) >= 3:
                doubles.append((opened, be, False))
        for o, c, closed in doubles:
            s, e = _strip_inner(text, o + 1, c)
            if e > s:
                spans.append(QuoteSpan(o, c, s, e, closed, False, b))
        # single marks outside double quotes (the pairs are in text order and never overlap,
        # so the pair that could hold a mark is the last one opened before it)
        opens = [o for o, _, _ in doubles]
        opened = None
        for m in SINGLE_MARK_RE.finditer(text, bs, be):
            p, ch = m.start(), m.group()
            k = bisect.bisect_right(opens, p) - 1
            if k >= 0 and p <= doubles[k][1]:
                continue
            prev = text[p - 1] if p > bs else " "
            nxt = text[p + 1] if p + 1 < be else " "
            is_open = (prev.isspace() or prev in OPEN_BEFORE) and nxt.isalnum() and ch in "‘'"
            is_close = (not prev.isspace()) and (nxt.isspace() or nxt in CLOSE_AFTER) and ch in "’'"
            if opened is not None and is_close and p - opened <= 300:
                s, e = _strip_inner(text, opened + 1, p)
                if e > s:
                    spans.append(QuoteSpan(opened, p, s, e, True, True, b))
                opened = None
            elif is_open:
                opened = p
    spans.sort(key=lambda q: q.open)
    return spans


DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][\w’'.\-]*(?:[ /][A-Z][\w’'.\-]*){0,4})"  # GENEVA / New York/Vienna
    r"(?:,[^–—\n()]{0,40}?)?"                                     # , 17 March 2006
    r"(?:\s*\([^()\n]{0,60}\))?"                                  # (2 July 2020) / (UNHCR)
    r"\s*(?:–|—|--|-)\s+(?=[A-Z“\"‘])")


def dateline_length(text: str) -> int:
    """Length of a dateline opening ``text`` (``GENEVA (2 July 2020) – ``, ``VIENNA, 17 March
    2006 - ``), else 0. A capitalised word before a dash is a dateline only with a date in it
    or in capitals (a place line), so ``Ms. Ruiz – the new Director – said`` is left alone."""
    m = DATELINE_RE.match(text)
    if not m:
        return 0
    place = m.group("place")
    if any(c.isdigit() for c in m.group(0)) or (place.isupper() and len(place) >= 3):
        return m.end()
    return 0


_SMALL = frozenset("a an and as at but by for from in into of on or the to vs with against via per nor".split())


def is_title_like(s: str) -> bool:
    """Whether quoted words read as a title (most content words capitalised, no sentence end):
    ``Roadmap for Faster Action to End Forced Labour by 2030``."""
    s = s.strip()
    if not s or s[-1] in ".!?":
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", s) if w.lower() not in _SMALL]
    if not words:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6 and (len(words) >= 2 or caps == len(words))


def preceded_by_cue(text: str, pos: int, cues: Sequence[str] | frozenset[str], words: int = 3) -> bool:
    """Whether one of ``cues`` stands among the few words right before ``pos``
    (``the report titled “…”``, ``so-called ‘…’``)."""
    before = text[max(0, pos - 80):pos].split("\n")[-1].lower()
    before = re.sub(r"[\s,:]+$", "", before)
    tail = " ".join(re.findall(r"[\w\-’']+", before)[-words:])
    return bool(_cue_regex(tuple(cues)).search(tail))


@lru_cache(maxsize=16)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern:
    """One compiled pattern for "a cue ends the text, after a space or at its start": the
    cues were compiled one by one for every quote."""
    return re.compile(rf"(?:^|\s)(?:{'|'.join(re.escape(c) for c in cues)})$") if cues else re.compile(r"(?!)")


# --------------------------------------------------------------------------- attribution (spaCy)
@dataclass
class Ref:
    """Who is said to speak: the words as written and the doc-local person, if any."""

    start_char: int
    end_char: int
    text: str
    person: int | None
    kind: str  # name | pronoun | description | other


@dataclass
class Attribution:
    cue: str | None
    ref: Ref | None
    side: str  # right | left | govern | inherit | none


def tokens_with(doc, attr: int, values, fold=None) -> list[int]:
    """Indices of the tokens whose ``attr`` (a spaCy attribute id such as DEP or LEMMA) names
    one of ``values`` (after ``fold``), in order.

    Read from one array with each distinct label looked up once, so that a scan for a few
    subjects or speech verbs does not build a Token object for every word of the release.
    """
    ids = doc.to_array(attr).tolist()
    strings = doc.vocab.strings
    wanted = {h for h in set(ids) if (fold(strings[h]) if fold else strings[h]) in values}
    return [i for i, h in enumerate(ids) if h in wanted]


class _SpeechEvents:
    """Attributed speech as (end char, block, ref), for finding the last one before a quote.

    The same answer as ``max`` over the events that end by the quote's opening mark in its
    own or the previous paragraph (the first such in the given order on a tie), found by
    bisecting the events sorted by end instead of reading them all for every quote.
    """

    def __init__(self, events: list) -> None:
        self.events = events
        self.order = sorted(range(len(events)), key=lambda n: (events[n][0], n))
        self.ends = [events[n][0] for n in self.order]

    def last_before(self, pos: int, block: int, floor: int):
        """Ref of the last event ending by ``pos`` in ``block`` or the one before; ``floor``
        is where the previous block starts: no such event ends before it."""
        k = bisect.bisect_right(self.ends, pos) - 1
        best = None
        while k >= 0 and self.ends[k] >= floor:
            end, b, ref = self.events[self.order[k]]
            if best is not None and end < best[0]:
                break
            if block - b in (0, 1) and (best is None or self.order[k] < best[1]):
                best = (end, self.order[k], ref)
            k -= 1
        return best[2] if best else None


_CLAUSE_STOP_RE = re.compile(r"[.!?:;]")
_LINE_WORD_RE = re.compile(r"[\w’'\-]+")
_NEXT_STOP_RE = re.compile(r"[.!?](?=[”\"’)]?(?:\s|$))")
SENTENCE_STOP_RE = re.compile(r"[.!?][”\"’)]?\s+")


class _Extractor:
    """One pass over a Doc: quote candidates, attributions, indirect speech."""

    def __init__(self, doc, index: P.PeopleIndex, cfg: dict, org_mentions: Sequence[dict] | None = None):
        self.doc = doc
        self.org_spans = sorted((int(m["start_char"]), int(m["end_char"])) for m in (org_mentions or []))
        self.text = doc_text(doc)
        self.index = index
        self.cfg = cfg
        self.data = speech_data()
        self.spans = find_quote_spans(self.text)
        self.span_opens = [q.open for q in self.spans]
        self._stop_starts: list[int] | None = None
        self._closes: dict[int, int] | None = None
        self._by_start = None
        self.blocks = text_blocks(self.text)
        self.block_starts = [s for s, _ in self.blocks]
        self.tok_starts = doc.to_array(IDX).tolist()
        self.in_quote = [False] * len(doc)
        self.in_double = [False] * len(doc)
        for q in self.spans:
            for k in self._tokens_in(q.open, q.close + 1):
                self.in_quote[k] = True
                if not q.single:
                    self.in_double[k] = True
        # definite descriptions that are subjects, resolved in text order, so that later
        # pronouns can chain through them (``The agency chief said ... He added ...``)
        for i in tokens_with(doc, DEP, ("nsubj", "nsubjpass")):
            tok = doc[i]
            if tok.pos_ in ("NOUN", "PROPN") and not self.in_quote[tok.i] \
                    and index.mention_at(tok.i) is None:
                self.ref_for(tok)

    # ---- small helpers
    def _tok_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.tok_starts, char) - 1)

    def _tokens_in(self, s: int, e: int) -> range:
        a = bisect.bisect_left(self.tok_starts, s)
        b = bisect.bisect_left(self.tok_starts, e)
        return range(a, b)

    def _block_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.block_starts, char) - 1)

    def _block_close(self, block: int) -> int:
        """One past the last closing mark of the quotes in a paragraph block (-1 if none)."""
        if self._closes is None:
            self._closes = {}
            for x in self.spans:
                self._closes[x.block] = max(self._closes.get(x.block, -1), x.close + 1)
        return self._closes.get(block, -1)

    def _last_char_before(self, pos: int) -> str:
        """The last character before ``pos`` that is no whitespace ('' if none)."""
        k = pos
        while k > 0 and self.text[k - 1].isspace():
            k -= 1
        return self.text[k - 1:k]

    def _sent(self, tok):
        """The sentence of ``tok``, from the Doc's sentence list read once: ``Token.sent``
        walks the whole sentence on every call, quadratic in a sentence that never ends."""
        return self.index._sentences()[self.index._sent_index(tok.i)]

    def is_cue(self, tok) -> bool:
        return (not self.in_quote[tok.i] and tok.lemma_.lower() in self.data.verbs
                and (tok.pos_ == "VERB" or tok.tag_.startswith("VB")))

    # ---- who speaks
    def ref_for(self, tok, depth: int = 0) -> Ref | None:
        """Speaker reference for a subject token (or a token starting the speaker phrase)."""
        if tok is None or depth > 3:
            return None
        doc, idx = self.doc, self.index
        m = idx.mention_at(tok.i)
        if m is not None:
            return Ref(m.start_char, m.end_char, m.text, m.person, "name")
        low = tok.lower_
        if low in P.vocab().pronoun_gender and tok.pos_ == "PRON":
            pidx = idx.resolve_pronoun(tok)
            return Ref(tok.idx, tok.idx + len(tok.text), tok.text, pidx, "pronoun")
        if low in ("who", "that") and tok.head.dep_ == "relcl":
            return self.ref_for(tok.head.head, depth + 1)
        if tok.dep_ == "appos" and idx.mention_at(tok.head.i) is not None:
            return self.ref_for(tok.head, depth + 1)
        if tok.pos_ == "ADP" or tok.is_punct:
            return None
        sub = [t for t in tok.subtree if not self.in_quote[t.i]]
        for t in sub:
            mm = idx.mention_at(t.i)
            if mm is not None and t.dep_ not in ("poss",) and not self._in_relcl(t, tok):
                return Ref(mm.start_char, mm.end_char, mm.text, mm.person, "name")
        if tok.pos_ in ("NOUN", "PROPN") and not self.in_quote[tok.i]:
            left = [t for t in sub if t.i <= tok.i]
            if left and (left[0].lower_ in ("the", "a", "an", "its", "their", "his", "her") or
                         any(c.dep_ == "poss" for c in tok.children)):
                f = P._fold(tok.text)
                if f in P.vocab().person_nouns or f in P.vocab().role_head_words:
                    pidx = idx.resolve_description(tok)
                    s, e = left[0].idx, tok.idx + len(tok.text)
                    return Ref(s, e, self.text[s:e], pidx, "description")
        if not sub:
            return None
        s, e = self._phrase(tok, sub)
        return Ref(s, e, self.text[s:e], None, "other")

    def _phrase(self, tok, sub: list) -> tuple[int, int]:
        """Character span of a noun phrase as written: its words up to a comma, a bracket or
        a relative clause (``the agency, which ...`` -> ``the agency``)."""
        doc = self.doc
        end = tok.i
        for t in sub:
            if t.i > tok.i and (t.text in (",", "(") or t.dep_ in ("relcl", "acl")):
                break
            end = t.i
        return sub[0].idx, doc[end].idx + len(doc[end].text)

    def _document_speaks(self, verb, subj) -> bool:
        """Whether a participle's inherited subject is really a document: ``ICAT issued a
        Call ..., calling upon States to ...`` -- the Call calls, not ICAT (decision 8), when
        the head verb's object is a document or a quoted title."""
        if verb.tag_ != "VBG" or subj.head.i == verb.i:
            return False
        head = verb.head
        while head.dep_ == "conj" and head.head.i != head.i and not any(c.dep_ == "dobj" for c in head.children):
            head = head.head
        for o in head.children:
            if o.dep_ == "dobj" and (_fold_word(o.text) in self.data.documents
                                     or _fold_word(o.lemma_) in self.data.documents
                                     or any(self.in_quote[t.i] for t in o.subtree)):
                return True
        return False

    def _in_org_mention(self, tok) -> bool:
        """Whether a token lies inside an organization mention of ``release_orgs``."""
        k = bisect.bisect_right(self.org_spans, (tok.idx, float("inf"))) - 1
        return k >= 0 and self.org_spans[k][0] <= tok.idx < self.org_spans[k][1]

    def org_speaker(self, subj) -> Ref | None:
        """The subject of a speech verb as an organization speaker (decision 8: a named
        speaker with no person), else None. Its head noun must be the organization itself:
        inside an organization mention (``Polaris reported ...``), an ORG entity, or a
        singular organization noun in a definite description (``the UN agency said``, ``our
        country office reports``). The head decides, not a name somewhere in the phrase, so
        ``a report by UNODC says`` is a document speaking; documents, laws, events, groups
        of people and roles never speak as organizations."""
        tok = subj
        if tok.lower_ in ("which", "that", "who") and tok.head.dep_ == "relcl":
            tok = tok.head.head  # ``UNODC, which warned that ...``
        if tok.pos_ not in ("NOUN", "PROPN") or self.in_quote[tok.i]:
            return None
        f = P._fold(tok.text)
        if is_non_speaker_noun(tok.text) or is_non_speaker_noun(tok.lemma_) \
                or f in P.vocab().person_nouns or f in P.vocab().role_head_words:
            return None
        kids = list(tok.children)
        if self._in_org_mention(tok) or tok.ent_type_ == "ORG":
            ok = True
        elif is_org_noun(tok.lemma_) or is_org_noun(tok.text):
            ok = tok.tag_ in ("NN", "NNP") and any(
                (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss"
                or (c.dep_ == "compound" and c.i < tok.i and c.pos_ == "PROPN") for c in kids)
        else:
            ok = False
        if not ok:
            return None
        sub = [t for t in tok.subtree if not self.in_quote[t.i]]
        if not sub:
            return None
        s, e = self._phrase(tok, sub)
        if s == self._sent(tok).start_char:
            s += dateline_length(self.text[s:e])  # ``VIENNA – The agency said ...``
        if s >= e:
            return None
        return Ref(s, e, self.text[s:e], None, "organization")

    def _in_relcl(self, t, top) -> bool:
        while t.i != top.i and t.head.i != t.i:
            if t.dep_ in ("relcl", "acl", "advcl", "ccomp"):
                return True
            t = t.head
        return False

    def subject_of(self, verb):
        """The subject a (speech) verb has or inherits: its own nsubj; a conjunct's or a
        participle's head's subject (``said X, calling for ...``); None for passives."""
        subj = [c for c in verb.children if c.dep_ == "nsubj" and not self.in_quote[c.i]]
        if subj:
            # two subjects is a misparse (``GENEVA – X is Y, the expert said``, ``Progress,
            # said Mr. X, has ...``): a person reference first, then the nearest one
            return min(subj, key=lambda c: (not self._personish(c), abs(c.i - verb.i)))
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return None
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
            return self.subject_of(verb.head)
        if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG" and verb.head.i != verb.i:
            return self.subject_of(verb.head)
        if verb.dep_ == "relcl":
            return verb.head
        return None

    def _personish(self, tok) -> bool:
        """Whether a subject token refers to a person: a name, a personal pronoun or a role
        noun (used only to choose between two subjects of one verb)."""
        if any(self.index.mention_at(t.i) is not None for t in tok.subtree):
            return True
        f = P._fold(tok.text)
        return (f in P.vocab().pronoun_gender and tok.pos_ == "PRON") or f in P.vocab().person_nouns \
            or f in P.vocab().role_head_words

    def _ref_after(self, i: int, limit: int) -> Ref | None:
        """Speaker phrase starting at token i (inverted ``said Ms. X``)."""
        doc = self.doc
        n = min(len(doc), i + 14)
        for k in range(i, n):
            t = doc[k]
            if t.idx >= limit or t.text in (".", "!", "?", ";") or self.in_quote[t.i]:
                break
            m = self.index.mention_at(k)
            if m is not None:
                return Ref(m.start_char, m.end_char, m.text, m.person, "name")
            if t.lower_ in P.vocab().pronoun_gender and t.pos_ == "PRON":
                return self.ref_for(t)
            if t.pos_ in ("VERB", "AUX") and t.is_lower:
                break
        if i < len(doc) and doc[i].idx < limit:
            head = doc[i]
            while head.head.i != head.i and i <= head.head.i < n and not self.is_cue(head.head):
                head = head.head
            return self.ref_for(head)
        return None

    def _ref_in(self, a: int, b: int) -> Ref | None:
        """Speaker phrase within tokens [a, b) (``Ms. X, the Director, said``)."""
        doc = self.doc
        for k in range(a, b):
            m = self.index.mention_at(k)
            if m is not None:
                return Ref(m.start_char, m.end_char, m.text, m.person, "name")
        for k in range(a, b):
            t = doc[k]
            if t.lower_ in P.vocab().pronoun_gender and t.pos_ == "PRON":
                return self.ref_for(t)
        heads = [doc[k] for k in range(a, b) if not (a <= doc[k].head.i < b) or doc[k].head.i == k]
        heads = [h for h in heads if not h.is_punct]
        if heads:
            return self.ref_for(heads[0])
        return None

    def speaker_of_cue(self, cue, frame: tuple[int, int]) -> Ref | None:
        """Speaker of a cue verb: its (inherited) subject, else the phrase right after it."""
        subj = self.subject_of(cue)
        if subj is not None and not self.in_quote[subj.i]:
            r = self.ref_for(subj)
            if r is not None:
                return r
        return self._ref_after(cue.i + 1, frame[1])

    # ---- quote frames
    def _frame_right(self, q: QuoteSpan, nxt: QuoteSpan | None) -> tuple[int, int]:
        bs, be = self.blocks[q.block]
        end = be
        if nxt is not None and nxt.block == q.block:
            end = min(end, nxt.open)
        return q.close + 1, end

    def _frame_left(self, q: QuoteSpan, prv: QuoteSpan | None) -> tuple[int, int]:
        bs, be = self.blocks[q.block]
        start = bs
        if prv is not None and prv.block == q.block:
            start = max(start, prv.close + 1)
        return start, q.open

    def attrib_right(self, q: QuoteSpan, frame: tuple[int, int]) -> Attribution | None:
        """``“…,” said X`` / ``“…,” X said`` / ``“…” – X``."""
        doc = self.doc
        toks = [k for k in self._tokens_in(*frame) if not doc[k].is_space]
        if not toks:
            return None
        inner_end = self.text[q.start:q.end].rstrip()
        j = 0
        dash = False
        while j < len(toks) and doc[toks[j]].text in {",", *DASHES}:
            dash = dash or doc[toks[j]].text in DASHES
            j += 1
        if j == len(toks):
            return None
        first = doc[toks[j]]
        tight = j > 0 or (inner_end[-1:] in ",.!?…") or self.is_cue(first) or q.close + 1 == len(self.text) \
            or self.text[q.close - 1:q.close] in ",.!?"
        if not tight:
            return None
        if inner_end[-1:] in ".!?" and frame[1] < self.blocks[q.block][1] \
                and self._last_char_before(frame[1]) in (",", ":"):
            return None  # ``“A.” He added, “B.”``: the words after A introduce B
        cue = None
        for n, k in enumerate(toks[j:]):
            t = doc[k]
            if t.text in (".", "!", "?", ";", ":") or t.text in ALL_MARKS:
                break
            if self.is_cue(t):
                cue = t
                break
            if t.pos_ == "VERB" and t.is_lower:
                break
            if n > 30:
                break
        if cue is None:
            if dash:
                r = self._ref_in(toks[j], min(toks[-1] + 1, toks[j] + 8))
                if r is not None and r.kind == "name":
                    return Attribution(None, r, "right")
            return None
        if cue.i == first.i:
            r = self.speaker_of_cue(cue, frame)
        else:
            subj = self.subject_of(cue)
            r = self.ref_for(subj) if subj is not None and subj.i >= first.i else None
            if r is None:
                r = self._ref_in(first.i, cue.i)
        return Attribution(cue.lemma_.lower(), r, "right")

    def attrib_left(self, q: QuoteSpan, frame: tuple[int, int], after_quote: bool = False) -> Attribution | None:
        """``X said: “…”`` / ``X said, “…”`` / ``X: “…”`` / ``According to X, “…”``; also
        ``X added:`` closing the previous paragraph."""
        doc = self.doc
        toks = [k for k in self._tokens_in(*frame) if not doc[k].is_space and not self.in_quote[k]]
        if not toks and q.block > 0 and not self.text[frame[0]:q.open].strip():
            ps, pe = self.blocks[q.block - 1]
            if self.text[ps:pe].rstrip().endswith(":"):
                last_close = max(self._block_close(q.block - 1), ps)
                return self.attrib_left(q, (last_close, pe))
        if not toks:
            return None
        end = len(toks)
        colon = False
        while end > 0 and doc[toks[end - 1]].text in {",", ":", *DASHES}:
            colon = colon or doc[toks[end - 1]].text == ":"
            end -= 1
        if end == 0:
            return None
        toks = toks[:end]
        last = doc[toks[-1]]
        # the last sentence of the frame only
        cut = 0
        for n, k in enumerate(toks):
            if doc[k].text in (".", "!", "?", ";") and n < len(toks) - 1:
                cut = n + 1
        toks = toks[cut:]
        if not toks:
            return None
        for n in range(len(toks) - 1, max(-1, len(toks) - 26), -1):
            t = doc[toks[n]]
            if self.is_cue(t):
                tail = toks[n + 1:]
                if any(doc[k].pos_ == "VERB" and doc[k].is_lower for k in tail):
                    break
                if tail and not colon and len(tail) > (30 if after_quote else 12):
                    break
                r = self.speaker_of_cue(t, (frame[0], q.open))
                if tail and not all(doc[k].pos_ in ("ADV", "SCONJ") or doc[k].lower_ == "that" for k in tail):
                    # words between the cue and the quote must be the (inverted) speaker
                    if r is None or not (tail[0] <= self._tok_at(r.start_char) <= tail[-1]):
                        break
                return Attribution(t.lemma_.lower(), r, "left")
            if t.pos_ == "VERB" and t.is_lower and not self.is_cue(t):
                break
        m = self.index.mention_at(last.i)
        if colon and m is not None:
            return Attribution(None, Ref(m.start_char, m.end_char, m.text, m.person, "name"), "left")
        words = [doc[k].lower_ for k in toks]
        if "according" in words:
            a = words.index("according")
            if a + 1 < len(words) and words[a + 1] == "to" and toks[a + 2:]:
                r = self._ref_in(toks[a + 2], toks[-1] + 1)
                if r is not None:
                    return Attribution(None, r, "left")
        return None

    def attrib_govern(self, q: QuoteSpan) -> Attribution | None:
        """A partial quote inside a reported clause: a speech verb governs its words."""
        doc = self.doc
        inner = [k for k in self._tokens_in(q.start, q.end)]
        if not inner:
            return None
        seen = set()
        for k in inner:
            t = doc[k]
            for _ in range(8):
                if t.head.i == t.i:
                    break
                t = t.head
                if t.i in seen:
                    break
                seen.add(t.i)
                if self.is_cue(t):
                    sent = self._sent(t)
                    r = self.speaker_of_cue(t, (sent.start_char, sent.end_char))
                    if r is not None and r.person is not None:
                        return Attribution(t.lemma_.lower(), r, "govern")
                    return None
        return None

    def _sentence_start(self, char: int, floor: int) -> int:
        """Start of the sentence holding ``char`` (parser sentence, also cut after [.!?]).

        The last sentence end before ``char`` is looked up among the ends of the whole text,
        found once, instead of scanning the sentence again for every quote."""
        tok = self.doc[self._tok_at(char)]
        s = max(floor, self._sent(tok).start_char)
        if self._stop_starts is None:
            self._stop_starts = [m.start() for m in SENTENCE_STOP_RE.finditer(self.text)]
        k = bisect.bisect_left(self._stop_starts, char) - 1
        while k >= 0 and self._stop_starts[k] >= s:
            m = SENTENCE_STOP_RE.match(self.text, self._stop_starts[k], char)
            if m is not None:
                return m.end()
            k -= 1
        return s

    def quote_kind(self, q: QuoteSpan, att: Attribution | None, prv: QuoteSpan | None, prev_kind: str | None,
                   frame: tuple[int, int]) -> str:
        """direct when the quote carries its sentence (nothing but an attribution before it,
        or it continues a direct quote split by its attribution), partial when it sits
        inside the writer's own sentence."""
        bs = self.blocks[q.block][0]
        sent_start = self._sentence_start(q.start, bs)
        before = self.text[max(sent_start, frame[0]):q.open].strip(" \t—–-")
        if not before:
            return "direct"
        if att is not None and att.side == "left" and before.rstrip()[-1:] in (",", ":"):
            return "direct"
        if prev_kind == "direct" and prv is not None and prv.block == q.block \
                and not re.search(r"[.!?]\s", self.text[prv.close + 1:q.open]):
            return "direct"
        return "partial"

    # ---- the passes
    def quotes(self) -> list[dict]:
        """Direct and partial quotes: attribute each quote-mark pair, drop titles and scare
        quotes, decide direct vs partial."""
        text = self.text
        cands = self.spans
        results: list[tuple[QuoteSpan, Attribution | None, str]] = []
        prev_kind: str | None = None
        reach = -1  # furthest close of the double quotes opened so far (spans are in open order)
        for n, q in enumerate(cands):
            prv = cands[n - 1] if n > 0 else None
            nxt = cands[n + 1] if n + 1 < len(cands) else None
            nested = reach >= q.close
            if not q.single:
                reach = max(reach, q.close)
            if nested:
                continue  # nested inside another quote: part of it
            inner = text[q.start:q.end]
            if len(inner) > self.cfg["max_quote_chars"]:
                continue
            fr, fl = self._frame_right(q, nxt), self._frame_left(q, prv)
            att = self.attrib_right(q, fr)
            if att is None:
                att = self.attrib_left(q, fl, after_quote=prv is not None and prv.block == q.block
                                       and fl[0] == prv.close + 1)
            titled = (is_title_like(inner) or preceded_by_cue(text, q.open, self.data.title_cues, 2)
                      or preceded_by_cue(text, q.open, self.data.scare_cues, 3))
            if titled and (att is None or att.ref is None or att.ref.person is None):
                continue
            if att is not None and att.ref is None and att.cue is not None and att.side == "right" \
                    and not self.text[q.start:q.end].rstrip()[-1:] in ",.!?…":
                att = None
            if att is None and not q.single:
                att = self.attrib_govern(q)
            if att is None and q.single:
                continue
            kind = self.quote_kind(q, att, prv, prev_kind, fl)
            if att is None and kind == "partial":
                continue
            if att is None and titled:
                continue
            results.append((q, att, kind))
            prev_kind = kind
        return self._finish(results)

    def _finish(self, results) -> list[dict]:
        """Inherit speakers for floating quotes; drop unattributed ones that are short."""
        out: list[dict] = []
        events: list[tuple[int, int, Ref]] = []  # (char end, block, ref) of attributed speech
        for q, att, kind in results:
            if att is not None and att.ref is not None and att.ref.person is not None:
                events.append((q.end, q.block, att.ref))
        for r in self.indirect_rows:
            if r["_person"] is not None:
                events.append((r["end_char"], self._block_of(r["start_char"]),
                               Ref(r["_ref"][0], r["_ref"][1], r["speaker_mention"], r["_person"], "name")))
        speech = _SpeechEvents(events)
        for q, att, kind in results:
            if att is None or att.ref is None:
                ref = self._inherit(q, speech)
                if ref is not None:
                    att = Attribution(att.cue if att is not None else None, ref, "inherit")
                elif att is None:
                    words = self.text[q.start:q.end].split()
                    ends = self.text[q.start:q.end].rstrip()[-1:] in ".!?…" or \
                        self.text[q.close + 1:q.close + 2] in (".", "!", "?")
                    if len(words) < self.cfg["min_unattributed_words"] or not ends or q.block == 0:
                        continue
                    att = Attribution(None, None, "none")
            ref = att.ref
            person = ref.person if ref is not None else None
            mention = ref.text if ref is not None and att.side != "inherit" else None
            if ref is not None and person is not None and att.side != "inherit" and ref.kind != "name":
                self.index.add_reference(person, ref.start_char, ref.end_char, ref.text, ref.kind)
            out.append({
                "start_char": q.start, "end_char": q.end, "text": self.text[q.start:q.end], "kind": kind,
                "cue": att.cue, "speaker_mention": mention, "_person": person,
            })
        return out

    def _inherit(self, q: QuoteSpan, events) -> Ref | None:
        """Speaker of a quote with no attribution of its own: the last speaker in the same or
        the previous paragraph (a floating quote), else the last subject person of the two
        sentences before it."""
        found = events.last_before(q.open, q.block, self.block_starts[max(q.block - 1, 0)])
        if found is not None:
            return found
        k = self._tok_at(q.open)
        sents = self.index._sentences()
        si = self.index._sent_index(k)
        for back in (1, 2):
            if si - back < 0:
                break
            s = sents[si - back]
            if q.block - self._block_of(s.start_char) > 1:
                break
            m = self._first_subject_mention(s.start_char, s.end_char)
            if m is not None:
                return Ref(m.start_char, m.end_char, m.text, m.person, "name")
        return None

    def _first_subject_mention(self, start: int, end: int):
        """The first name mention (in the index's order) starting in [start, end) that is a
        subject, looked up by position instead of read from every mention of the release."""
        if self._by_start is None:
            ms = self.index.mentions
            order = sorted(range(len(ms)), key=lambda n: (ms[n].start_char, n))
            self._by_start = ([ms[n].start_char for n in order], [ms[n] for n in order], order)
        starts, ordered, order = self._by_start
        best = None
        for n in range(bisect.bisect_left(starts, start), len(starts)):
            if starts[n] >= end:
                break
            if ordered[n].subject and (best is None or order[n] < best[0]):
                best = (order[n], ordered[n])
        return best[1] if best else None

    # ---- indirect speech
    def indirect(self) -> list[dict]:
        """Reported speech: a speech verb with a reported complement whose subject is a person
        (named, a pronoun, a description) or an organization (speaker_key None)."""
        doc, text = self.doc, self.text
        rows: list[dict] = []
        for i in tokens_with(doc, LEMMA, self.data.verbs, fold=str.lower):
            tok = doc[i]
            if not self.is_cue(tok) or len(self._sent(tok)) > P.MAX_SENTENCE_TOKENS:
                continue  # a "sentence" that long is no prose: its clauses are not read
            spec = self.data.verbs[tok.lemma_.lower()]
            comps = spec.get("complements", [])
            if not comps:
                continue
            if spec.get("particles") and not any(c.lower_ in spec["particles"] and c.dep_ in ("prt", "prep", "advmod")
                                                 for c in tok.children):
                continue
            span = self._complement(tok, spec)
            if span is None and "clause" in comps:
                span = self._parenthetical(tok)
            if span is None:
                continue
            s, e = span
            subj = self.subject_of(tok)
            if subj is None:
                continue
            ref = self.ref_for(subj)
            if ref is not None and ref.person is None and ref.kind not in ("description", "pronoun"):
                ref = self.org_speaker(subj)  # an organization speaks with no person; a thing never
                if ref is not None and self._document_speaks(tok, subj):
                    continue
            if ref is None or (ref.person is None and ref.kind not in ("description", "organization")):
                continue  # no speaker, or an unresolved pronoun
            inq = sum(1 for k in self._tokens_in(s, e) if self.in_double[k])
            total = max(1, len(self._tokens_in(s, e)))
            if inq / total > 0.5:
                continue
            if ref.kind != "name" and ref.person is not None:
                self.index.add_reference(ref.person, ref.start_char, ref.end_char, ref.text, ref.kind)
            rows.append({
                "start_char": s, "end_char": e, "text": text[s:e], "kind": "indirect",
                "cue": tok.lemma_.lower(), "speaker_mention": ref.text, "_person": ref.person,
                "_ref": (ref.start_char, ref.end_char),
            })
        return rows

    def _right_part(self, verb, after: int, keep_bare_conj: bool = False) -> list:
        """Tokens of the verb's subtree after token ``after``, without coordinated or
        adverbial clauses of their own (``... and stressed that``, ``, adding ...``).
        ``keep_bare_conj`` keeps a conjunct verb with no subject of its own that is no speech
        verb: after a wh-clause it is the clause's own second verb, misattached by the parser
        (``described how X cuts across borders and is linked with Y``)."""
        drop: set[int] = set()
        kids = list(verb.children)
        for n, c in enumerate(kids):
            if c.i <= after:
                continue
            if c.dep_ in ("conj", "advcl", "parataxis") and c.pos_ in ("VERB", "AUX"):
                if keep_bare_conj and c.dep_ == "conj" and not self.is_cue(c) \
                        and not any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children):
                    continue
                drop.update(t.i for t in c.subtree)
                if n > 0 and kids[n - 1].dep_ == "cc":
                    drop.add(kids[n - 1].i)
        return [t for t in verb.subtree if t.i > after and t.i not in drop]

    def _wh_start(self, verb) -> int | None:
        """Index of a wh-word opening the verb's complement (``explained how ...``, ``asked
        whether ...``), skipping adverbs of the verb (``said today how ...``)."""
        doc = self.doc
        k = verb.i + 1
        while k < len(doc) and doc[k].head.i == verb.i and doc[k].dep_ in ("advmod", "npadvmod", "prt"):
            k += 1
        if k < len(doc) and doc[k].lower_ in self.data.wh_words and not self.in_quote[k] \
                and verb.left_edge.i <= k <= verb.right_edge.i:
            return k
        return None

    def _complement(self, verb, spec: dict) -> tuple[int, int] | None:
        """Character span of the reported clause of a speech verb, per its data entry; the
        complement kinds are tried in the entry's order (``quote`` takes its object first:
        ``quoted UNODC research that X`` reports the research and its finding)."""
        for kind in spec.get("complements", []):
            toks = self._complement_tokens(verb, spec, kind)
            if toks == "stop":
                return None
            if toks is not None:
                return self._clause_span(verb, toks)
        return None

    def _complement_tokens(self, verb, spec: dict, kind: str):
        """Tokens of one kind of complement (clause / object / prep), None when the verb has
        none, ``"stop"`` when it has one that rules the verb out (an object not in 'objects')."""
        children = list(verb.children)
        if kind == "clause":
            cc = [c for c in children if c.dep_ == "ccomp" and not self.in_quote[c.i]]
            if cc:
                toks = list(cc[0].subtree)
                if cc[0].i > verb.i:
                    # two ccomps that meet are one clause split by the parser (``reported that
                    # the number of cases reported to X | are projected to rise``)
                    for c in cc[1:]:
                        if c.left_edge.i > toks[-1].i + 1:
                            break
                        toks += [t for t in c.subtree if t.i > toks[-1].i]
                if cc[0].i < verb.i:
                    # ``X is Y, its Director Z said``: the clause ends before the speaker
                    subj = self.subject_of(verb)
                    stop = min([t.i for t in subj.subtree] + [subj.i]) if subj is not None else verb.i
                    commas = [t.i for t in toks if t.text == "," and t.i < stop]
                    limit = commas[-1] if commas and stop - commas[-1] < 25 else stop
                    toks = [t for t in toks if t.i < limit]
                return toks
            k = self._wh_start(verb)
            if k is not None:
                return [t for t in self._right_part(verb, verb.i, keep_bare_conj=True) if t.i >= k]
            return None
        if kind == "object":
            dobj = [c for c in children if c.dep_ == "dobj" and not self.in_quote[c.i]]
            if not dobj:
                return None
            o = dobj[0]
            objs = spec.get("objects")
            if objs:
                if o.lemma_.lower() not in objs and o.lower_ not in objs:
                    return "stop"
                return [t for t in o.subtree if t.i > o.i]
            return self._right_part(verb, verb.i)
        if kind == "prep":
            preps = [c for c in children if c.dep_ in ("prep", "prt", "dative") and c.lower_ in spec.get("preps", [])]
            if preps:
                return self._right_part(verb, preps[0].i)
        return None

    def _parenthetical(self, verb) -> tuple[int, int] | None:
        """Reported clause around a parenthetical attribution with no complement of its own:
        ``The problem, said Ms. X, is that laws go unused.`` -> ``is that laws go unused`` (what
        follows the attribution, as gold.md takes the clause after the verb);
        ``Cases rose sharply, she said.`` parsed as a side clause -> ``Cases rose sharply``.

        The attribution is the stretch between two commas (or a comma and the sentence end)
        holding the verb, its subject and nothing else with a verb in it."""
        doc = self.doc
        sent = self._sent(verb)
        marks = (",", "–", "—")
        subj = self.subject_of(verb)
        if subj is None:
            return None
        left = verb.i - 1
        while left >= sent.start and doc[left].text not in marks and verb.i - left <= 8:
            left -= 1
        if left < sent.start or doc[left].text not in marks:
            return None
        right = verb.i + 1
        while right < sent.end and doc[right].text not in marks + (".", "!", "?", ";") and right - verb.i <= 10:
            right += 1
        if not left < subj.i < right:
            return None
        if any(t.pos_ in ("VERB", "AUX") for t in doc[left + 1:right] if t.i != verb.i) \
                or any(self.in_quote[k] for k in range(left, right)):
            return None
        own = {t.i for t in verb.subtree}

        def clause(toks: list) -> list | None:
            # the words around must hold the sentence's own verb, not a part of the attribution
            # (``“…,” said X, Head of Y`` / ``said X, who assumed the role of Y``)
            return toks if any(t.pos_ in ("VERB", "AUX") and t.i not in own for t in toks) else None

        if right < sent.end and doc[right].text in marks:
            after = [t for t in sent if t.i > right]
            first = next((t for t in after if not t.is_space), None)
            if first is None or first.tag_ in ("VBG", "VBN", "TO") or first.lower_ in ("and", "but", "or"):
                return None  # ``..., she said, adding that ...``: a clause of its own
            return self._clause_span(verb, clause(after))
        if right >= sent.end or doc[right].text in (".", "!", "?") or doc[right].is_space:
            return self._clause_span(verb, clause([t for t in sent if t.i < left]))
        return None

    def _clause_span(self, verb, toks: list | None) -> tuple[int, int] | None:
        """Tidy clause tokens into a character span: the verb's paragraph only, no leading
        ``that`` / punctuation / dateline, no trailing punctuation, at least three words; a
        quotation running past the clause belongs to it, and so does the next line when this
        one breaks off mid-sentence (``showed that the`` / ``UN Convention ... works.``)."""
        if not toks:
            return None
        text = self.text
        toks = sorted(toks, key=lambda t: t.i)
        # stay in the verb's paragraph and drop a leading 'that' / punctuation
        block = self._block_of(verb.idx)
        toks = [t for t in toks if self._block_of(t.idx) == block]
        while toks and (toks[0].lower_ in ("that", ",", ":", "–", "-") or toks[0].is_space):
            toks = toks[1:]
        while toks and ((toks[-1].is_punct and toks[-1].text not in (")", "]")) or toks[-1].is_space):
            toks = toks[:-1]
        if not toks:
            return None
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if s == self._sent(toks[0]).start_char:
            cut = dateline_length(text[s:e])
            if cut:
                s += cut
                toks = [t for t in toks if t.idx >= s]
        if len([t for t in toks if not t.is_punct]) < 3:
            return None
        # a quotation that starts inside the clause and runs past it belongs to it (spans are
        # in open order: only those opening before the clause's growing end are read)
        for k in range(bisect.bisect_left(self.span_opens, s), len(self.spans)):
            q = self.spans[k]
            if q.open >= e:
                break
            if not q.single and e < q.close:
                e = q.close + 1
        return s, self._continue_line(e, block)

    def _continue_line(self, e: int, block: int) -> int:
        """End of a clause that reaches a line ending mid-sentence (the line's last words are
        ones no sentence ends on, ``... showed that the``): the end of the next line's first
        sentence. Scraped releases break lines there; the runner's sentences cannot see it."""
        text = self.text
        bs, be = self.blocks[block]
        # the block is read from ``e`` to its first stop and from its end backwards, not
        # whole: a release converted from PDF is one block, and this runs for every clause
        if _CLAUSE_STOP_RE.search(text, e, be) or block + 1 >= len(self.blocks):
            return e
        words = []
        for m in _LINE_WORD_RE.finditer(text, e, be):
            words.append(m.group())
            if len(words) > 3:
                return e
        last_word = self._last_word(bs, be)
        if last_word is None:
            return e
        if self._last_char_before(be) in ".!?:;,”\"'’)" or _fold_word(last_word) not in self.data.unfinished:
            return e
        if any(_fold_word(w) not in self.data.unfinished for w in words):
            return e
        ns, ne = self.blocks[block + 1]
        m = _NEXT_STOP_RE.search(text, ns, ne)
        return m.start() if m else ne

    def _last_word(self, bs: int, be: int) -> str | None:
        """The last word of ``text[bs:be]`` (None if it has none), read from the end."""
        window = 64
        while True:
            lo = max(bs, be - window)
            last = None
            for last in _LINE_WORD_RE.finditer(self.text, lo, be):
                pass
            if last is not None and (last.start() > lo or lo == bs):
                return last.group()
            if lo == bs:
                return None
            window *= 4

    def run(self) -> list[dict]:
        self.indirect_rows = self.indirect() if self.cfg["indirect"] else []
        rows = self.quotes() + self.indirect_rows
        rows.sort(key=lambda r: (r["start_char"], r["end_char"], r["kind"]))
        return rows


# --------------------------------------------------------------------------- public API
def extract(doc, org_mentions: Sequence[dict] | None = None, cfg: dict | None = None) -> tuple[list[dict], list[dict]]:
    """(quotes, people) of a parsed Doc as lists of plain dicts."""
    conf = dict(DEFAULT_CONFIG)
    conf.update(cfg or {})
    index = P.build_people(doc, org_mentions)
    rows = _Extractor(doc, index, conf, org_mentions).run()
    quotes = []
    for r in rows:
        p = index.person(r.pop("_person", None))
        r.pop("_ref", None)
        r["speaker_key"] = p.key if p is not None else None
        quotes.append(r)
    people = [p.as_dict() for p in index.persons]
    return quotes, people


DEFAULT_CONFIG = {"max_quote_chars": 3000, "min_unattributed_words": 6, "indirect": True}


class ReleaseQuotes:
    """spaCy component: sets ``doc._.quotes`` and ``doc._.people``."""

    def __init__(self, nlp: Language, name: str, max_quote_chars: int, min_unattributed_words: int, indirect: bool):
        self.name = name
        self.cfg = {"max_quote_chars": max_quote_chars, "min_unattributed_words": min_unattributed_words,
                    "indirect": indirect}

    def __call__(self, doc):
        orgs = doc._.org_mentions if doc.has_extension("org_mentions") else None
        quotes, people = extract(doc, orgs or [], self.cfg)
        doc._.quotes = quotes
        doc._.people = people
        return doc


@Language.factory("release_quotes", default_config=DEFAULT_CONFIG)
def make_release_quotes(nlp: Language, name: str, max_quote_chars: int, min_unattributed_words: int,
                        indirect: bool) -> ReleaseQuotes:
    """Quotes (direct, partial, indirect) and people of a release; runs after 'ner' and
    'release_orgs' (whose ``doc._.org_mentions`` it uses when present)."""
    return ReleaseQuotes(nlp, name, max_quote_chars, min_unattributed_words, indirect)
