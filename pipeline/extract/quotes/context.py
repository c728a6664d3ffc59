"""What every quote pass reads of one Doc: its text, paragraph blocks, quote-mark pairs, which
tokens sit inside quotes, and small position look-ups; plus the plain records they share."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

from spacy.attrs import IDX

from pipeline.extract.extensions import doc_text
from pipeline.extract.people.coref import PeopleIndex
from pipeline.extract.quotes.marks import find_quote_spans, text_blocks
from pipeline.resources.speech import fold_word, with_extra_verbs


# --------------------------------------------------------------------------- attribution (spaCy)
@dataclass
class Ref:
    """Who is said to speak: the words as written and the doc-local person, if any."""

    start_char: int
    end_char: int
    text: str
    person: int | None
    kind: str  # name | pronoun | description | other

    @classmethod
    def of_name(cls, m) -> "Ref":
        """The reference of a name mention of the people step."""
        return cls(m.start_char, m.end_char, m.text, m.person, "name")


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



class QuoteDoc:
    """One Doc as the quote passes see it, built once per Doc and passed to each of them
    (per-document state lives here, never in a module global)."""

    def __init__(self, doc, index: PeopleIndex, cfg: dict, org_mentions: Sequence[dict] | None = None):
        self.doc = doc
        self.org_spans = sorted((int(m["start_char"]), int(m["end_char"])) for m in (org_mentions or []))
        self.text = doc_text(doc)
        self.index = index
        self.cfg = cfg
        self.data = with_extra_verbs(tuple(cfg.get("extra_speech_verbs", ())))
        self.spans = find_quote_spans(self.text)
        self.span_opens = [q.open for q in self.spans]
        self._stop_starts: list[int] | None = None
        self._closes: dict[int, int] | None = None
        self.blocks = text_blocks(self.text)
        self.block_starts = [s for s, _ in self.blocks]
        self.tok_starts = doc.to_array(IDX).tolist()
        self.in_quote = [False] * len(doc)
        self.in_double = [False] * len(doc)
        for q in self.spans:
            for k in self.tokens_in(q.open, q.close + 1):
                self.in_quote[k] = True
                if not q.single:
                    self.in_double[k] = True

    def tok_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.tok_starts, char) - 1)

    def tokens_in(self, s: int, e: int) -> range:
        a = bisect.bisect_left(self.tok_starts, s)
        b = bisect.bisect_left(self.tok_starts, e)
        return range(a, b)

    def block_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.block_starts, char) - 1)

    def block_close(self, block: int) -> int:
        """One past the last closing mark of the quotes in a paragraph block (-1 if none)."""
        if self._closes is None:
            self._closes = {}
            for x in self.spans:
                self._closes[x.block] = max(self._closes.get(x.block, -1), x.close + 1)
        return self._closes.get(block, -1)

    def last_char_before(self, pos: int) -> str:
        """The last character before ``pos`` that is no whitespace ('' if none)."""
        k = pos
        while k > 0 and self.text[k - 1].isspace():
            k -= 1
        return self.text[k - 1:k]

    def sent(self, tok):
        """The sentence of ``tok``, from the Doc's sentence list read once: ``Token.sent``
        walks the whole sentence on every call, quadratic in a sentence that never ends."""
        return self.index._sentences()[self.index._sent_index(tok.i)]

    def is_cue(self, tok) -> bool:
        return (not self.in_quote[tok.i] and tok.lemma_.lower() in self.data.verbs
                and (tok.pos_ == "VERB" or tok.tag_.startswith("VB")))

    def sentence_start(self, char: int, floor: int) -> int:
        """Start of the sentence holding ``char`` (parser sentence, also cut after [.!?]).

        The last sentence end before ``char`` is looked up among the ends of the whole text,
        found once, instead of scanning the sentence again for every quote."""
        tok = self.doc[self.tok_at(char)]
        s = max(floor, self.sent(tok).start_char)
        if self._stop_starts is None:
            self._stop_starts = [m.start() for m in SENTENCE_STOP_RE.finditer(self.text)]
        k = bisect.bisect_left(self._stop_starts, char) - 1
        while k >= 0 and self._stop_starts[k] >= s:
            m = SENTENCE_STOP_RE.match(self.text, self._stop_starts[k], char)
            if m is not None:
                return m.end()
            k -= 1
        return s

    def continue_line(self, e: int, block: int) -> int:
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
        if self.last_char_before(be) in ".!?:;,”\"'’)" or fold_word(last_word) not in self.data.unfinished:
            return e
        if any(fold_word(w) not in self.data.unfinished for w in words):
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
