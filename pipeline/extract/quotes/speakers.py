"""Who speaks: the speaker reference of a speech verb's subject or of the words around a quote
(a name, a pronoun or description resolved by the people step, an organization, or other)."""
from __future__ import annotations

import bisect

from spacy.attrs import DEP

from pipeline.extract.people.vocabulary import fold, vocab
from pipeline.extract.quotes.context import QuoteDoc, Ref, tokens_with
from pipeline.extract.quotes.marks import dateline_length
from pipeline.resources.speech import (fold_word, is_collective_org_noun, is_non_speaker_noun,
                                      is_org_noun)

DEFINITE = ("the", "this", "that")  # determiners of a definite description


def _never_speaks(tok) -> bool:
    """Whether a head noun names a document, an event or a group that never speaks."""
    return is_non_speaker_noun(tok.text) or is_non_speaker_noun(tok.lemma_)


class Speakers:
    """Speaker references over one :class:`QuoteDoc`."""

    def __init__(self, ctx: QuoteDoc) -> None:
        self.ctx = ctx
        # definite descriptions that are subjects, resolved in text order, so that later
        # pronouns can chain through them (``The agency chief said ... He added ...``)
        doc = ctx.doc
        for i in tokens_with(doc, DEP, ("nsubj", "nsubjpass")):
            tok = doc[i]
            if tok.pos_ in ("NOUN", "PROPN") and not ctx.in_quote[tok.i] \
                    and ctx.index.mention_at(tok.i) is None:
                self.ref_for(tok)

    def ref_for(self, tok, depth: int = 0) -> Ref | None:
        """Speaker reference for a subject token (or a token starting the speaker phrase)."""
        if tok is None or depth > 3:
            return None
        idx = self.ctx.index
        m = idx.mention_at(tok.i)
        if m is not None:
            return Ref.of_name(m)
        low = tok.lower_
        if low in vocab().pronoun_gender and tok.pos_ == "PRON":
            pidx = idx.resolve_pronoun(tok)
            return Ref(tok.idx, tok.idx + len(tok.text), tok.text, pidx, "pronoun")
        if low in ("who", "that") and tok.head.dep_ == "relcl":
            return self.ref_for(tok.head.head, depth + 1)
        if tok.dep_ == "appos" and idx.mention_at(tok.head.i) is not None:
            return self.ref_for(tok.head, depth + 1)
        if tok.pos_ == "ADP" or tok.is_punct:
            return None
        if fold_word(tok.lemma_) in self.ctx.data.documents:
            # ``Ms. X's statement called it ...``: a person's own statement is the person speaking
            for c in tok.children:
                mm = idx.mention_at(c.i)
                if c.dep_ == "poss" and mm is not None and not self.ctx.in_quote[c.i]:
                    return Ref.of_name(mm)
        sub = [t for t in tok.subtree if not self.ctx.in_quote[t.i]]
        for t in sub:
            mm = idx.mention_at(t.i)
            if mm is not None and t.dep_ not in ("poss",) and not self._in_relcl(t, tok):
                return Ref.of_name(mm)
        if tok.pos_ in ("NOUN", "PROPN") and not self.ctx.in_quote[tok.i]:
            left = [t for t in sub if t.i <= tok.i]
            if left and (left[0].lower_ in ("the", "a", "an", "its", "their", "his", "her") or
                         any(c.dep_ == "poss" for c in tok.children)):
                f = fold(tok.text)
                # ``the Director General``: the head of a two-word title is its last word
                role = f in vocab().person_nouns or f in vocab().role_head_words or any(
                    c.dep_ == "compound" and fold(c.text) in vocab().role_head_words
                    for c in tok.children)
                if role:
                    pidx = idx.resolve_description(tok)
                    s, e = left[0].idx, tok.idx + len(tok.text)
                    return Ref(s, e, self.ctx.text[s:e], pidx, "description")
        if not sub:
            return None
        s, e = self._phrase(tok, sub)
        return Ref(s, e, self.ctx.text[s:e], None, "other")

    def _phrase(self, tok, sub: list) -> tuple[int, int]:
        """Character span of a noun phrase as written: its words up to a comma, a bracket or
        a relative clause (``the agency, which ...`` -> ``the agency``)."""
        doc = self.ctx.doc
        end = tok.i
        for t in sub:
            if t.i > tok.i and (t.text in (",", "(") or t.dep_ in ("relcl", "acl")):
                break
            end = t.i
        return sub[0].idx, doc[end].idx + len(doc[end].text)

    def document_speaks(self, verb, subj) -> bool:
        """Whether a participle's inherited subject is really a document: ``The Board issued
        a Call ..., calling upon States to ...`` -- the Call calls, not the Board (a document
        is never a speaker), when
        the head verb's object is a document or a quoted title."""
        if verb.tag_ != "VBG" or subj.head.i == verb.i:
            return False
        head = verb.head
        while head.dep_ == "conj" and head.head.i != head.i and not any(c.dep_ == "dobj" for c in head.children):
            head = head.head
        for o in head.children:
            if o.dep_ == "dobj" and (fold_word(o.text) in self.ctx.data.documents
                                     or fold_word(o.lemma_) in self.ctx.data.documents
                                     or any(self.ctx.in_quote[t.i] for t in o.subtree)):
                return True
        return False

    def group_pronoun(self, subj) -> Ref | None:
        """``it`` / ``they`` speaking (``…, it said``, ``they said in the report``): gold.md
        takes a pronoun speaker whoever it stands for, with a null speaker when no person is
        named. Not when the previous sentence's subject, which the pronoun most likely takes
        up, is a document or a thing that never speaks (``The report was published. It says
        that …``)."""
        if subj.pos_ != "PRON" or subj.lower_ not in ("it", "they") or self.ctx.in_quote[subj.i]:
            return None
        sent = self.ctx.sent(subj)
        if sent.start > 0:
            prev = self.ctx.sent(self.ctx.doc[sent.start - 1])
            for t in prev:
                if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and _never_speaks(t):
                    return None
        return Ref(subj.idx, subj.idx + len(subj.text), subj.text, None, "organization")

    def _in_org_mention(self, tok) -> bool:
        """Whether a token lies inside an organization mention of ``release_orgs``."""
        k = bisect.bisect_right(self.ctx.org_spans, (tok.idx, float("inf"))) - 1
        return k >= 0 and self.ctx.org_spans[k][0] <= tok.idx < self.ctx.org_spans[k][1]

    def org_speaker(self, subj) -> Ref | None:
        """The subject of a speech verb as an organization speaker (a named speaker with
        no person: the quote's speaker is null), else None. Its head noun must be the organization itself:
        inside an organization mention (``Polaris reported ...``), an ORG entity, a
        singular organization noun in a definite description (``the UN agency said``, ``our
        country office reports``), or a singular or collective organization noun a
        nationality or place names (``German police said``, ``Kenyan authorities reported``).
        The head decides, not a name somewhere in the phrase, so ``a report by UNODC says``
        is a document speaking; documents, laws, events, groups of people and roles never
        speak as organizations."""
        tok = subj
        if tok.lower_ in ("which", "that", "who") and tok.head.dep_ == "relcl":
            tok = tok.head.head  # ``UNODC, which warned that ...``
        if tok.pos_ not in ("NOUN", "PROPN") or self.ctx.in_quote[tok.i]:
            return None
        f = fold(tok.text)
        if _never_speaks(tok) or f in vocab().person_nouns or f in vocab().role_head_words:
            return None
        kids = list(tok.children)
        if self._in_org_mention(tok) or tok.ent_type_ == "ORG":
            ok = True
        elif is_org_noun(tok.lemma_) or is_org_noun(tok.text):
            singular = tok.tag_ in ("NN", "NNP")
            definite = singular and any(
                (c.dep_ == "det" and c.lower_ in DEFINITE) or c.dep_ == "poss"
                or (c.dep_ == "compound" and c.i < tok.i and c.pos_ == "PROPN") for c in kids)
            # ``German police pointed out``, ``Kenyan authorities said``: a nationality or
            # place names the body as a determiner would (not a generic plural, ``Chinese
            # companies say``, nor an indefinite one, ``a Chinese company said``)
            placed = (singular or is_collective_org_noun(tok.lemma_)) \
                and not any(c.dep_ == "det" and c.lower_ not in DEFINITE for c in kids) \
                and any(c.dep_ in ("amod", "compound") and c.i < tok.i
                        and c.ent_type_ in ("NORP", "GPE") for c in kids)
            ok = definite or placed
        else:
            ok = False
        if not ok:
            return None
        sub = [t for t in tok.subtree if not self.ctx.in_quote[t.i]]
        if not sub:
            return None
        s, e = self._phrase(tok, sub)
        if s == self.ctx.sent(tok).start_char:
            s += dateline_length(self.ctx.text[s:e])  # ``VIENNA – The agency said ...``
        if s >= e:
            return None
        return Ref(s, e, self.ctx.text[s:e], None, "organization")

    def _in_relcl(self, t, top) -> bool:
        while t.i != top.i and t.head.i != t.i:
            if t.dep_ in ("relcl", "acl", "advcl", "ccomp"):
                return True
            t = t.head
        return False

    def subject_of(self, verb):
        """The subject a (speech) verb has or inherits: its own nsubj; a conjunct's or a
        participle's head's subject (``said X, calling for ...``), or that of a verb of joining
        whose ``in`` it follows (``X joins Y in calling for ...``); None for passives."""
        subj = [c for c in verb.children if c.dep_ == "nsubj" and not self.ctx.in_quote[c.i]]
        if subj:
            # two subjects is a misparse (``GENEVA – X is Y, the expert said``, ``Progress,
            # said Mr. X, has ...``): a person reference first, then the nearest one
            return min(subj, key=lambda c: (not self._personish(c), abs(c.i - verb.i)))
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return None
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
            return self.subject_of(verb.head)
        if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG" and verb.head.i != verb.i:
            if self.ctx.is_cue(verb) and any(c.dep_ == "ccomp" for c in verb.children):
                # ``X said the clinic had treated 40 patients, adding that ...``: the parser
                # hangs ``adding`` on the reported clause; the one adding is the speaker
                h = verb.head
                while not self.ctx.is_cue(h) and h.dep_ in ("ccomp", "conj", "advcl") and h.head.i != h.i:
                    h = h.head
                if self.ctx.is_cue(h):
                    return self.subject_of(h)
            return self.subject_of(verb.head)
        head = verb.head
        if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ == "in" \
                and head.head.lemma_.lower() in self.ctx.data.joining_verbs and head.head.i != head.i:
            return self.subject_of(head.head)  # ``UNFPA joins WHO in calling for ...``
        if verb.dep_ == "relcl":
            return verb.head
        return None

    def _personish(self, tok) -> bool:
        """Whether a subject token refers to a person: a name, a personal pronoun or a role
        noun (used only to choose between two subjects of one verb)."""
        if any(self.ctx.index.mention_at(t.i) is not None for t in tok.subtree):
            return True
        f = fold(tok.text)
        return (f in vocab().pronoun_gender and tok.pos_ == "PRON") or f in vocab().person_nouns \
            or f in vocab().role_head_words

    def _ref_after(self, i: int, limit: int) -> Ref | None:
        """Speaker phrase starting at token i (inverted ``said Ms. X``)."""
        doc = self.ctx.doc
        n = min(len(doc), i + 14)
        for k in range(i, n):
            t = doc[k]
            if t.idx >= limit or t.text in (".", "!", "?", ";") or self.ctx.in_quote[t.i]:
                break
            m = self.ctx.index.mention_at(k)
            if m is not None:
                return Ref.of_name(m)
            if t.lower_ in vocab().pronoun_gender and t.pos_ == "PRON":
                return self.ref_for(t)
            if t.pos_ in ("VERB", "AUX") and t.is_lower:
                break
        if i < len(doc) and doc[i].idx < limit:
            head = doc[i]
            while head.head.i != head.i and i <= head.head.i < n and not self.ctx.is_cue(head.head):
                head = head.head
            return self.ref_for(head)
        return None

    def ref_in(self, a: int, b: int) -> Ref | None:
        """Speaker phrase within tokens [a, b) (``Ms. X, the Director, said``)."""
        doc = self.ctx.doc
        for k in range(a, b):
            m = self.ctx.index.mention_at(k)
            if m is not None:
                return Ref.of_name(m)
        for k in range(a, b):
            t = doc[k]
            if t.lower_ in vocab().pronoun_gender and t.pos_ == "PRON":
                return self.ref_for(t)
        heads = [doc[k] for k in range(a, b) if not (a <= doc[k].head.i < b) or doc[k].head.i == k]
        heads = [h for h in heads if not h.is_punct]
        if heads:
            return self.ref_for(heads[0])
        return None

    def speaker_of_cue(self, cue, frame: tuple[int, int]) -> Ref | None:
        """Speaker of a cue verb: its (inherited) subject, else a name ending right before
        it, else the phrase right after it."""
        subj = self.subject_of(cue)
        if subj is not None and not self.ctx.in_quote[subj.i]:
            r = self.ref_for(subj)
            if r is not None:
                return r
        if subj is None and cue.tag_ in ("VBZ", "VBD", "VBP"):
            r = self._name_before(cue.i)
            if r is not None:
                return r
        return self._ref_after(cue.i + 1, frame[1])

    def _name_before(self, i: int) -> Ref | None:
        """A person's name ending right before token i, behind at most a comma: the subject
        the parser hung elsewhere (``In a statement by UNESCO, its director general, Audrey
        Azoulay, warns that ...``: the name became an apposition of UNESCO)."""
        doc = self.ctx.doc
        k = i - 1
        if k >= 0 and doc[k].text == ",":
            k -= 1
        m = self.ctx.index.mention_at(k) if k >= 0 else None
        if m is None or self.ctx.in_quote[k] or m.end_char != doc[k].idx + len(doc[k].text):
            return None
        return Ref.of_name(m)
