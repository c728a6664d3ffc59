"""The ``release_orgs`` component: organization mentions and acronym definitions of a release.

The small English model truncates long agency names, tags documents, groups and platforms as
ORG, and misses acronyms. The component gathers candidates from five sources, each a pure
function over the release's text in its own module, then settles and names them:

1. **Definitions** (``abbreviations.py``): ``Long Form (ACR)`` and ``ACR (Long Form)``.
   A definition whose long form names an organization yields two mentions, one for the long
   form and one for the bracketed acronym (so each maps to its own words and sentence); later
   bare uses of the acronym and repeats of the long form are mentions too.
2. **Gazetteer** (``gazetteer.py``, ``resources/org_gazetteer.jsonl``): UN-system and other
   international organizations found by name (case, spelling and ``UN``/``United Nations``
   variants folded) or by acronym. A prior: a release's own definition always wins.
3. **NER repair** (``spans.py``): ORG spans are cut at line breaks, punctuation and
   possessives, lose a leading "the" and person titles ("Founder of the …"), are extended
   when truncated ("… Group against" → "… Group against Trafficking in Persons") and are
   classified by their head word (``vocabulary.py``, ``resources/organizations.json``):
   documents, laws, events, campaigns, groups of people, titles, topics, places and
   platforms are rejected.
4. **Patterns**: capitalized names headed by an organization word ("… Smuggling Section",
   "Office of the …"), and appositions such as "X, a survivor-led non-profit organization".
5. **Bare acronyms** of the release's definitions and of the model's ORG acronyms.

Whether a model span still names an organization is judged in ``filters.py``; overlaps are
settled and mentions named in ``candidates.py``; the corpus step is ``resolve.py`` (mention
rows alone, no model, stable org ids). ``words.py`` reads a release's words once
(:class:`ReleaseText`, which travels with the text instead of any module cache).

Decisions:
- An organization counts wherever the text names it, also as a modifier ("UN agencies",
  "EU funding") or in a person's title ("the UN Secretary-General"); a union of states
  named as its territory ("across the EU") is a place. A name inside a longer name is not
  counted apart (overlaps are settled in favour of the longer name).
- Names headed by Platform, Hotline or Helpline (``agent_heads``) are organizations only
  when the body acts somewhere in the release (a subject, the body of a person's title, a
  conjunct of an organization); otherwise they are services or websites.
- The UN General Assembly (a principal organ) is an organization; so are commissions,
  offices, sections, secretariats and governments' bodies.
- A mention's ``name`` is the best long form known in its release: the release's definition,
  else the release's own longest well-formed long form, else the gazetteer's name, else the
  surface. (The release's wording beats the gazetteer because gold names follow the release.)
- ``source`` is one of ``definition`` (either part of a definition), ``acronym`` (a bare use of
  an acronym defined or known in the release), ``long_form`` (a repeat of a defined long
  form), ``gazetteer``, ``ner`` and ``pattern``.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import cache

from spacy.attrs import IDX, LEMMA, POS
from spacy.language import Language
from spacy.parts_of_speech import NOUN, VERB
from spacy.tokens import Doc

from pipeline.extract import extensions
from pipeline.extract.organizations.abbreviations import (
    AcronymDefinition,
    acronym_key,
    find_definitions,
    is_acronym_like,
    iter_acronym,
)
from pipeline.extract.organizations.candidates import (
    Candidate,
    definition_is_org,
    elliptical_unit_spans,
    name_mentions,
    ngo_pattern_spans,
    passes_common_filters,
    settle_overlaps,
    split_owner_prefix,
    wire_source_spans,
)
from pipeline.extract.organizations.filters import (
    cut_off_at_end,
    in_charge_list,
    in_legal_title,
    ner_span_is_org,
)
from pipeline.extract.organizations.gazetteer import (
    read_user_gazetteer,
    Gazetteer,
    PhraseIndex,
    TextKeys,
    gazetteer,
    is_shouting_line,
    text_keys,
)
from pipeline.extract.organizations.spans import (
    IDENTIFIER_RE,
    SpanContext,
    extend_across_line,
    extend_lowercase_purpose,
    name_runs,
    next_conjunct,
    pieces,
    repair_span,
    split_coordination,
    strip_sentence_opener,
    strip_title_prefix,
    trim_country_suffix,
    trim_place_phrase,
)
from pipeline.extract.organizations.vocabulary import (
    classify_name,
    clean_surface,
    name_key,
    vocab,
)
from pipeline.extract.organizations.words import ReleaseText, words
from pipeline.resources import load_json

extensions.register("org_mentions", default=None)
extensions.register("acronyms", default=None)

# --------------------------------------------------------------------------- component

EMPTY_GAZETTEER = Gazetteer(())


class OrganizationRecognizer:
    """spaCy component: organization mentions and acronym definitions of a release.

    Sets ``doc._.org_mentions`` (list of dicts: start_char, end_char, text, name, acronym,
    source) and ``doc._.acronyms`` (every acronym definition found, as dicts with short,
    long, their offsets, start_char/end_char of the whole definition, aligned, is_org).
    """

    def __init__(self, nlp: Language, name: str, use_gazetteer: bool = True,
                 use_patterns: bool = True, ner_labels: Sequence[str] = ("ORG",)) -> None:
        self.name = name
        self.use_patterns = use_patterns
        self.ner_labels = frozenset(ner_labels)
        self.gaz = gazetteer() if use_gazetteer else EMPTY_GAZETTEER

    def __call__(self, doc: Doc) -> Doc:
        # the release's words are read once and travel with its text (see words.py)
        text = ReleaseText(extensions.doc_text(doc))
        gaz = self.gaz
        ctx = _context(doc)
        ner_org_chars = frozenset(i for e in doc.ents if e.label_ in self.ner_labels
                                  for i in range(e.start_char, e.end_char))
        definitions = find_definitions(text)
        org_defs = [d for d in definitions if definition_is_org(text, d, ner_org_chars, gaz)]
        known = {acronym_key(d.short): d for d in org_defs}

        tk = text_keys(text)
        cands = self._definition_candidates(text, org_defs, tk)
        cands += self._gazetteer_candidates(text, known, tk)
        ner_cands = self._ner_candidates(text, doc, ctx)
        cands += ner_cands
        if self.use_patterns:
            cands += self._pattern_candidates(text, ctx)
            cands += [Candidate(s, e, "pattern", gaz.entry_for(text[s:e]))
                      for s, e in wire_source_spans(text)]
            cands += [Candidate(s, e, "pattern", gaz.entry_for(name), long_name=name)
                      for s, e, name in elliptical_unit_spans(text)]
        cands += self._bare_acronym_candidates(text, org_defs, ner_cands)
        # an acronym the release itself defines as no organization (``foreign direct
        # investment (FDI)``, ``the Kurdistan Region of Iraq (KRI)``) is none where the model
        # tags a bare use ORG: the release's own definition wins
        defined_other = {acronym_key(d.short) for d in definitions} - set(known)
        if defined_other:
            cands = [c for c in cands if c.gaz_id is not None or not (
                is_acronym_like(text[c.start:c.end])
                and acronym_key(text[c.start:c.end]) in defined_other)]

        token_starts = doc.to_array(IDX).tolist()
        cands = [c for c in cands if not (c.source in ("ner", "pattern") and cut_off_at_end(text, c.end))
                 and not (c.source in ("ner", "pattern") and c.gaz_id is None
                          and in_charge_list(text, c.start))]
        cands = [c for c in cands if passes_common_filters(text, c)
                 and not _is_union_as_place(doc, text, c, token_starts)
                 and not in_legal_title(text, c.start, c.end)]
        cands = _keep_agents(doc, text, cands, token_starts)
        settled = split_owner_prefix(text, settle_overlaps(cands, text), gaz, known)
        doc._.org_mentions = name_mentions(text, settled, gaz)
        org_def_ids = {id(d) for d in org_defs}
        doc._.acronyms = [dict(d.to_dict(), is_org=id(d) in org_def_ids) for d in definitions]
        return doc

    # -- sources
    def _definition_candidates(self, text: str, defs: Sequence[AcronymDefinition],
                               tk: TextKeys) -> list[Candidate]:
        """Both parts of each definition, and later repeats of its long form."""
        gaz = self.gaz
        out: list[Candidate] = []
        for d in defs:
            gid = gaz.by_acronym.get(acronym_key(d.short)) or gaz.entry_for(d.long)
            out.append(Candidate(d.long_start, d.long_end, "definition", gid, d.short, d.long, 0))
            out.append(Candidate(d.short_start, d.short_end, "definition", gid, d.short, d.long, 0))
        if defs:
            index = PhraseIndex()
            longs = {}
            for d in defs:
                index.add(d.long, d.short)
                longs.setdefault(d.short, d.long)
            for s, e, short in index.find(text, tk):
                gid = gaz.by_acronym.get(acronym_key(short))
                out.append(Candidate(s, e, "long_form", gid, short, longs[short]))
        return out

    def _gazetteer_candidates(self, text: str, known: dict, tk: TextKeys) -> list[Candidate]:
        """Gazetteer names and acronyms found in the text."""
        gaz = self.gaz
        out = [Candidate(s, e, "gazetteer", gid) for s, e, gid in gaz.index.find(text, tk)]
        for s, e, gid in gaz.find_acronyms(text):
            entry = gaz.entries[gid]
            d = known.get(acronym_key(entry.acronym or ""))
            # a letter-and-number short form ("G-20") is spelled as the release spells it
            acronym = entry.acronym if is_acronym_like(entry.acronym or "") else text[s:e]
            out.append(Candidate(s, e, "acronym" if d else "gazetteer", gid, acronym,
                                 d.long if d else None))
        return out

    def _ner_candidates(self, text: str, doc: Doc, ctx: SpanContext) -> list[Candidate]:
        """The model's ORG spans, repaired, that still look like organizations."""
        out = []
        for ent in doc.ents:
            if ent.label_ not in self.ner_labels or IDENTIFIER_RE.search(ent.text):
                continue
            for s, e in pieces(text, ent.start_char, ent.end_char):
                span = repair_span(text, s, e, self.gaz, ctx)
                if span is not None and ner_span_is_org(text, *span, self.gaz, ctx):
                    out.append(Candidate(*span, "ner", self.gaz.entry_for(text[span[0]:span[1]])))
        return out

    def _pattern_candidates(self, text: str, ctx: SpanContext) -> list[Candidate]:
        """Capitalized names headed by an organization word, and "X, a … organization".

        Each conjunct of a coordinated run is tried ("the X Network … and the Y Platform").
        Names headed by an agent head (Platform, Hotline) need at least three words and are
        marked for the agent check of :meth:`_keep_agents`.
        """
        out = []
        for rs, re_ in name_runs(text):
            s = strip_sentence_opener(text, rs, re_)
            while s < re_:
                s = strip_title_prefix(text, s, re_)
                e = split_coordination(text, s, re_)
                next_s = next_conjunct(text, e, re_)
                e = trim_place_phrase(text, s, e, self.gaz, ctx.blocked_starts)
                e = trim_country_suffix(text, s, e)
                cls = classify_name(text[s:e]) if e > s else ""
                n_words = len(words(text, s, e)) if e > s else 0
                if cls == "org" and n_words >= 2 or cls == "agent" and n_words >= 3:
                    if not self.gaz.entry_for(text[s:e]):
                        e = extend_lowercase_purpose(text, e)
                        e = extend_across_line(text, e)
                    out.append(Candidate(s, e, "pattern", self.gaz.entry_for(text[s:e]),
                                         needs_agent=cls == "agent"))
                s = next_s
        for rs, re_, where in ngo_pattern_spans(text):
            if where == "after" and any(rs <= i < re_ for i in ctx.person_starts):
                continue  # "Ms. Jane Doe, a non-profit organization's director"
            s = strip_title_prefix(text, rs, re_)
            if classify_name(text[s:re_]) in ("org", "neutral"):
                out.append(Candidate(s, re_, "pattern", self.gaz.entry_for(text[s:re_])))
        return out

    def _bare_acronym_candidates(self, text: str, defs: Sequence[AcronymDefinition],
                                 ner_cands: Sequence[Candidate]) -> list[Candidate]:
        """Every bare use of an acronym the release defines or the model tagged ORG."""
        bare: dict[str, str | None] = {}
        for d in defs:
            bare.setdefault(d.short, d.long)
        for c in ner_cands:
            surface = text[c.start:c.end]
            if is_acronym_like(surface):
                bare.setdefault(surface, None)
        out = []
        for short, long in bare.items():
            gid = self.gaz.by_acronym.get(acronym_key(short))
            for s, e in _find_bare(text, short):
                out.append(Candidate(s, e, "acronym", gid, short, long))
        return out


def _find_bare(text: str, short: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in iter_acronym(text, short)
            if not is_shouting_line(text, m.start())]



def _keep_agents(doc: Doc, text: str, cands: Sequence[Candidate],
                 token_starts: Sequence[int]) -> list[Candidate]:
    """Drop candidates with an agent head (Platform, Hotline) whose body never acts.

    A body acts when its head word is a subject, the object of "of" after a person's title
    ("Director of the X Hotline"), or a conjunct of another organization ("the X Network and
    the Y Platform"). One such use in the release is enough for every use of the name.
    """
    if not any(c.needs_agent for c in cands):
        return list(cands)
    v = vocab()
    org_chars = {i for c in cands if not c.needs_agent for i in range(c.start, c.end)}
    acting: set[str] = set()
    for c in cands:
        if not c.needs_agent:
            continue
        head = next((w for w in words(text, c.start, c.end) if w.text.lower() in v.agent_heads),
                    None)
        if head is None:
            continue
        i = bisect.bisect_left(token_starts, head.start)
        if i >= len(doc) or doc[i].idx != head.start:
            continue
        tok = doc[i]
        if tok.dep_ in ("nsubj", "nsubjpass") or (
                tok.dep_ == "pobj" and tok.head.lower_ == "of"
                and tok.head.head.lower_ in v.person_titles) or (
                tok.dep_ == "conj" and tok.head.idx in org_chars):
            acting.add(name_key(clean_surface(text[c.start:c.end])))
    acting_prefixes = tuple(acting)
    return [c for c in cands if not c.needs_agent
            or name_key(clean_surface(text[c.start:c.end])).startswith(acting_prefixes)
            or any(k.startswith(name_key(clean_surface(text[c.start:c.end])) + " ")
                   for k in acting)]



def _context(doc: Doc) -> SpanContext:
    """The entities and lowercase nouns around spans; ``doc.ents`` is built once, and the
    nouns are read from token arrays rather than one Token object per word."""
    ents = [(e.label_, e) for e in doc.ents]
    blocked = frozenset(e.start_char for label, e in ents
                        if label in ("PERSON", "GPE", "LOC", "DATE", "NORP", "CARDINAL",
                                     "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"))
    places = frozenset(e.start_char for label, e in ents if label in ("GPE", "LOC", "FAC"))
    persons = [e for label, e in ents if label == "PERSON"]
    person_words = frozenset(t.text for e in persons for t in e if t.text[:1].isupper())
    person_chars = frozenset(i for e in persons for i in range(e.start_char, e.end_char))
    text = extensions.doc_text(doc)
    rows = doc.to_array([POS, IDX, LEMMA]).tolist()
    nouns = frozenset(idx for pos, idx, _ in rows if pos == NOUN and text[idx].islower())
    verbs = speech_verbs()
    strings = doc.vocab.strings
    speech = frozenset(idx for pos, idx, lemma in rows
                       if pos == VERB and strings[lemma].lower() in verbs)
    return SpanContext(blocked, places, person_words, person_chars, nouns, speech)


@cache
def speech_verbs() -> frozenset[str]:
    """Lemmas of reporting verbs (the quotes' lexicon): a name that "told" or "added" speaks."""
    return frozenset(load_json("speech_verbs.json")["verbs"])


_REGION_BEFORE = re.compile(r"\b(?:across|in|within|throughout|into|outside|beyond|around)\s+the\s+$", re.I)


def _after_motion_verb(doc: Doc, start: int, token_starts: Sequence[int]) -> bool:
    """True for the goal or source of a movement: "to get *to the* EU", "fled *from the* EU".

    After a verb of movement (``motion_verbs``, intransitive ones and "smuggle"/"traffic"),
    "to/from the" + a union of states names its territory, not the organization; verbs that
    take a thing as object ("send", "submit") are not listed, since one submits to the EU.
    """
    i = bisect.bisect_left(token_starts, start)
    if i < 2 or doc[i - 1].lower_ != "the" or doc[i - 2].lower_ not in ("to", "from", "towards"):
        return False
    motion = vocab().motion_verbs
    return any(doc[k].pos_ in ("VERB", "AUX") and doc[k].lemma_.lower() in motion
               for k in range(max(0, i - 5), i - 2))


def _is_union_as_place(doc: Doc, text: str, c: Candidate, token_starts: Sequence[int]) -> bool:
    """True for a union of states named as its territory: "across the EU", "fled to the EU".

    Such unions are flagged ``region`` in the shipped gazetteer (a fixed fact, used even when
    the gazetteer is switched off as a source of mentions). Used as a modifier ("UN
    agencies", "EU funding") an umbrella organization is still named, so it counts.
    """
    gaz = gazetteer()
    gid = c.gaz_id or gaz.entry_for(text[c.start:c.end])
    if not gid or gid not in gaz.entries or not gaz.entries[gid].region:
        return False
    return bool(_REGION_BEFORE.search(text[max(0, c.start - 20):c.start])
                or _after_motion_verb(doc, c.start, token_starts))


# Token POS is read too; the model's attribute_ruler sets it but declares no attribute, so
# requiring "token.pos" would make analyze_pipes report a problem that is not there.
@Language.factory(
    "release_orgs",
    default_config={"use_gazetteer": True, "use_patterns": True, "ner_labels": ["ORG"],
                    "extra_gazetteer": ""},
    requires=["doc.ents", "token.tag", "token.dep", "token.lemma"],
    assigns=["doc._.org_mentions", "doc._.acronyms"],
)
def make_release_orgs(nlp: Language, name: str, use_gazetteer: bool, use_patterns: bool,
                      ner_labels: list[str], extra_gazetteer: str = "") -> OrganizationRecognizer:
    """Factory of the ``release_orgs`` component (after 'ner'). ``use_gazetteer=False`` turns
    the gazetteer off as a source (for ablation); ``ner_labels`` are the model labels read;
    ``extra_gazetteer`` is a user's JSON-lines file of organizations in the shipped format."""
    recognizer = OrganizationRecognizer(nlp, name, use_gazetteer, use_patterns, ner_labels)
    if extra_gazetteer:
        recognizer.gaz = recognizer.gaz.extended(read_user_gazetteer(extra_gazetteer))
    return recognizer


