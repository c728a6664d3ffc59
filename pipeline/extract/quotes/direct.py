"""Direct and partial quotes: attribute each quote-mark pair, drop titles and scare quotes, tell
direct from partial, and give floating quotes the speaker of the speech before them."""
from __future__ import annotations

import bisect
import re

from pipeline.extract.people.mentions import headline_at
from pipeline.extract.quotes.attribution import Attributor
from pipeline.extract.quotes.context import Attribution, QuoteDoc, Ref, _SpeechEvents
from pipeline.extract.quotes.marks import QuoteSpan, is_title_like, preceded_by_cue
from pipeline.extract.quotes.speakers import Speakers


class DirectQuotes:
    """The direct and partial quotes of one :class:`QuoteDoc`."""

    def __init__(self, ctx: QuoteDoc, speakers: Speakers, attrib: Attributor) -> None:
        self.ctx = ctx
        self.speakers = speakers
        self.attrib = attrib
        self._by_start = None
        self._headlines: dict[int, bool] = {}  # headline_at's answers by line start

    def _in_headline(self, pos: int) -> bool:
        """Whether the line holding ``pos`` is a title-case headline."""
        return headline_at(self.ctx.text, pos, self._headlines)

    def quote_kind(self, q: QuoteSpan, att: Attribution | None, prv: QuoteSpan | None, prev_kind: str | None,
                   frame: tuple[int, int]) -> str:
        """direct when the quote carries its sentence (nothing but an attribution before it,
        or it continues a direct quote split by its attribution), partial when it sits
        inside the writer's own sentence."""
        bs = self.ctx.blocks[q.block][0]
        sent_start = self.ctx.sentence_start(q.start, bs)
        before = self.ctx.text[max(sent_start, frame[0]):q.open].strip(" \t—–-")
        if not before:
            return "direct"
        if att is not None and att.side == "left" and before.rstrip()[-1:] in (",", ":"):
            return "direct"
        if prev_kind == "direct" and prv is not None and prv.block == q.block \
                and not re.search(r"[.!?]\s", self.ctx.text[prv.close + 1:q.open]):
            return "direct"
        return "partial"

    def quotes(self, indirect_rows: list[dict]) -> list[dict]:
        """Direct and partial quotes: attribute each quote-mark pair, drop titles and scare
        quotes, decide direct vs partial."""
        text = self.ctx.text
        cands = self.ctx.spans
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
            if self._in_headline(q.open):
                continue  # a headline reports a quote, it is none: the body has it
            if len(inner) > self.ctx.cfg["max_quote_chars"]:
                continue
            fr, fl = self.attrib.frame_right(q, nxt), self.attrib.frame_left(q, prv)
            att = self.attrib.attrib_right(q, fr)
            if att is None:
                att = self.attrib.attrib_left(q, fl, after_quote=prv is not None and prv.block == q.block
                                       and fl[0] == prv.close + 1)
            titled = (is_title_like(inner) or preceded_by_cue(text, q.open, self.ctx.data.title_cues, 2)
                      or preceded_by_cue(text, q.open, self.ctx.data.scare_cues, 3))
            if titled and (att is None or att.ref is None or att.ref.person is None):
                continue
            if att is not None and att.ref is None and att.cue is not None and att.side == "right" \
                    and not self.ctx.text[q.start:q.end].rstrip()[-1:] in ",.!?…":
                att = None
            if not q.single and (att is None or (att.ref is not None and att.ref.person is None
                                                 and att.ref.kind == "other")):
                # no speaker beside the quote, or only a thing (``…, which suggests “…”``):
                # the person whose speech verb governs the quote's words
                gov = self.attrib.attrib_govern(q)
                att = gov if gov is not None else att
            if att is None and q.single:
                continue
            kind = self.quote_kind(q, att, prv, prev_kind, fl)
            if att is None and kind == "partial":
                continue
            if att is None and titled:
                continue
            results.append((q, att, kind))
            prev_kind = kind
        return self._finish(results, indirect_rows)

    def _finish(self, results, indirect_rows: list[dict]) -> list[dict]:
        """Inherit speakers for floating quotes; drop unattributed ones that are short."""
        out: list[dict] = []
        events: list[tuple[int, int, Ref]] = []  # (char end, block, ref) of attributed speech
        for q, att, kind in results:
            if att is not None and att.ref is not None and att.ref.person is not None:
                events.append((q.end, q.block, att.ref))
        for r in indirect_rows:
            if r["_person"] is not None:
                events.append((r["end_char"], self.ctx.block_of(r["start_char"]),
                               Ref(r["_ref"][0], r["_ref"][1], r["speaker_mention"], r["_person"], "name")))
        speech = _SpeechEvents(events)
        chain: tuple[int, Ref] | None = None  # (block, speaker) of the last quote that inherited
        for q, att, kind in results:
            if att is None or att.ref is None:
                ref = self._inherit(q, speech)
                opens_paragraph = not self.ctx.text[self.ctx.blocks[q.block][0]:q.open].strip()
                if ref is None and chain is not None and opens_paragraph and q.block - chain[0] == 1:
                    # a statement quoted paragraph by paragraph: each paragraph opens with a
                    # quote mark, and all are the speaker of the first
                    ref = chain[1]
                if ref is not None and opens_paragraph:
                    chain = (q.block, ref)
                if ref is not None:
                    att = Attribution(att.cue if att is not None else None, ref, "inherit")
                elif att is None:
                    words = self.ctx.text[q.start:q.end].split()
                    ends = self.ctx.text[q.start:q.end].rstrip()[-1:] in ".!?…" or \
                        self.ctx.text[q.close + 1:q.close + 2] in (".", "!", "?")
                    if len(words) < self.ctx.cfg["min_unattributed_words"] or not ends or q.block == 0:
                        continue
                    att = Attribution(None, None, "none")
            ref = att.ref
            person = ref.person if ref is not None else None
            mention = ref.text if ref is not None and att.side != "inherit" else None
            if ref is not None and person is not None and att.side != "inherit" and ref.kind != "name":
                self.ctx.index.add_reference(person, ref.start_char, ref.end_char, ref.text, ref.kind)
            out.append({
                "start_char": q.start, "end_char": q.end, "text": self.ctx.text[q.start:q.end], "kind": kind,
                "cue": att.cue, "speaker_mention": mention, "_person": person,
            })
        return out

    def _inherit(self, q: QuoteSpan, events) -> Ref | None:
        """Speaker of a quote with no attribution of its own: the last speaker in the same or
        the previous paragraph (a floating quote), else the last subject person of the two
        sentences before it."""
        found = events.last_before(q.open, q.block, self.ctx.block_starts[max(q.block - 1, 0)])
        if found is not None:
            return found
        k = self.ctx.tok_at(q.open)
        sents = self.ctx.index._sentences()
        si = self.ctx.index._sent_index(k)
        for back in (1, 2):
            if si - back < 0:
                break
            s = sents[si - back]
            if q.block - self.ctx.block_of(s.start_char) > 1:
                break
            m = self._first_subject_mention(s.start_char, s.end_char)
            if m is not None:
                return Ref.of_name(m)
        return None

    def _first_subject_mention(self, start: int, end: int):
        """The first name mention (in the index's order) starting in [start, end) that is a
        subject, looked up by position instead of read from every mention of the release."""
        if self._by_start is None:
            ms = self.ctx.index.mentions
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
