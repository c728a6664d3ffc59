"""The cited source of a statistic: ``according to X``, ``X data show``, ``the report
finds`` (named in a neighbour sentence), ``X reported``, and which figures each covers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from pipeline.extract.stats.filters import CLOSE_BRACKETS, NOUNS
from pipeline.extract.stats.model import Stat
from pipeline.extract.stats.tokens import Vocab, _phrases, match_forward




def _strip_np(doc: Doc, idxs: Iterable[int]) -> str | None:
    """Text of a source phrase without leading determiners or trailing punctuation."""
    idxs = sorted(k for k in idxs if not doc[k].is_space)
    while idxs and (doc[idxs[0]].pos_ == "DET" or doc[idxs[0]].lower_ in {"the", "a", "an"}):
        idxs.pop(0)
    while idxs and ((doc[idxs[-1]].is_punct and doc[idxs[-1]].text not in CLOSE_BRACKETS)
                    or doc[idxs[-1]].pos_ in {"CCONJ", "ADP"}):
        idxs.pop()
    if not idxs:
        return None
    first, last = idxs[0], idxs[-1]
    span = doc[first:last + 1].text
    if span.count("(") > span.count(")"):
        opens = [k for k in idxs if doc[k].text == "("]
        if last + 1 < len(doc) and doc[last + 1].text == ")":
            last += 1  # Office on Drugs and Crime (UNODC) -- the parser hung ")" elsewhere
        elif opens:
            last = max(first, opens[-1] - 1)
        else:  # the bracket is glued inside a token ("UNODC(2022", text without its spaces)
            text = " ".join(span.split())
            return text[:text.rfind("(")].rstrip(" ,;:") or None
    return " ".join(doc[first:last + 1].text.split()) or None


def _is_source_noun(tok: Token, vocab: Vocab) -> bool:
    return tok.pos_ in NOUNS and (tok.lemma_.lower() in vocab["source_nouns"] or tok.lower_ in vocab["source_nouns"])


def _is_name(tok: Token) -> bool:
    """A proper name that can name a source (not a date or a number)."""
    return (tok.pos_ == "PROPN" or tok.ent_type_ in {"ORG", "WORK_OF_ART", "PERSON", "NORP"}) \
        and tok.ent_type_ not in {"DATE", "TIME", "CARDINAL", "GPE"} or tok.ent_type_ == "ORG"


def _phrase_until_comma(doc: Doc, tok: Token) -> list[int]:
    """The subtree of ``tok``, cut at its first comma after the head."""
    idxs = [t.i for t in tok.subtree]
    comma = next((k for k in idxs if doc[k].text == "," and k > tok.i), None)
    return [k for k in idxs if comma is None or k < comma]


def _source_name(doc: Doc, tok: Token) -> str | None:
    """Name of a source phrase headed by ``tok``: a titled document keeps its title
    (``2022 UNODC Global Report on Trafficking in Persons``); ``UNODC data`` gives the
    organization (``UNODC``); ``a study by the ILO`` gives ``ILO``."""
    if _is_name(tok):
        return _strip_np(doc, _phrase_until_comma(doc, tok))
    for c in tok.lefts:
        if c.dep_ in {"compound", "poss", "nmod"} and _is_name(c):
            return _strip_np(doc, [t.i for t in c.subtree if t.text not in {"'s", "\u2019s", "'"}])
    # a study by the ILO; a report released today by UNODC (the "by" under a participle)
    holders = [tok] + [c for c in tok.rights if c.dep_ == "acl"]
    for h in holders:
        for c in h.rights:
            if c.dep_ in {"prep", "agent"} and c.lower_ in {"by", "from", "of"}:
                for p in c.children:
                    if p.dep_ == "pobj" and _is_name(p):
                        return _strip_np(doc, _phrase_until_comma(doc, p))
    return None


def _neighbour_source(doc: Doc, sents: Sequence[Span], idx: int, lemma: str) -> str | None:
    """A named source in the previous two sentences whose head noun is ``lemma``; used
    only when this sentence says ``the report`` / ``the study`` (a clear case)."""
    for back in (1, 2):
        if idx - back < 0:
            break
        for tok in sents[idx - back]:
            if tok.lemma_.lower() == lemma and tok.pos_ in NOUNS and any(t.pos_ == "PROPN" for t in tok.subtree):
                name = _source_name(doc, tok)
                if name:
                    return name
    return None


def _source_from_noun(doc: Doc, tok: Token, sents: Sequence[Span], idx: int, vocab: Vocab) -> str | None:
    """Source named by a noun phrase: its own name, else the antecedent of a generic one."""
    name = _source_name(doc, tok)
    if name:
        return name
    if _is_source_noun(tok, vocab):
        return _neighbour_source(doc, sents, idx, tok.lemma_.lower())
    return None


def entity_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token bounds of the entity that token ``i`` is in, read from the IOB tags around it.

    ``doc.ents`` builds every entity span on each access, which is linear in the release;
    asked once per reporting verb it made a long release quadratic."""
    start = i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _organization_name(doc: Doc, subj: Token) -> str | None:
    """The organization a reporting verb's subject names: an organization mention of the
    release (``Polaris``, which the model may take for a person), an organization or a name
    that is not a person or place (``the ILO``), or a noun led by one (``UNESCO experts``);
    None for people and common nouns."""
    for m in (doc._.org_mentions if Doc.has_extension("org_mentions") else None) or ():
        if m["start_char"] <= subj.idx < m["end_char"]:
            return m["text"]
    if subj.ent_type_ == "ORG":
        start, end = entity_bounds(doc, subj.i)
        return doc[start:end].text  # also "WHO", which the tagger may read as a pronoun
    if subj.pos_ == "PROPN":
        # an acronym the model did not label (UNHCR assesses); a bare name may be a person
        standalone = not any(c.dep_ in {"compound", "flat"} and c.pos_ == "PROPN" for c in subj.lefts)
        return subj.text if subj.text.isupper() and len(subj.text) > 1 and standalone else None  # not "Jo Lee AO"
    if subj.pos_ == "NOUN":
        org = [c for c in subj.lefts if c.dep_ == "compound" and c.ent_type_ == "ORG"]
        if org:
            return doc[org[0].i:subj.i + 1].text
    return None


def _claim_clause(doc: Doc, tok: Token, sent_end: int, vocab: Vocab) -> tuple[int, int] | None:
    """Token range of the that-clause of a noun of a claim or a source (``a Europol warning
    that X``, ``the report's finding that X``): what the clause says, the noun's owner cites.
    The parser often hangs such a clause on the main verb: then it runs from ``that`` to the
    next comma or the sentence end."""
    lemma = tok.lemma_.lower()
    if lemma not in vocab["statement_nouns"] and not _is_source_noun(tok, vocab):
        return None
    for c in tok.children:
        if c.dep_ in {"acl", "ccomp", "relcl"} and c.i > tok.i \
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            return c.left_edge.i, c.right_edge.i + 1
    nxt = tok.i + 1
    if nxt < len(doc) and doc[nxt].lower_ == "that" and doc[nxt].dep_ == "mark":
        end = nxt + 1
        while end < sent_end and doc[end].text not in {",", ";", ":"}:
            end += 1
        return nxt, end
    return None


@dataclass
class SourceCue:
    """A cited source and where it applies: the tokens ``cover`` holds (a claim's clause),
    the whole sentence (``verb`` None) or the clauses under ``verb``; ``phrase`` holds the
    source phrase's own tokens."""

    name: str
    verb: Token | None
    phrase: tuple[int, int]
    cover: tuple[int, int] | None = None  # tokens it covers, when not the verb's clauses


def sentence_sources(doc: Doc, sents: Sequence[Span], idx: int, vocab: Vocab) -> list[SourceCue]:
    """Sources cited in sentence ``idx``: ``according to X``; ``X data show``; ``the
    report finds`` (named in a neighbour sentence); ``quoted X research``; ``X reported``."""
    sent = sents[idx]
    out: list[SourceCue] = []
    preps = _phrases(vocab, "source_prepositions")
    for tok in sent:
        end = match_forward(doc, tok.i, sent.end, preps)
        if end is None:
            continue
        last = doc[end - 1]
        pobj = [c for c in last.children if c.dep_ == "pobj"]
        if not pobj and end < sent.end and doc[end].pos_ in NOUNS | {"DET", "ADJ", "NUM"}:
            cand = doc[end]
            while cand.head.i != cand.i and end <= cand.head.i < sent.end and cand.head.pos_ in NOUNS:
                cand = cand.head
            pobj = [cand]
        if not pobj:
            continue
        p = pobj[0]
        if _is_source_noun(p, vocab) and not any(_is_name(t) for t in p.subtree):
            # "according to the latest data": a source only if a neighbour sentence names it
            name = _neighbour_source(doc, sents, idx, p.lemma_.lower())
        else:
            name = _strip_np(doc, _phrase_until_comma(doc, p))
        if name:
            # the phrase ends at its first comma: the parser may hang the figure on the title
            # as an apposition (According to the 2026 Outlook, 318 million people ...)
            out.append(SourceCue(name, None, (tok.i, max(_phrase_until_comma(doc, p)) + 1)))
    for tok in sent:
        clause = _claim_clause(doc, tok, sent.end, vocab) if tok.pos_ in NOUNS else None
        if clause is not None:
            name = _source_name(doc, tok)  # a Europol warning that up to 10,000 ...
            if name:
                out.append(SourceCue(name, None, (tok.left_edge.i, tok.i + 1), clause))
            continue
        if tok.pos_ not in {"VERB", "AUX"}:
            continue
        lemma = tok.lemma_.lower()
        for c in tok.children:
            name = None
            if lemma in vocab["source_verbs"] and c.dep_ in {"nsubj", "nsubjpass"} and _is_source_noun(c, vocab):
                name = _source_from_noun(doc, c, sents, idx, vocab)  # UNODC data show
            elif lemma in vocab["citation_verbs"] and c.dep_ in {"dobj", "obj"} and _is_source_noun(c, vocab):
                name = _source_from_noun(doc, c, sents, idx, vocab)  # he quoted UNODC research
            elif lemma in vocab["org_source_verbs"] and c.dep_ == "nsubj":
                name = _organization_name(doc, c)  # Polaris reported; the agency's experts estimate
            if name:
                out.append(SourceCue(name, tok, (c.left_edge.i, c.right_edge.i + 1)))
    return out


def source_for(st: Stat, cues: Sequence[SourceCue]) -> str | None:
    """The source that covers the statistic: ``according to`` covers its sentence; ``X
    data show`` / ``X reported`` the clauses after the verb. A figure inside the source
    phrase itself (``a report on 50 countries``) is not covered by it."""
    for cue in cues:
        if cue.phrase[0] <= st.anchor < cue.phrase[1]:
            continue
        if cue.cover is not None:
            if cue.cover[0] <= st.anchor < cue.cover[1]:
                return cue.name
            continue
        if cue.verb is None:
            return cue.name
        if cue.verb.i < st.anchor <= cue.verb.right_edge.i:
            return cue.name
        if cue.verb.left_edge.i <= st.anchor < cue.verb.i and cue.verb.dep_ == "ROOT" \
                and any(c.dep_ == "ccomp" and c.i < cue.verb.i for c in cue.verb.children):
            return cue.name  # 236 were children, Interpol reported: the report stands after the figures
    return None
