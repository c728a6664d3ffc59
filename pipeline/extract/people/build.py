"""The people step: find, cluster and describe the persons of a Doc."""
from __future__ import annotations

from typing import Sequence

from pipeline.extract.extensions import doc_text
from pipeline.extract.people.coref import PeopleIndex
from pipeline.extract.people.mentions import cluster_mentions, find_name_mentions
from pipeline.extract.people.names import is_cap_word
from pipeline.extract.people.roles import _expand_org, role_context
from pipeline.extract.people.titles import (
    acronym_map,
    has_role_head,
    institution_of_title,
    mandate_body,
    office_of_title,
    words_of,
)
from pipeline.extract.people.vocabulary import fold, vocab


def build_people(doc, org_mentions: Sequence[dict] | None = None) -> PeopleIndex:
    """Find, cluster and describe the persons of a Doc."""
    org_mentions = list(org_mentions or [])
    org_spans = [(int(o["start_char"]), int(o["end_char"])) for o in org_mentions
                 if "start_char" in o and "end_char" in o]
    mentions = find_name_mentions(doc, org_spans)
    persons = cluster_mentions(mentions)
    clustered = [m for m in mentions if m.person is not None]
    by_token = {k: m for m in clustered for k in range(m.tok_start, m.tok_end)}
    starts = {m.tok_start for m in clustered}
    acr = acronym_map(doc_text(doc))
    org_names = list(dict.fromkeys(n for o in org_mentions for n in (o.get("name"), o.get("text")) if n))
    org_acronyms = {**acr, **{o["acronym"]: o["name"] for o in org_mentions if o.get("acronym") and o.get("name")}}
    for p in persons:
        found: list[tuple[tuple, str | None, str | None]] = []
        for m in p.mentions:
            title, org = role_context(doc, m, org_spans, org_mentions, acr, starts, set(by_token))
            if title or org:
                capital = bool(title) and any(is_cap_word(w) and fold(w) in vocab().role_head_words | vocab().role_modifiers
                                              for w in words_of(title))
                rank = (not capital, title is None, len(m.name.split()) < 2, m.headline, m.tok_start)
                found.append((rank, title, org))
        found.sort(key=lambda f: f[0])
        for _, title, org in found:
            if title and not p.title:
                p.title = title
                p.organization = org or p.organization
            if org and not p.organization:
                p.organization = org
        if not p.title and p.honorific and has_role_head(p.honorific):
            p.title = p.honorific  # ``Ambassador X``: the style is the role
        office = office_of_title(doc_text(doc), p.title)
        if office:
            p.organization = _expand_org(office, doc, org_mentions, acr, p.mentions[0].start_char)
        if p.title:
            # the institution the title's head sits in, when the release names it: it is the
            # organization, or a more precise one inside the organization found (EU -> its Commission)
            inst = institution_of_title(p.title, org_names, org_acronyms, p.organization)
            if inst:
                p.organization = _expand_org(inst, doc, org_mentions, acr, p.mentions[0].start_char)
            if not p.organization:
                p.organization = mandate_body(p.title, org_names, list(org_acronyms))
    return PeopleIndex(doc=doc, persons=persons, mentions=clustered, by_token=by_token)


# --------------------------------------------------------------------------- corpus resolve
