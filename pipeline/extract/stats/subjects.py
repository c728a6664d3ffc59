"""The subject of a statistic: what is quantified, as a short noun phrase read from the
dependency parse (the counted noun, an ``of`` complement, the noun a figure modifies or
glosses, the clause subject, or the population of the previous figure)."""
from __future__ import annotations

import re
from typing import Iterable

from spacy.tokens import Doc, Token

from pipeline.extract.stats.filters import NOUNS
from pipeline.extract.stats.model import Stat
from pipeline.extract.stats.classify import _of_time
from pipeline.extract.stats.tokens import DASHES, Vocab, _lower, _words_before, _words_from




def _span_text(doc: Doc, idxs: Iterable[int]) -> str:
    """Text of the tokens ``idxs``, keeping original spacing inside runs, footnote
    markers trimmed (``States[1`` -> ``States``)."""
    idxs = sorted({k for k in idxs if not doc[k].is_space})
    out = []
    for n, k in enumerate(idxs):
        out.append(clean_token(doc[k].text))
        if n + 1 < len(idxs):
            out.append((doc[k].whitespace_ or "") if idxs[n + 1] == k + 1 else " ")
    return " ".join("".join(out).split())


def clean_token(text: str) -> str:
    """A token without a glued footnote marker (``States[1`` -> ``States``)."""
    m = re.match(r"^(.*[A-Za-z)])\[\d*\]?$", text)
    return m.group(1) if m else text


_NP_DROP_POS = {"DET", "NUM", "PUNCT", "ADP", "CCONJ", "SYM", "PART", "ADV", "SPACE", "PRON", "SCONJ"}
_NP_DROP_DEP = {"det", "predet", "nummod", "quantmod", "poss", "case", "advmod", "cc", "prep", "punct", "relcl",
                "acl", "appos"}


def noun_phrase(doc: Doc, head: Token, vocab: Vocab, exclude: Iterable[int] = (),
                *, with_of: bool = True, with_conj: bool = True) -> list[int]:
    """Token indices of a short noun phrase around ``head``: its adjective and compound
    modifiers, a coordinated bare plural (``women and girls``) and one ``of`` complement
    (``victims of trafficking``); no determiners, numbers, comparatives or statistic."""
    exclude = set(exclude)
    left: list[int] = []
    for t in reversed(doc[head.left_edge.i:head.i]):
        hyphen_inside = t.text in DASHES and not t.whitespace_ and left and left[0] == t.i + 1
        if hyphen_inside:
            left.insert(0, t.i)
            continue
        if t.i in exclude or t.like_num or t.pos_ in _NP_DROP_POS or t.dep_ in _NP_DROP_DEP \
                or t.lower_ in vocab["comparatives"] or t.lower_ in vocab["subject_skip_words"]:
            break
        left.insert(0, t.i)
    while left and doc[left[0]].text in DASHES:
        left.pop(0)
    idxs = left + [head.i]
    if with_conj:
        for c in head.rights:
            if c.dep_ == "conj" and c.pos_ in NOUNS and c.i - head.i <= 2 and c.tag_ == head.tag_ \
                    and not any(x.dep_ in {"det", "amod", "nummod", "compound", "poss"} for x in c.lefts):
                cc = [x for x in doc[head.i + 1:c.i] if x.dep_ == "cc" or x.lower_ in {"and", "or"}]
                if cc:
                    idxs += [x.i for x in cc] + [c.i]
                break
    if with_of:
        obj = _of_object(head)
        if obj is not None and obj.pos_ in NOUNS and obj.i - head.i <= 5 and obj.i not in exclude:
            inner = noun_phrase(doc, obj, vocab, exclude, with_of=False, with_conj=False)
            if not any(doc[k].like_num for k in inner):
                idxs += [k for k in range(head.i + 1, obj.i) if doc[k].lower_ == "of"][:1] + inner
    return sorted(set(idxs))


def _of_object(tok: Token) -> Token | None:
    """The object of an ``of`` complement of ``tok`` (``35 percent of victims``), or its
    gerund (``15 years of monitoring``)."""
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" or (p.dep_ == "pcomp" and p.tag_ == "VBG"):
                    return p
    return None


def _resolve_noun(doc: Doc, tok: Token, vocab: Vocab, exclude: Iterable[int], hops: int = 0) -> str | None:
    """Subject text for a noun, looking through containers (``the number of X`` -> X),
    relative pronouns (``45 per cent of whom`` -> the antecedent), quantifier pronouns
    the parser mis-attached (``of all detected victims``) and ``at a rate``."""
    if hops > 3:
        return None
    if tok.lower_ in vocab["relative_pronouns"] and tok.pos_ in {"PRON", "DET"}:
        clause = tok
        while clause.dep_ not in {"relcl", "ROOT"} and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl" and clause.head.pos_ in NOUNS:
            return _resolve_noun(doc, clause.head, vocab, exclude, hops + 1)
        return None
    if tok.lower_ in {"all", "each", "both", "most"} and tok.pos_ in {"PRON", "DET"}:
        for k in range(tok.i + 1, min(len(doc), tok.i + 5)):
            if doc[k].pos_ in NOUNS:
                return _resolve_noun(doc, doc[k], vocab, exclude, hops + 1)
        return None
    gerund = tok.tag_ == "VBG" and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "pcomp"}  # funding ... was
    if tok.pos_ not in NOUNS and tok.pos_ != "ADJ" and not gerund:
        return None
    if tok.lower_ in vocab["container_nouns"]:
        obj = _of_object(tok)
        if obj is not None:
            if obj.i in set(exclude):
                return None  # an average of 3 years: the container measures the statistic itself
            return _resolve_noun(doc, obj, vocab, exclude, hops + 1)
        if tok.dep_ == "pobj" and tok.head.lower_ == "at":
            obj = [c for c in tok.head.head.children if c.dep_ in {"dobj", "obj"} and c.pos_ in NOUNS]
            if obj:
                inner = _span_text(doc, noun_phrase(doc, obj[0], vocab, exclude))
                return f"{tok.text} of {inner}" if inner else tok.text
    return _span_text(doc, noun_phrase(doc, tok, vocab, exclude)) or None


def _in_dateline(tok: Token) -> bool:
    """True for a token inside the release's dateline (``GENEVA –``), when the reader found one."""
    doc = tok.doc
    span = doc._.dateline_range if Doc.has_extension("dateline_range") else None
    return bool(span) and span[0] <= tok.idx < span[1]


def _clause_subject(verb: Token) -> Token | None:
    """The subject of a verb, climbing ``xcomp``/``conj`` chains (``are projected to jump``)."""
    v = verb
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"} and not _in_dateline(c)]
        if subj:
            # the parser may hang a dateline's place on the verb as a second subject
            # (GENEVA - Reported cases have doubled): the one nearest the verb is the subject
            before = [c for c in subj if c.i < v.i]
            return before[-1] if before else subj[0]
        participle = v.tag_ in {"VBG", "VBN"} and v.dep_ == "advcl"
        if (v.dep_ in {"xcomp", "conj", "acomp", "oprd"} or participle) and v.head.i != v.i:
            v = v.head
        else:
            break
    return None


PARTITIVE_PREPS = {"of", "among", "amongst"}


def _fronted_partitive(doc: Doc, verb: Token, sent_start: int, before: int) -> Token | None:
    """``Of the migrants assisted, 77 per cent were male`` / ``Among the victims ...,
    nearly one in five were children``: the noun of a fronted partitive phrase, from the
    parse (also for a coordinated second clause) or, when the parser attached it
    elsewhere, from the words at the sentence start."""
    for v in (verb, verb.head if verb.dep_ == "conj" else None):
        if v is None:
            continue
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in PARTITIVE_PREPS and c.i < before:
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
    first = _words_from(doc, sent_start, before, 1)
    if first and doc[first[0]].lower_ in PARTITIVE_PREPS:
        comma = next((k for k in range(first[0], before) if doc[k].text == ","), None)
        if comma is not None:
            pobj = [c for c in doc[first[0]].children if c.dep_ == "pobj" and c.i < comma]
            if pobj:
                return pobj[0]
            return next((doc[k] for k in range(first[0] + 1, comma) if doc[k].pos_ in NOUNS), None)
    return None


def _step_up(tok: Token) -> tuple[Token, str]:
    """The head of ``tok`` and the relation to it, looking through a preposition or
    ``worth`` (``increased by 9 percent``, ``grants worth US$ 1.75 million``), which
    give the relation ``pobj`` / ``worth``."""
    rel, head = tok.dep_, tok.head
    if head.i != tok.i and (head.pos_ == "ADP" or head.lower_ == "worth") \
            and head.dep_ in {"prep", "amod", "advmod", "acomp"}:
        rel, head = ("worth" if head.lower_ == "worth" else "pobj"), head.head
    return head, rel


def _governor(doc: Doc, st: Stat) -> tuple[Token, str]:
    """The statistic's syntactic head outside its own tokens, and the relation to it
    (prepositions and ``worth`` looked through, :func:`_step_up`)."""
    tok = doc[st.anchor]
    for _ in range(6):
        if not (st.start <= tok.head.i < st.end) or tok.head.i == tok.i:
            break
        tok = tok.head
    head, rel = _step_up(tok)
    nxt = doc[st.end] if st.end < len(doc) else None
    if rel == "conj" and nxt is not None and nxt.pos_ in {"AUX", "VERB"} and nxt.tag_ != "VBG":
        rel, head = "nsubj", nxt  # "... and 15 per cent were children": the parser chained the figure
    return head, rel


AGE_NOUNS = {"age", "ages"}


def _age_subject(doc: Doc, st: Stat, vocab: Vocab, exclude: set[int]) -> str | None:
    """Who an age describes: the noun the age phrase hangs from (``children, aged
    between 5 and 17``; ``girls under the age of 15``; ``a 15-year-old girl``), else
    the subject of the clause (``the victim was 15 years old``)."""
    if st.noun is not None:
        return _resolve_noun(doc, doc[st.noun], vocab, exclude)
    prev = doc[st.start - 1] if st.start > 0 else None
    if st.qualifier is not None and prev is not None and prev.pos_ in NOUNS and prev.lower_ not in AGE_NOUNS:
        return _resolve_noun(doc, prev, vocab, exclude)  # workers under 25 years of age
    cue = next((doc[k] for k in reversed(_words_before(doc, st.start, 0, 3))
                if doc[k].lower_ in vocab["age_cues"]), None)
    tok = cue if cue is not None else doc[st.anchor]
    chain = [tok] if cue is not None else []
    for _ in range(6):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        chain.append(tok)
    for tok in chain:
        if tok.i in exclude or tok.lower_ in AGE_NOUNS or tok.lower_ in vocab["measure_units"]:
            continue
        if tok.pos_ in NOUNS or tok.lower_ in vocab["relative_pronouns"]:
            return _resolve_noun(doc, tok, vocab, exclude)
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"acl", "relcl", "amod"}:
            subj = _clause_subject(tok)  # the victim was 15 years old; Girls aged 12 to 15 (parsed as a verb)
            return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    return None


def _duration_subject(doc: Doc, st: Stat, vocab: Vocab, exclude: set[int]) -> str | None:
    """What a stated duration measures when a noun for it is written (no ``of``
    complement): the noun it is a complement of (``a delay of 18 months``), looking
    through a container that measures the figure itself (``an average of 3 years``); the
    noun a participle or relative clause describes (``periods ranging from days to five
    years``, ``a time which could range from 0 to 25 years``). Else null: in ``spent 3
    years in the process`` or ``sentenced to 10 years`` no noun is measured, and the
    clause subject is who spends the time, not what the time measures."""
    head, rel = _governor(doc, st)
    for _ in range(3):  # an average of 3 years: the container is the figure itself
        if not (head.pos_ in NOUNS and head.lower_ in vocab["container_nouns"] and rel == "pobj"):
            break
        head, rel = _step_up(head)
    if head.lower_ in vocab["measure_units"]:
        return None  # 24 hours a day, seven days a week: a rate beside another, no noun measured
    if head.pos_ in NOUNS and rel not in {"nsubj", "nsubjpass"}:
        return _resolve_noun(doc, head, vocab, exclude)
    if head.pos_ not in {"VERB", "AUX"} or rel in {"nsubj", "nsubjpass"}:
        return None
    if head.dep_ == "acl" and head.head.pos_ in NOUNS:
        return _resolve_noun(doc, head.head, vocab, exclude)
    subj = _clause_subject(head)
    if subj is not None and subj.lower_ in vocab["relative_pronouns"]:
        return _resolve_noun(doc, subj, vocab, exclude)
    return None


def _adjective_noun(doc: Doc, adj: Token, st: Stat, vocab: Vocab, exclude: set[int]) -> str | None:
    """The noun a parenthetical figure after an adjective is a share of: the noun the
    adjective modifies (``male (55 percent) victims``), the noun after a comparison the
    parser split (``more male (55 percent) than female victims``), or the subject of a
    predicate adjective (``victims were mostly female (70 percent)``)."""
    if adj.dep_ == "amod" and adj.head.pos_ in NOUNS:
        return _resolve_noun(doc, adj.head, vocab, exclude)
    k = st.end + 1  # after the closing bracket
    while k < len(doc) and k - st.end <= 6:
        t = doc[k]
        if t.pos_ in NOUNS:
            return _resolve_noun(doc, t, vocab, exclude)
        if t.pos_ not in {"ADJ", "ADV", "ADP", "CCONJ", "DET"} or t.is_punct:
            break
        k += 1
    verb = adj.head
    if verb.pos_ in {"VERB", "AUX"} and adj.dep_ in {"acomp", "attr", "oprd"}:
        subj = _clause_subject(verb)
        if subj is not None and subj.dep_ != "expl":
            return _resolve_noun(doc, subj, vocab, exclude)
    return None


def _after_gloss(doc: Doc, k: int) -> int:
    """Index after a short parenthetical gloss starting at ``k`` (``73% (3,291) of``), else ``k``."""
    if k < len(doc) and doc[k].text == "(":
        for m in range(k + 1, min(len(doc), k + 6)):
            if doc[m].text == ")":
                return m + 1
    return k


def _names_the_figure(tok: Token, st: Stat) -> bool:
    """True for ``which`` in ``were 168, of which 43 ...``: a relative pronoun standing for
    the figure itself, which names no population."""
    if tok.lower_ not in {"which", "whom"}:
        return False
    clause = tok
    for _ in range(4):
        if clause.dep_ == "relcl" or clause.head.i == clause.i:
            break
        clause = clause.head
    return clause.dep_ == "relcl" and st.start <= clause.head.i < st.end


def _changed_object(doc: Doc, st: Stat) -> Token | None:
    """The direct object of a verb whose change the figure measures with ``by`` / ``to``
    (``reducing emissions by 45%``, ``limiting warming to 1.5 degrees``): what changed is
    the object, not the clause subject (who changes it)."""
    tok = doc[st.anchor]
    for _ in range(6):
        if not (st.start <= tok.head.i < st.end) or tok.head.i == tok.i:
            break
        tok = tok.head
    prep = tok.head
    if prep.i == tok.i or prep.dep_ != "prep" or prep.lower_ not in {"by", "to"}:
        return None
    verb = prep.head
    if verb.pos_ in NOUNS and verb.dep_ in {"dobj", "obj"}:
        return verb  # limit the temperature rise to 1.5 degrees (the parser hung "to" on the object)
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    return next((c for c in verb.children if c.dep_ in {"dobj", "obj"} and c.i < prep.i and c.pos_ in NOUNS), None)


def _change_subject(doc: Doc, noun: Token, vocab: Vocab, exclude: set[int], previous: str | None) -> str | None:
    """What a change noun measures (``a 7 per cent decline``, ``a 9% increase``): its
    ``of`` complement or bare ``in`` complement (``a 20% rise in arrests``); else the population of the
    previous figure, which the change is usually stated about; else the change noun."""
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in {"in", "of"}:
            obj = next((p for p in c.children if p.dep_ == "pobj" and p.pos_ in NOUNS), None)
            if obj is None or obj.ent_type_ or _of_time(doc, obj.i, vocab):
                continue
            if c.lower_ == "in" and any(x.dep_ in {"det", "poss"} for x in obj.children):
                continue  # an increase in the capital: where, not what
            return _resolve_noun(doc, obj, vocab, exclude)
    return previous or _resolve_noun(doc, noun, vocab, exclude)


def find_subject(doc: Doc, st: Stat, vocab: Vocab, sent_start: int = 0, previous: str | None = None) -> str | None:
    """What the statistic quantifies, as a short noun phrase, decided from the parse:
    the counted noun; else an ``of`` complement; else the noun a parenthetical figure
    glosses; else the noun it modifies; else, around a verb, a fronted partitive
    (``Of the migrants, 77 per cent ...``), or the subject of the clause whose quantity
    it measures. A share or bare count standing as the subject of its clause (``54 per
    cent are women and girls``, ``27.6 million are in forced labour``) or taken ``of
    these`` continues the population of the previous figure, given as ``previous`` by
    the caller; the complement of ``be`` is the fallback. An age names the person it
    describes (:func:`_age_subject`), a duration what it measures
    (:func:`_duration_subject`), a parenthetical share after an adjective the noun the
    adjective describes (:func:`_adjective_noun`)."""
    exclude = set(range(st.start, st.end))
    if st.kind == "age":
        return _age_subject(doc, st, vocab, exclude)
    if st.noun is not None:
        # exclude the number and qualifier, keep the noun's own modifiers (key actions)
        return _resolve_noun(doc, doc[st.noun], vocab, exclude)
    anchor = doc[st.anchor]
    for tok in [anchor] + [doc[k] for k in range(st.end - 1, st.start - 1, -1) if k != anchor.i]:
        obj = _of_object(tok)
        if obj is not None and obj.i >= st.end and (obj.pos_ in NOUNS | {"PRON", "DET"} or obj.tag_ == "VBG") \
                and not _names_the_figure(obj, st):
            return _resolve_noun(doc, obj, vocab, exclude) or (previous if obj.pos_ in {"PRON", "DET"} else None)
    of_at = _after_gloss(doc, st.end)
    if _lower(doc, of_at) == "of":  # 35 percent of victims; 73% (3,291) of victims
        for c in doc[of_at].children:
            if c.dep_ == "pobj" and c.pos_ in NOUNS | {"PRON", "DET"} and not _names_the_figure(c, st):
                return _resolve_noun(doc, c, vocab, exclude) or (previous if c.pos_ in {"PRON", "DET"} else None)
    if st.kind == "currency" and _lower(doc, st.end) == "in":
        # US$ 2 million in funding; $5,000 in restitution (not "in 2023", "in Kenya")
        for c in doc[st.end].children:
            if c.dep_ == "pobj" and c.pos_ == "NOUN" and not c.ent_type_:
                return _resolve_noun(doc, c, vocab, exclude)
    if st.kind == "measure":
        # a measure names its subject with "of" (years of experience); a duration also by its place
        if st.unit in vocab["duration_units"]:
            return _duration_subject(doc, st, vocab, exclude)
        nxt = doc[st.end] if st.end < len(doc) else None
        if nxt is not None and nxt.pos_ == "NOUN" and doc[st.end - 1].head.i == nxt.i:
            return _resolve_noun(doc, nxt, vocab, exclude)  # 2 degrees Celsius warming
        changed = _changed_object(doc, st)
        return _resolve_noun(doc, changed, vocab, exclude) if changed is not None else None
    if st.kind == "multiple" and anchor.pos_ in {"VERB", "AUX"} and anchor.dep_ not in {"amod"}:
        subj = _clause_subject(anchor)
        return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    head, rel = _governor(doc, st)
    if head.pos_ == "ADV" and head.dep_ == "advmod" and head.head.pos_ in {"VERB", "AUX"} \
            and head.lower_ not in vocab["comparatives"]:
        head, rel = head.head, "advmod"  # assistance was up 33% to 14,000: the clause's subject rose
    in_parens = st.start > 0 and doc[st.start - 1].text == "(" and _lower(doc, st.end) == ")"
    if in_parens and head.pos_ == "ADJ":
        return _adjective_noun(doc, head, st, vocab, exclude)  # more male (55 percent) than female victims
    if in_parens and head.pos_ in NOUNS and (head.lower_ in vocab["period_nouns"] or head.ent_type_ == "DATE"):
        return previous  # 4,524 victims, up 9% on the previous quarter (4,134): the same population
    if in_parens and head.pos_ in NOUNS:
        # An amount glosses its noun: FY 2009 funds ($14.3 million). A share glosses the
        # clause: "victims were trafficked for labour exploitation (74 percent)" is 74
        # percent of the victims, unless the noun is itself a share (the majority (63%) of).
        if st.kind not in {"percent", "ratio", "fraction"} or head.lower_ in vocab["container_nouns"] \
                or head.dep_ not in {"pobj", "dobj"}:
            return _resolve_noun(doc, head, vocab, exclude)
        verb = head
        for _ in range(5):
            if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
                break
            verb = verb.head
        subj = _clause_subject(verb) if verb.pos_ in {"VERB", "AUX"} else None
        if subj is None and verb.dep_ == "acl" and verb.head.pos_ in NOUNS:
            subj = verb.head  # most women killed at home (64 per cent): the noun the participle describes
        if subj is not None and subj.like_num:
            return previous  # one in five labourers work in services (17.1 per cent)
        return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    if head.lower_ in vocab["comparatives"] and head.head.pos_ in NOUNS:
        return _resolve_noun(doc, head.head, vocab, exclude)  # 70 per cent more migrants
    if head.lower_ in vocab["comparatives"] and head.head.pos_ in {"AUX", "VERB"}:
        subj = _clause_subject(head.head)  # the number of victims was 7.5 per cent higher
        return _resolve_noun(doc, subj, vocab, exclude) if subj is not None else None
    if rel in {"nummod", "compound", "amod", "npadvmod", "quantmod", "advmod", "nmod", "appos"}:
        if head.pos_ == "PRON" or head.lower_ in {"that", "those"}:
            # nearly double that of adults: the compared noun stands before the figure
            for k in range(st.start - 1, max(-1, st.start - 5), -1):
                if doc[k].pos_ in NOUNS:
                    return _resolve_noun(doc, doc[k], vocab, exclude)
            return None
        if head.pos_ in NOUNS and head.lemma_.lower() in vocab["change_nouns"]:
            return _change_subject(doc, head, vocab, exclude, previous)  # a 7 per cent decline in arrests
        if head.pos_ in NOUNS:
            return _resolve_noun(doc, head, vocab, exclude)
    if rel in {"pobj", "worth"} and head.pos_ in NOUNS:
        return _resolve_noun(doc, head, vocab, exclude)  # grants worth US$ 1.75 million
    if head.pos_ not in {"VERB", "AUX"}:
        return None
    if rel in {"nsubj", "nsubjpass"}:  # 54 per cent are women and girls
        if st.kind in {"count", "vague"} and head.lemma_.lower() == "be":
            # 236 were children; 12 million are children: a count is of what it is said to be
            attr = next((c for c in head.children if c.dep_ == "attr" and c.i >= st.end and c.pos_ == "NOUN"
                         and c.tag_ in {"NNS", "NNPS"}), None)
            if attr is not None:
                return _resolve_noun(doc, attr, vocab, exclude)
        fronted = _fronted_partitive(doc, head, sent_start, st.start)
        if fronted is not None and fronted.pos_ not in {"PRON", "DET"}:
            return _resolve_noun(doc, fronted, vocab, exclude)
        if previous is not None:
            return previous  # Of these, 28 million ...; 54 per cent are women (of the previous whole)
        if head.lemma_.lower() in vocab["copular_verbs"] and st.kind != "currency":
            for c in head.children:
                if c.dep_ in {"attr", "acomp", "dobj", "oprd"} and c.i >= st.end:
                    return _resolve_noun(doc, c, vocab, exclude)
        return None
    changed = _changed_object(doc, st) if rel == "pobj" else None
    if changed is not None:
        return _resolve_noun(doc, changed, vocab, exclude)  # cut emissions by 45 per cent
    if rel in {"dobj", "attr", "npadvmod", "oprd", "pobj", "advmod", "obj", "worth"} \
            and (st.kind != "currency" or rel == "worth"):
        subj = _clause_subject(head)  # the caseload increased by 9 percent; the grant is worth $5m
        if subj is not None and subj.i not in exclude:
            return _resolve_noun(doc, subj, vocab, exclude)
    return None
