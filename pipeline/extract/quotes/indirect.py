"""Indirect (reported) speech: a speech verb with a reported complement (a clause, an object,
a prepositional phrase, or the clause around a parenthetical attribution) whose subject is a
person or an organization."""
from __future__ import annotations

import bisect

from spacy.attrs import LEMMA

from pipeline.extract.people.coref import MAX_SENTENCE_TOKENS
from pipeline.extract.quotes.context import QuoteDoc, tokens_with
from pipeline.extract.quotes.marks import dateline_length
from pipeline.extract.quotes.speakers import Speakers


def _purpose(clause) -> bool:
    """Whether a side clause states a purpose (``so as not to ...``, ``in order to ...``, ``so
    that ...``): said with what is urged or warned, not a second statement."""
    words = [t.lower_ for t in clause.subtree][:3]
    return words[:2] in (["so", "as"], ["in", "order"], ["so", "that"])


class IndirectSpeech:
    """The reported speech of one :class:`QuoteDoc`."""

    def __init__(self, ctx: QuoteDoc, speakers: Speakers) -> None:
        self.ctx = ctx
        self.speakers = speakers

    def indirect(self) -> list[dict]:
        """Reported speech: a speech verb with a reported complement whose subject is a person
        (named, a pronoun, a description) or an organization (speaker_key None)."""
        doc, text = self.ctx.doc, self.ctx.text
        rows: list[dict] = []
        for i in tokens_with(doc, LEMMA, self.ctx.data.verbs, fold=str.lower):
            tok = doc[i]
            if not self.ctx.is_cue(tok) or len(self.ctx.sent(tok)) > MAX_SENTENCE_TOKENS:
                continue  # a "sentence" that long is no prose: its clauses are not read
            spec = self.ctx.data.verbs[tok.lemma_.lower()]
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
            if self._asks_for_money(s, e):
                continue
            subj = self.speakers.subject_of(tok)
            if subj is None:
                continue
            ref = self.speakers.ref_for(subj)
            if ref is not None and ref.person is None and ref.kind not in ("description", "pronoun"):
                # an organization speaks with no person, as does ``it`` / ``they``; a thing never
                ref = self.speakers.org_speaker(subj) or self.speakers.group_pronoun(subj)
                if ref is not None and self.speakers.document_speaks(tok, subj):
                    continue
            if ref is None or (ref.person is None and ref.kind not in ("description", "organization")):
                continue  # no speaker, or an unresolved pronoun
            inq = sum(1 for k in self.ctx.tokens_in(s, e) if self.ctx.in_double[k])
            total = max(1, len(self.ctx.tokens_in(s, e)))
            if inq / total > 0.5:
                continue
            if ref.kind != "name" and ref.person is not None:
                self.ctx.index.add_reference(ref.person, ref.start_char, ref.end_char, ref.text, ref.kind)
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
                if keep_bare_conj and c.dep_ == "conj" and not self.ctx.is_cue(c) \
                        and not any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children):
                    continue
                if c.dep_ == "advcl" and _purpose(c):
                    continue  # ``warned X against Y so as not to be Z``: the warning's own end
                drop.update(t.i for t in c.subtree)
                if n > 0 and kids[n - 1].dep_ == "cc":
                    drop.add(kids[n - 1].i)
        # the occasion of the speech act and what follows it (``... in a statement on Monday``)
        cut = next((c.i for c in kids if c.i > after and self._occasion(c)), None)
        if cut is not None:
            for c in kids:
                if c.i >= cut:
                    drop.update(t.i for t in c.subtree)
        return [t for t in verb.subtree if t.i > after and t.i not in drop]

    def _occasion(self, tok) -> bool:
        """Whether a dependent of a speech verb says when or where it spoke: a preposition
        whose object is an occasion noun (``in a statement``, ``at a news conference``), ``on``
        + a date, or a bare date (``Thursday``)."""
        if tok.dep_ == "prep":
            objs = [o for o in tok.children if o.dep_ == "pobj"]
            return any(o.lemma_.lower() in self.ctx.data.occasions for o in objs) or (
                tok.lower_ == "on" and any(o.ent_type_ in ("DATE", "TIME") for o in objs))
        return tok.dep_ == "npadvmod" and tok.ent_type_ in ("DATE", "TIME")

    def _reports_itself(self, head) -> bool:
        """Whether a clause before a trailing attribution is itself a report with its own
        speaker (``The agency pointed out that X``): the trailing ``, DW reports`` only cites
        where it was read."""
        return self.ctx.is_cue(head) and any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children) \
            and (any(c.dep_ == "ccomp" for c in head.children)
                 or self._content_clause_of_prep(head) is not None)

    def _asks_for_money(self, s: int, e: int) -> bool:
        """Whether a complement opens with a sum of money (``appealed for $20 million``,
        ``called for US$ 5 billion in aid``): an appeal for funds reports no speech."""
        toks = [self.ctx.doc[k] for k in self.ctx.tokens_in(s, e)][:4]
        return any(t.ent_type_ == "MONEY" or t.is_currency for t in toks)

    def _without_added_speech(self, head) -> list:
        """Subtree of a reported clause without a speech verb with a clause of its own hung
        inside it: a participle (``... this week, adding that ...``; not ``adding up to ...``),
        a conjunct or a side clause (``X would expand and added that ...``, ``..., though she
        noted that ...``). That one reports speech of its own."""
        drop: set[int] = set()
        for t in head.subtree:
            own = t.dep_ in ("advcl", "conj") or (t.tag_ == "VBG" and t.dep_ == "xcomp")
            if t.i != head.i and own and self.ctx.is_cue(t) and t.i > head.i \
                    and any(c.dep_ == "ccomp" for c in t.children):
                drop.update(x.i for x in t.subtree)
                k = t.left_edge.i - 1
                while k > head.i and self.ctx.doc[k].lower_ in (",", "and", "but", ";"):
                    drop.add(k)
                    k -= 1
        return [t for t in head.subtree if t.i not in drop]

    def _wh_start(self, verb) -> int | None:
        """Index of a wh-word opening the verb's complement (``explained how ...``, ``asked
        whether ...``), skipping adverbs of the verb (``said today how ...``)."""
        doc = self.ctx.doc
        k = verb.i + 1
        while k < len(doc) and doc[k].head.i == verb.i and doc[k].dep_ in ("advmod", "npadvmod", "prt"):
            k += 1
        if k < len(doc) and doc[k].lower_ in self.ctx.data.wh_words and not self.ctx.in_quote[k] \
                and verb.left_edge.i <= k <= verb.right_edge.i:
            return k
        return None

    def _complement(self, verb, spec: dict) -> tuple[int, int] | None:
        """Character span of the reported clause of a speech verb, per its data entry; the
        complement kinds are tried in the entry's order (``quote`` takes its object first:
        ``quoted UNODC research that X`` reports the research and its finding)."""
        framing = verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.i < verb.head.i
        for kind in spec.get("complements", []):
            if framing and kind != "clause":
                continue  # ``Highlighting the agency's work, X said ...``: a frame, no report
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
            cc = [c for c in children if c.dep_ == "ccomp" and not self.ctx.in_quote[c.i]]
            if cc:
                toks = self._without_added_speech(cc[0])
                if cc[0].i > verb.i:
                    # two ccomps that meet are one clause split by the parser (``reported that
                    # the number of cases reported to X | are projected to rise``)
                    for c in cc[1:]:
                        if c.left_edge.i > toks[-1].i + 1:
                            break
                        toks += [t for t in c.subtree if t.i > toks[-1].i]
                if cc[0].i < verb.i and self._reports_itself(cc[0]):
                    return "stop"  # ``The agency said that X, DW reports.``: the agency's report
                if cc[0].i < verb.i:
                    # ``X is Y, its Director Z said``: the clause ends before the speaker
                    subj = self.speakers.subject_of(verb)
                    stop = min([t.i for t in subj.subtree] + [subj.i]) if subj is not None else verb.i
                    # everything from the clause's start to the speaker: the parser hangs a
                    # trailing ``such as ...`` on the verb, not on the clause
                    toks = list(self.ctx.doc[toks[0].i:max(stop, toks[0].i)]) or toks
                    commas = [t.i for t in toks if t.text == "," and t.i < stop]
                    limit = commas[-1] if commas and stop - commas[-1] < 25 else stop
                    toks = [t for t in toks if t.i < limit]
                return toks
            content = self._content_clause_of_prep(verb)
            if content is not None:
                return self._without_added_speech(content)
            k = self._wh_start(verb)
            if k is not None:
                return [t for t in self._right_part(verb, verb.i, keep_bare_conj=True) if t.i >= k]
            return None
        if kind == "object":
            dobj = [c for c in children if c.dep_ == "dobj" and not self.ctx.in_quote[c.i]]
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
                # the addressee warned belongs to the warning (``cautioned young people against
                # X``), as the one called on does (``called on States to X``)
                objs = [c for c in children if c.dep_ == "dobj" and verb.i < c.i < preps[0].i
                        and not self.ctx.in_quote[c.i]]
                return self._right_part(verb, objs[0].left_edge.i - 1 if objs else preps[0].i)
        return None

    def _content_clause_of_prep(self, verb):
        """The head of a that-clause the parser hung on the object of the verb's preposition
        (``pointed out in a statement that X``: ``that X`` on ``statement``), which reports
        what the verb says: a clause opened by ``that`` as a conjunction with a subject of its
        own, not a relative clause (``in a statement that was issued``)."""
        for p in verb.children:
            if p.dep_ != "prep" or p.i < verb.i:
                continue
            for o in p.children:
                if o.dep_ != "pobj":
                    continue
                for c in o.children:
                    kids = list(c.children)
                    if c.dep_ in ("acl", "relcl") and c.i > o.i and not self.ctx.in_quote[c.i] \
                            and any(k.dep_ == "mark" and k.lower_ == "that" for k in kids) \
                            and any(k.dep_ in ("nsubj", "nsubjpass") for k in kids):
                        return c
        return None

    def _parenthetical(self, verb) -> tuple[int, int] | None:
        """Reported clause around a parenthetical attribution with no complement of its own:
        ``The problem, said Ms. X, is that laws go unused.`` -> ``is that laws go unused`` (what
        follows the attribution, as gold.md takes the clause after the verb);
        ``Cases rose sharply, she said.`` parsed as a side clause -> ``Cases rose sharply``.

        The attribution is the stretch between two commas (or a comma and the sentence end)
        holding the verb, its subject and nothing else with a verb in it."""
        doc = self.ctx.doc
        sent = self.ctx.sent(verb)
        marks = (",", "–", "—")
        subj = self.speakers.subject_of(verb)
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
                or any(self.ctx.in_quote[k] for k in range(left, right)):
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
            before = [t for t in sent if t.i < left]
            if any(t.dep_ == "ROOT" and self._reports_itself(t) for t in before):
                return None  # ``The agency said that X, DW reports.``: the report is the agency's
            return self._clause_span(verb, clause(before))
        return None

    def _clause_span(self, verb, toks: list | None) -> tuple[int, int] | None:
        """Tidy clause tokens into a character span: the verb's paragraph only, no leading
        ``that`` / punctuation / dateline, no trailing punctuation, at least three words; a
        quotation running past the clause belongs to it, and so does the next line when this
        one breaks off mid-sentence (``showed that the`` / ``UN Convention ... works.``)."""
        if not toks:
            return None
        text = self.ctx.text
        toks = sorted(toks, key=lambda t: t.i)
        # stay in the verb's paragraph and drop a leading 'that' / punctuation
        block = self.ctx.block_of(verb.idx)
        toks = [t for t in toks if self.ctx.block_of(t.idx) == block]
        while toks and (toks[0].lower_ in ("that", ",", ":", "–", "-") or toks[0].is_space):
            toks = toks[1:]
        while toks and ((toks[-1].is_punct and toks[-1].text not in (")", "]")) or toks[-1].is_space):
            toks = toks[:-1]
        if not toks:
            return None
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if s == self.ctx.sent(toks[0]).start_char:
            cut = dateline_length(text[s:e])
            if cut:
                s += cut
                toks = [t for t in toks if t.idx >= s]
        if len([t for t in toks if not t.is_punct]) < 3:
            return None
        # a quotation that starts inside the clause and runs past it belongs to it (spans are
        # in open order: only those opening before the clause's growing end are read)
        for k in range(bisect.bisect_left(self.ctx.span_opens, s), len(self.ctx.spans)):
            q = self.ctx.spans[k]
            if q.open >= e:
                break
            if not q.single and e < q.close:
                e = q.close + 1
        return s, self.ctx.continue_line(e, block)
