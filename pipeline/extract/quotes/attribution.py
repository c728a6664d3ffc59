"""Attribution of a pair of quote marks: the speech verb and speaker written right after the
quote, before it, or governing it (a partial quote inside a reported clause)."""
from __future__ import annotations

from pipeline.extract.quotes.context import Attribution, QuoteDoc, Ref
from pipeline.extract.quotes.marks import ALL_MARKS, DASHES, QuoteSpan
from pipeline.extract.quotes.speakers import Speakers


class Attributor:
    """Finds the attribution of each quote of one :class:`QuoteDoc`."""

    def __init__(self, ctx: QuoteDoc, speakers: Speakers) -> None:
        self.ctx = ctx
        self.speakers = speakers

    def frame_right(self, q: QuoteSpan, nxt: QuoteSpan | None) -> tuple[int, int]:
        bs, be = self.ctx.blocks[q.block]
        end = be
        if nxt is not None and nxt.block == q.block:
            end = min(end, nxt.open)
        return q.close + 1, end

    def frame_left(self, q: QuoteSpan, prv: QuoteSpan | None) -> tuple[int, int]:
        bs, be = self.ctx.blocks[q.block]
        start = bs
        if prv is not None and prv.block == q.block:
            start = max(start, prv.close + 1)
        return start, q.open

    def attrib_right(self, q: QuoteSpan, frame: tuple[int, int]) -> Attribution | None:
        """``“…,” said X`` / ``“…,” X said`` / ``“…” – X``."""
        doc = self.ctx.doc
        toks = [k for k in self.ctx.tokens_in(*frame) if not doc[k].is_space]
        if not toks:
            return None
        inner_end = self.ctx.text[q.start:q.end].rstrip()
        j = 0
        dash = False
        while j < len(toks) and doc[toks[j]].text in {",", *DASHES}:
            dash = dash or doc[toks[j]].text in DASHES
            j += 1
        if j == len(toks):
            return None
        first = doc[toks[j]]
        tight = j > 0 or (inner_end[-1:] in ",.!?…") or self.ctx.is_cue(first) or q.close + 1 == len(self.ctx.text) \
            or self.ctx.text[q.close - 1:q.close] in ",.!?"
        if not tight:
            return None
        if inner_end[-1:] in ".!?" and frame[1] < self.ctx.blocks[q.block][1] \
                and self.ctx.last_char_before(frame[1]) in (",", ":"):
            return None  # ``“A.” He added, “B.”``: the words after A introduce B
        cue = None
        for n, k in enumerate(toks[j:]):
            t = doc[k]
            if t.text in (".", "!", "?", ";", ":") or t.text in ALL_MARKS:
                break
            if self.ctx.is_cue(t):
                cue = t
                break
            if t.pos_ == "VERB" and t.is_lower:
                break
            if n > 30:
                break
        if cue is None:
            if dash:
                r = self.speakers.ref_in(toks[j], min(toks[-1] + 1, toks[j] + 8))
                if r is not None and r.kind == "name":
                    return Attribution(None, r, "right")
            return None
        if cue.i == first.i:
            r = self.speakers.speaker_of_cue(cue, frame)
        else:
            subj = self.speakers.subject_of(cue)
            r = self.speakers.ref_for(subj) if subj is not None and subj.i >= first.i else None
            if r is None:
                r = self.speakers.ref_in(first.i, cue.i)
        return Attribution(cue.lemma_.lower(), r, "right")

    def attrib_left(self, q: QuoteSpan, frame: tuple[int, int], after_quote: bool = False,
                    looked_back: bool = False) -> Attribution | None:
        """``X said: “…”`` / ``X said, “…”`` / ``X: “…”`` / ``According to X, “…”``; also
        ``X added:`` closing the previous paragraph (looked at once: that paragraph may itself
        be a quote ending in a colon, whose own frame is empty too)."""
        doc = self.ctx.doc
        toks = [k for k in self.ctx.tokens_in(*frame) if not doc[k].is_space and not self.ctx.in_quote[k]]
        if not toks and q.block > 0 and not looked_back and not self.ctx.text[frame[0]:q.open].strip():
            ps, pe = self.ctx.blocks[q.block - 1]
            if self.ctx.text[ps:pe].rstrip().endswith(":"):
                last_close = max(self.ctx.block_close(q.block - 1), ps)
                return self.attrib_left(q, (last_close, pe), looked_back=True)
        if not toks:
            return None
        end = len(toks)
        colon = False
        while end > 0 and doc[toks[end - 1]].text in {",", ":", *DASHES}:
            colon = colon or doc[toks[end - 1]].text == ":"
            end -= 1
        set_off = end < len(toks)  # a comma, colon or dash before the quote
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
            if self.ctx.is_cue(t):
                tail = toks[n + 1:]
                if any(doc[k].pos_ == "VERB" and doc[k].is_lower for k in tail):
                    break
                if tail and not colon and len(tail) > (30 if after_quote else 12):
                    break
                r = self.speakers.speaker_of_cue(t, (frame[0], q.open))
                if tail and not all(doc[k].pos_ in ("ADV", "SCONJ") or doc[k].lower_ == "that" for k in tail):
                    # words between the cue and the quote must be the (inverted) speaker, or
                    # the verb's own addressee or circumstance, set off from the quote, after
                    # a speaker before it (``the inspector told reporters, “…``; not ``told
                    # MSNBC's “Morning Joe”``, a title inside the addressee)
                    inverted = r is not None and tail[0] <= self.ctx.tok_at(r.start_char) <= tail[-1]
                    if not inverted and not (set_off and r is not None
                                             and self.ctx.tok_at(r.start_char) < t.i
                                             and self._own_words(t, tail)):
                        break
                return Attribution(t.lemma_.lower(), r, "left")
            if t.pos_ == "VERB" and t.is_lower and not self.ctx.is_cue(t):
                break
        m = self.ctx.index.mention_at(last.i)
        if colon and m is not None:
            return Attribution(None, Ref.of_name(m), "left")
        words = [doc[k].lower_ for k in toks]
        if "according" in words:
            a = words.index("according")
            if a + 1 < len(words) and words[a + 1] == "to" and toks[a + 2:]:
                r = self.speakers.ref_in(toks[a + 2], toks[-1] + 1)
                if r is not None:
                    return Attribution(None, r, "left")
        return None

    @staticmethod
    def _own_words(verb, toks: list[int]) -> bool:
        """Whether ``toks`` all belong to the verb's addressee or circumstances after it
        (``told reporters``, ``said in a statement``, ``told the BBC on Monday``)."""
        own: set[int] = set()
        for c in verb.children:
            if c.i > verb.i and c.dep_ in ("dobj", "dative", "iobj", "prep", "npadvmod", "advmod"):
                own.update(x.i for x in c.subtree)
        return all(k in own for k in toks)

    def attrib_govern(self, q: QuoteSpan) -> Attribution | None:
        """A partial quote inside a reported clause: the nearest speech verb governing its words
        whose speaker is a person."""
        doc = self.ctx.doc
        inner = [k for k in self.ctx.tokens_in(q.start, q.end)]
        if not inner:
            return None
        seen = set()
        for k in inner:
            t = doc[k]
            steps = 8
            while steps > 0:
                steps -= 1
                if t.head.i == t.i:
                    break
                t = t.head
                if t.i in seen:
                    break
                seen.add(t.i)
                if self.ctx.is_cue(t):
                    sent = self.ctx.sent(t)
                    r = self.speakers.speaker_of_cue(t, (sent.start_char, sent.end_char))
                    if r is not None and r.person is not None:
                        return Attribution(t.lemma_.lower(), r, "govern")
                    # no person says it here (``…, which suggests “…”``): a speech verb
                    # further up may (``Tedros said …, which suggests “…”``)
                    steps += 4
        return None
