"""In-release coreference: the persons of a Doc and the resolution of pronouns (``she``) and
definite descriptions (``the expert``) to them, used by the quote finder."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline.extract.extensions import doc_text
from pipeline.extract.people.mentions import Mention, Person
from pipeline.extract.people.names import genders_compatible
from pipeline.extract.people.titles import acronym_map, is_acronym, words_of
from pipeline.extract.people.vocabulary import CONNECTORS, fold, vocab

MAX_SENTENCE_TOKENS = 400  # a longer parser sentence is no prose (a flattened table or list)


@dataclass
class PeopleIndex:
    """Doc-local persons plus what the quote finder needs to resolve references to them."""

    doc: object
    persons: list[Person]
    mentions: list[Mention]                      # clustered name mentions, text order
    by_token: dict[int, Mention]
    _pron_cache: dict[int, int | None] = field(default_factory=dict)
    _desc_cache: dict[int, int | None] = field(default_factory=dict)
    _sents: list | None = None
    _sent_starts: list[int] = field(default_factory=list)
    _desc_keys: list[int] = field(default_factory=list)  # keys of _desc_cache, sorted
    _mentions_sorted: tuple | None = None
    _pron_subjects: dict[int, list[int]] = field(default_factory=dict)

    def person(self, idx: int | None) -> Person | None:
        return self.persons[idx] if idx is not None and 0 <= idx < len(self.persons) else None

    def mention_at(self, i: int) -> Mention | None:
        """The name mention covering token i, if any."""
        return self.by_token.get(i)

    def add_reference(self, person_idx: int, start_char: int, end_char: int, text: str, kind: str) -> None:
        """Record a resolved pronoun or description as a mention of a person."""
        p = self.person(person_idx)
        if p is None:
            return
        if any(x.start_char == start_char and x.end_char == end_char for x in p.mentions):
            return
        p.mentions.append(Mention(-1, -1, start_char, end_char, text, "", None, kind=kind, person=person_idx))

    def _salient(self, before_char: int) -> list[tuple[int, Mention]]:
        return [(m.start_char, m) for m in self.mentions if m.end_char <= before_char and m.person is not None]

    def _sentences(self) -> list:
        if self._sents is None:
            self._sents = list(self.doc.sents)
            self._sent_starts = [s.start for s in self._sents]
        return self._sents

    def _sent_index(self, i: int) -> int:
        self._sentences()
        return max(0, bisect.bisect_right(self._sent_starts, i) - 1)

    def _refs_in(self, sent, before_i: int) -> list[tuple[int, int, bool]]:
        """(token index, person, is_subject) of the references to persons in a sentence
        before token ``before_i``: name mentions, resolved descriptions and subject pronouns."""
        return self._drive(self._refs_in_steps(sent, before_i))

    def _refs_in_steps(self, sent, before_i: int):
        """:meth:`_refs_in` as a generator that yields each pronoun it needs resolved and is
        sent back the person (see :meth:`_drive`).

        A "sentence" longer than ``MAX_SENTENCE_TOKENS`` is no prose (a table or a list
        flattened by a converter) and holds no references: reading it for every pronoun
        after it was quadratic."""
        if len(sent) > MAX_SENTENCE_TOKENS:
            return []
        lo, hi = sent.start, min(sent.end, before_i)
        out: list[tuple[int, int, bool]] = []
        starts, ordered = self._mention_index()
        for n in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
            m = ordered[n]
            if m.person is not None:
                out.append((m.tok_start, m.person, m.subject))
        for n in range(bisect.bisect_left(self._desc_keys, lo), bisect.bisect_left(self._desc_keys, hi)):
            i = self._desc_keys[n]
            pidx = self._desc_cache[i]
            if pidx is not None:
                out.append((i, pidx, self.doc[i].dep_ in ("nsubj", "nsubjpass")))
        for i in self._subject_pronouns(sent):
            if i >= before_i:
                break
            pidx = yield self.doc[i]
            if pidx is not None:
                out.append((i, pidx, True))
        out.sort()
        return out

    def _mention_index(self) -> tuple[list[int], list[Mention]]:
        """The name mentions sorted by first token, with their first tokens, for bisecting."""
        if self._mentions_sorted is None:
            ordered = sorted(self.mentions, key=lambda m: m.tok_start)
            self._mentions_sorted = ([m.tok_start for m in ordered], ordered)
        return self._mentions_sorted

    def _subject_pronouns(self, sent) -> list[int]:
        """Token indices of the subject pronouns (he, she…) of a sentence, found once."""
        got = self._pron_subjects.get(sent.start)
        if got is None:
            pron = vocab().pronoun_gender
            got = self._pron_subjects[sent.start] = [
                t.i for t in sent
                if t.lower_ in pron and t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass")]
        return got

    def resolve_pronoun(self, tok) -> int | None:
        """Person a third-person singular pronoun refers to.

        Hobbs-style: a subject earlier in the same sentence, else, going back sentence by
        sentence (at most six), that sentence's subject reference, else its first one. Subject
        pronouns count once resolved, so ``he`` chains to the last ``he``. The person's gender
        (from honorifics) must agree with the pronoun's.
        """
        if tok.i in self._pron_cache:
            return self._pron_cache[tok.i]
        return self._drive(self._resolve_steps(tok))

    def _drive(self, steps):
        """Run a resolution generator without recursion: each pronoun it yields is resolved
        by a generator of its own, run on an explicit stack, and the person is sent back.
        The steps and their order are those of plain recursion."""
        stack, value = [steps], None
        while stack:
            try:
                tok = stack[-1].send(value)
            except StopIteration as done:
                stack.pop()
                value = done.value
                continue
            value = None
            stack.append(self._resolve_steps(tok))
        return value

    def _resolve_steps(self, tok):
        """:meth:`resolve_pronoun` as a generator (see :meth:`_drive`): a pronoun resolves
        through the pronouns before it, which chain back sentence after sentence; run as
        plain recursion, a long release of ``He …`` sentences overflowed Python's stack."""
        if tok.i in self._pron_cache:
            return self._pron_cache[tok.i]
        self._pron_cache[tok.i] = None  # guards against cycles
        g = vocab().pronoun_gender.get(fold(tok.text))
        result = None
        if g is not None:
            sents = self._sentences()
            k = self._sent_index(tok.i)

            def ok(pidx: int) -> bool:
                return genders_compatible(g, self.persons[pidx].gender)

            refs = yield from self._refs_in_steps(sents[k], tok.i)
            same = [r for r in refs if r[2] and ok(r[1])]
            if same:
                result = same[-1][1]
            else:
                for back in range(1, 7):
                    if k - back < 0:
                        break
                    sent = sents[k - back]
                    refs = yield from self._refs_in_steps(sent, sent.end)
                    inside = [r for r in refs if ok(r[1])]
                    if not inside:
                        continue
                    subj = [r for r in inside if r[2]]
                    result = (subj[0] if subj else inside[0])[1]
                    break
        self._pron_cache[tok.i] = result
        return result

    def resolve_description(self, head) -> int | None:
        """Person a definite description refers to (``the expert``, ``The UNHCR chief``,
        ``the Special Rapporteur``): the person whose title has the head noun (and whose
        organization is named in it), else, for a generic person noun, the last person
        who was a subject before it."""
        if head.i in self._desc_cache:
            return self._desc_cache[head.i]
        v = vocab()
        h = fold(head.text)
        result = None
        left = [t for t in head.subtree if t.i <= head.i]
        det = left[0].lower_ if left else ""
        definite = det in ("the", "its", "their") or any(t.dep_ == "poss" for t in head.children)
        if definite:
            words = {fold(t.text) for t in left}
            best = None
            for m in self._salient(head.idx):
                _, mm = m
                p = self.persons[mm.person]
                score = 0
                if p.title and h in {fold(w) for w in words_of(p.title)}:
                    score += 2
                    if all(fold(w) in {fold(x) for x in words_of(p.title)} | CONNECTORS | {"the"}
                           for w in (t.text for t in left if t.is_alpha and t.i != head.i and not t.is_lower)):
                        score += 1
                if p.organization and (words & {fold(w) for w in words_of(p.organization)}
                                       or any(fold(a) in words for a in _acronyms_of(p.organization, doc_text(self.doc)))):
                    score += 2
                if score and (best is None or (score, mm.start_char) >= (best[0], best[1])):
                    best = (score, mm.start_char, mm.person)
            if best:
                result = best[2]
            elif h in v.person_nouns and det == "the":
                # ``the expert`` is the last person spoken of; ``its spokesperson`` is not
                subj = [m for _, m in self._salient(head.idx) if m.subject]
                if subj:
                    result = subj[-1].person
        if result is None and det in ("the", "a", "an"):
            result = self._cataphor(head, h)
        if head.i not in self._desc_cache:
            bisect.insort(self._desc_keys, head.i)
        self._desc_cache[head.i] = result
        return result

    def _cataphor(self, head, h: str, window: int = 3) -> int | None:
        """Person a description names ahead of the name, as a release's lead does (``..., a UN
        human rights expert said today.`` then ``The Special Rapporteur on X, Ana Ruiz, ...``).

        The single person named later whose title has the head noun; else, for a generic
        person noun (``expert``, ``official``), the single person named in the next
        ``window`` sentences. Two candidates: ambiguous, None.
        """
        end = head.idx + len(head.text)
        v = vocab()
        named = [t.text for t in head.subtree if t.i < head.i and t.is_alpha and not t.is_lower
                 and t.pos_ != "DET" and fold(t.text) not in v.role_modifiers | v.role_head_words]

        def fits(pidx: int) -> bool:
            # ``the UNODC chief`` is not the person of another organization
            org = self.persons[pidx].organization
            return not named or not org or any(names_organization(w, org, doc_text(self.doc)) for w in named)

        after = [m for m in self.mentions if m.start_char >= end and m.person is not None and fits(m.person)]
        titled = list(dict.fromkeys(m.person for m in after if self.persons[m.person].title
                                    and h in {fold(w) for w in words_of(self.persons[m.person].title)}))
        if len(titled) == 1:
            return titled[0]
        if titled or h not in vocab().person_nouns:
            return None
        sents = self._sentences()
        k = self._sent_index(head.i)
        last, seen = k, 0
        while last + 1 < len(sents) and seen < window:
            last += 1
            if any(t.is_alpha for t in sents[last]):
                seen += 1
        limit = sents[last].end_char
        near = list(dict.fromkeys(m.person for m in after if m.start_char < limit))
        return near[0] if len(near) == 1 else None


def names_organization(word: str, org: str, text: str = "") -> bool:
    """Whether a word of a description names an organization: one of its words, an acronym the
    release defines for it, or the initials of a run of its words (``UN`` and ``UNODC`` for
    ``United Nations Office on Drugs and Crime``)."""
    words = [w for w in words_of(org) if fold(w) not in CONNECTORS]
    f = fold(word)
    if f in {fold(w) for w in words} or word in _acronyms_of(org, text):
        return True
    if not is_acronym(word):
        return False
    initials = "".join(w[0] for w in words).upper()
    return word.upper() in initials


def _acronyms_of(org: str, text: str) -> list[str]:
    """Acronyms a release defines for an organization name."""
    return [a for a, long in acronym_map(text).items() if fold(long) == fold(org)]
