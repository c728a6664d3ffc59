"""Whether a span names an organization, judged from the text around it (pure functions).

The model tags people, places, events and pieces of titles as ORG; these checks read the
span's neighbours: a title or honorific before it, a reporting verb after it, an ordinal
("the 13th Congress"), the title of a law around it, the excerpt's end right after it.
"""
from __future__ import annotations

import re

from pipeline.extract.organizations.abbreviations import (
    acronym_key,
    is_acronym_like,
    is_connector,
)
from pipeline.extract.organizations.gazetteer import Gazetteer
from pipeline.extract.organizations.spans import SpanContext, enclosing_run
from pipeline.extract.organizations.vocabulary import classify_name, vocab
from pipeline.extract.organizations.words import words

ORDINAL_RE = re.compile(r"^(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|"
                        r"eighth|ninth|tenth|eleventh|twelfth|annual)$", re.I)
HONORIFIC_RE = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|Prof|H\.E)\.?|Sir|Dame)\s*$")
SHOUTED_WORD_LETTERS = 8


def ner_span_is_org(text: str, start: int, end: int, gaz: Gazetteer, ctx: SpanContext) -> bool:
    """Whether a repaired ORG span of the model really names an organization.

    Known names and names with an organization head pass (unless an ordinal makes them an
    event). A neutral name passes unless it looks like a person (a PERSON word, an
    honorific, a title next to it), a place or thing ("the Shagarab camps"), a portfolio in
    a title ("Commissioner for Internal Affairs"), a piece of a document's title, an
    identifier, or is too long to be a bare proper name.
    """
    v = vocab()
    surface = text[start:end]
    if gaz.entry_for(surface):
        return True
    cls = classify_name(surface)
    if cls == "org":
        return _not_event(text, start)
    if cls != "neutral":
        return False
    if is_acronym_like(surface):
        # a long word in capitals is a word shouted (a menu item: "ACCESSIBILITY"), not an
        # acronym; known and defined acronyms of that length come from the other sources
        return acronym_key(surface) not in v.non_org_acronyms and \
            not (surface.isalpha() and len(surface) >= SHOUTED_WORD_LETTERS) and \
            not after_a_place(text, start, ctx)
    ws = words(surface)
    if re.search(r"\d", surface) or sum(not is_connector(w.text) for w in ws) >= 4:
        return False
    if ws[-1].core in ctx.person_words or HONORIFIC_RE.search(text[max(0, start - 8):start]):
        return False
    before = words(text, max(0, start - 60), start)
    after = words(text, end, min(len(text), end + 40))
    touching_before = bool(before) and not text[before[-1].end:start].strip()
    touching_after = bool(after) and not text[end:after[0].start].strip()
    if touching_before and before[-1].text.lower() in v.person_titles:
        return False  # a name after a title is a person: "Commissioner Jane Doe"
    if len(before) >= 2 and before[-1].text.lower() in ("for", "on", "against") and \
            before[-2].text.lower() in v.person_titles:
        return False  # a portfolio in a title: "Commissioner for Internal Affairs"
    if touching_after and after[0].text.lower() in v.person_titles:
        return False  # "Interior Minister"
    if len(ws) == 1 and touching_after and after[0].start in ctx.lowercase_noun_starts:
        return False  # a lone name before a common noun is a place or a thing: "the X camps"
    appos = re.match(r",\s*(?:the\s+)?([A-Z][\w-]*)", text[end:end + 40])
    if appos and appos.group(1).lower() in v.person_titles:
        return False  # a name before ", Commissioner for …" is a person
    if reads_as_speaker(text, start, end, ctx):
        return False  # "…, Jane Roe, said today"; "Roe told reporters" after "Jane K. Roe"
    rs, re_ = enclosing_run(text, start, end)
    if (rs, re_) != (start, end) and classify_name(text[rs:re_]) == "document":
        return False  # a piece of a document's title: "… Convention against *Transnational …*"
    return _not_event(text, start)


PLACE_COMMA_RE = re.compile(r"([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}),[ \t]*$")


def after_a_place(text: str, start: int, ctx: SpanContext) -> bool:
    """True when an acronym follows "<place>, " as a state or country does: "Green Valley,
    NSW", "PORT MORESBY, PNG (…) –", "Springfield, IL". The place is one the model tagged,
    one of the vocabulary's, or a dateline's place in capitals at the start of a line."""
    window = max(0, start - 40)
    m = PLACE_COMMA_RE.search(text, window, start)
    if not m:
        return False
    place = m.group(1)
    line_start = text.rfind("\n", 0, m.start(1)) + 1
    dateline = place.isupper() and not text[line_start:m.start(1)].strip()
    return dateline or m.start(1) in ctx.place_starts or place.lower() in vocab().places


def in_legal_title(text: str, start: int, end: int) -> bool:
    """True when the name opens the title of a law or treaty: "the *UN* Convention against
    …", "the *EU* Anti-Trafficking Directive". The name is then part of the title.

    The capitalized words right after the name, up to an "of/on/against …", end in a legal
    instrument's head word (``legal_instrument_heads``).
    """
    rs, re_ = enclosing_run(text, start, end)
    if end >= re_:
        return False
    v = vocab()
    tail = []
    for w in words(text, end, re_):
        if w.text.lower() in v.head_connectors:
            break
        tail.append(w)
    return bool(tail) and tail[-1].core.lower() in v.legal_instrument_heads


SENTENCE_END_RE = re.compile(r"[.!?;:\n]\s")


def in_charge_list(text: str, start: int) -> bool:
    """True when a name stands in a list of offences charged: after a cue of the vocabulary
    in the same sentence, with only capitalised words and a list's function words between
    ("Charges include Forcible Confinement, Obstruct Police ..."; not "charged with
    trafficking by the Toronto Police Service")."""
    v = vocab()
    window = text[max(0, start - 400):start]
    ends = list(SENTENCE_END_RE.finditer(window))
    sentence = window[ends[-1].end():] if ends else window
    low = sentence.lower()
    for cue in v.charge_list_cues:
        m = re.search(rf"\b{re.escape(cue)}\b", low)
        if m is None:
            continue
        gap = sentence[m.end():]
        if all(w[0].isupper() or w.lower() in v.charge_list_words
               for w in re.findall(r"[^\W\d_][\w'’-]*", gap)):
            return True
    return False


SPEAKER_AFTER_RE = re.compile(r"(,?)[ \t]+")


def reads_as_speaker(text: str, start: int, end: int, ctx: SpanContext) -> bool:
    """True when a name the model tagged ORG reads as a person.

    Between commas before a reporting verb ("The work goes on, Jane Roe, said today"), or a
    lone word that the release also writes after a given name ("Jane K. Roe" … "Roe told
    reporters"). An organization keeps its name ("Harbour Trust said"): it is never written
    after a given name.
    """
    m = SPEAKER_AFTER_RE.match(text, end)
    if m and m.end() in ctx.speech_verb_starts and m.group(1) == ",":
        return bool(re.search(r",[ \t]*$", text[max(0, start - 3):start]))
    ws = words(text, start, end)
    if len(ws) != 1:
        return False
    word = re.escape(ws[0].core)
    for g in re.finditer(rf"\b([A-Z][a-z]+)[ \t]+(?:[A-Z]\.[ \t]+)?{word}\b", text):
        given = g.group(1).lower()
        v = vocab()
        if g.start() != start and not is_connector(given) and given not in v.org_heads \
                and given not in v.person_titles and given not in v.places \
                and given not in v.people_heads:
            return True
    return False



def cut_off_at_end(text: str, end: int) -> bool:
    """True when nothing but a function word follows the name to the end of the text: the
    excerpt cut it off ("… the National Stra", "… from the Brigade for "), so its full
    name is unknown."""
    rest = text[end:].strip()
    return not rest or (" " not in rest and is_connector(rest))


def _not_event(text: str, start: int) -> bool:
    """False when an ordinal stands before the name: "the 13th Crime Congress" is an event."""
    before = words(text, max(0, start - 20), start)
    return not (before and ORDINAL_RE.match(before[-1].text))



