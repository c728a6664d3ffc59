"""Rule data for people (honorifics, pronouns, name particles, titles), read once from
``pipeline/resources/honorifics.json`` and ``titles.json``, and the word folding used to look it up."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.resources import load_json

APOSTROPHES = "’'‘`´"
CONNECTORS = frozenset(
    "of for on and the against in to at with from & de des du la le del y und et".split()
)


# --------------------------------------------------------------------------- vocabularies
@dataclass(frozen=True)
class Vocab:
    """Rule data for people, loaded once from the JSON files."""

    honorific_forms: dict[str, str]          # casefolded variant (no final '.') -> canonical form
    honorific_gender: dict[str, str | None]  # canonical form -> gender
    multiword_honorifics: tuple[tuple[str, ...], ...]  # casefolded token tuples, longest first
    post_nominals: frozenset[str]
    pronoun_gender: dict[str, str]           # casefolded pronoun -> gender
    particles: frozenset[str]
    role_heads: tuple[str, ...]              # casefolded, longest first
    role_head_words: frozenset[str]          # casefolded single words that head titles
    role_modifiers: frozenset[str]
    portfolio_heads: frozenset[str]
    person_nouns: frozenset[str]
    org_heads: tuple[str, ...]
    org_head_words: frozenset[str]
    role_institutions: dict[str, str]        # casefolded role head -> casefolded institution noun
    representation_heads: frozenset[str]
    non_body_heads: frozenset[str]           # casefolded nouns that end names of non-bodies
    mandate_bodies: dict[str, tuple[str, str]]  # casefolded role head -> (body, its acronym)
    post_head_modifiers: frozenset[str]      # casefolded words after a head in a title ('general')


@lru_cache(maxsize=16384)
def fold(s: str) -> str:
    """Casefold and straighten apostrophes, for dictionary look-ups (memoized: every token
    of a release is folded, often several times)."""
    s = unicodedata.normalize("NFKC", s)
    for a in APOSTROPHES:
        s = s.replace(a, "'")
    return s.casefold()


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """Load honorifics.json and titles.json once."""
    hon = load_json("honorifics.json")
    tit = load_json("titles.json")
    forms: dict[str, str] = {}
    gender: dict[str, str | None] = {}
    multi: list[tuple[str, ...]] = []
    for h in hon["honorifics"]:
        gender[h["form"]] = h.get("gender")
        for v in h["variants"] + [h["form"]]:
            key = fold(v).rstrip(".")
            forms[key] = h["form"]
            parts = tuple(p.rstrip(".") for p in fold(v).split())
            if len(parts) > 1:
                multi.append(parts)
    pron = {fold(p): g for g, ps in hon["pronouns"].items() for p in ps}
    role_heads = sorted({fold(r) for r in tit["role_heads"]}, key=lambda r: (-len(r), r))
    head_words = {w for r in role_heads for w in re.split(r"[\s]+", r)} - {"of", "at"}
    head_words = {w for w in head_words if w not in {fold(m) for m in tit["role_modifiers"]}}
    head_words |= {r for r in role_heads if " " not in r}
    org_heads = sorted({fold(o) for o in tit["organization_heads"]}, key=lambda r: (-len(r), r))
    return Vocab(
        honorific_forms=forms,
        honorific_gender=gender,
        multiword_honorifics=tuple(sorted(set(multi), key=lambda t: -len(t))),
        post_nominals=frozenset(fold(p).rstrip(".") for p in hon["post_nominals"]),
        pronoun_gender=pron,
        particles=frozenset(fold(p) for p in hon["name_particles"]),
        role_heads=tuple(role_heads),
        role_head_words=frozenset(head_words),
        role_modifiers=frozenset(fold(m) for m in tit["role_modifiers"]),
        portfolio_heads=frozenset(fold(p) for p in tit["portfolio_heads"]),
        person_nouns=frozenset(fold(p) for p in tit["person_nouns"]),
        org_heads=tuple(org_heads),
        org_head_words=frozenset(w for o in org_heads for w in o.split() if w not in CONNECTORS),
        role_institutions={fold(k): fold(v) for k, v in tit.get("role_institutions", {}).items()},
        representation_heads=frozenset(fold(r) for r in tit.get("representation_heads", [])),
        non_body_heads=frozenset(fold(r) for r in tit.get("non_body_heads", [])),
        mandate_bodies={fold(k): (v[0], v[1]) for k, v in tit.get("mandate_bodies", {}).items()},
        post_head_modifiers=frozenset(fold(w) for w in tit.get("post_head_modifiers", [])),
    )
