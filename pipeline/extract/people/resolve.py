"""The corpus resolve step for people: link doc-local persons across releases, without
re-parsing."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from pipeline.extract.people.names import (
    genders_compatible,
    honorific_gender,
    is_subname,
    name_key_tokens,
    slugify,
)


Name = tuple[str, ...]  # a normalised name (``name_key_tokens``)


@dataclass
class PeopleResolution:
    """Result of ``resolve_people``: corpus person rows and the doc-local key -> person_id map."""

    people: list[dict]
    _ids: dict[tuple[str, str], str]
    by_name: dict[str, str] = field(default_factory=dict)  # written name -> person_id

    def person_id_for(self, doc_id: str, key: str) -> str | None:
        """person_id of a doc-local person, or None if the key is unknown."""
        return self._ids.get((doc_id, key))


def _pick_display(forms: Iterable[tuple[str, int]]) -> str:
    """Deterministic display form among spellings of one name, given (form, count): most
    frequent, then the one with typographic apostrophes/diacritics kept, then the smallest."""
    counts: Counter = Counter()
    for f, n in forms:
        counts[f] += n
    return sorted(counts, key=lambda f: (-counts[f], -len(f.encode("utf-8")), f))[0]


def _weight(p: dict) -> int:
    return int(p.get("n") or 1)


def _by_token(names: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Each token → the names holding it."""
    by_token: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for n in names:
        for t in set(n):
            by_token[t].append(n)
    return by_token


def _holders(n: tuple[str, ...], by_token: dict[str, list[tuple[str, ...]]]
             ) -> list[tuple[str, ...]]:
    """The names that may hold ``n`` as a sub-name. Such a name holds every token of ``n``, so
    the fewest names of any one token are enough: a surname's, not the thousands of a common
    first name's, which keeps the search near linear in a large corpus's names."""
    return min((by_token.get(t, []) for t in n), key=len)


def _maximal(names: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Names of two or more tokens that are no sub-name of a longer name."""
    by_token = _by_token(names)
    return [n for n in names if len(n) > 1
            and not any(len(o) > len(n) and is_subname(n, o) for o in _holders(n, by_token))]


def resolve_people(persons: list[dict]) -> PeopleResolution:
    """Link doc-local persons across the corpus, without re-parsing.

    Each input is a doc-local person dict (``key``, ``name``, ``honorific``, ...) plus
    ``doc_id``, or an aggregate of ``n`` equal persons (``name``, ``honorific``, ``n``):
    the result depends only on the counts, so a corpus index of distinct names resolves
    exactly like the rows it counts. Rules, applied to the distinct normalised names (``name_key_tokens``):

    1. Equal names are one person.
    2. A name that is a sub-name (``is_subname``) of exactly one *maximal* name (one that is
       no sub-name of another) with a compatible honorific gender joins that person: ``Amira
       Ben`` and ``Ben M’barek`` join ``Amira Ben M’barek``; a surname alone (``Lind``)
       joins the single person with that surname.
    3. Ambiguous (fits two or more maximal names) or fits none: the name stays unlinked and
       becomes its own row (its own person_id), so no quote is given to the wrong person.

    ``person_id`` is the slug of the fullest name; the display name is the most frequent
    spelling of that name. Output rows are sorted by person_id and do not depend on input
    order. Adding a release may merge rows (a new full name can absorb surname-only rows).
    """
    groups = name_groups(persons)
    root_of = link_names(groups)
    members: dict[Name, list[Name]] = {}
    for n, r in root_of.items():
        members.setdefault(r, []).append(n)
    rows, ids, by_name = person_rows(members, groups)
    return PeopleResolution(people=rows, _ids=ids, by_name=by_name)


def name_groups(persons: Iterable[dict]) -> dict[Name, list[dict]]:
    """Person rows by normalised name (``name_key_tokens``); rows without one are dropped."""
    groups: dict[Name, list[dict]] = {}
    for p in persons:
        toks = name_key_tokens(p.get("name") or "")
        if toks:
            groups.setdefault(toks, []).append(p)
    return groups


def _gender_of(rows: list[dict]) -> set[str]:
    return {g for g in (honorific_gender(r.get("honorific")) for r in rows) if g}


def link_names(groups: Mapping[Name, list[dict]]) -> dict[Name, Name]:
    """The root (the fullest name, which is the person) of every name of ``groups``.

    A name's root depends only on the names that hold all its tokens, on theirs, and on
    their rows' honorifics: a corpus resolve may decide a name from those alone
    (pipeline/run/splice.py), and gets what it gets from the whole corpus.
    """
    names = sorted(groups, key=lambda t: (-len(t), t))
    maximal = _maximal(names)
    root_of: dict[Name, Name] = {n: n for n in maximal}
    maximal_by_token = _by_token(maximal)
    for n in names:
        if n in root_of:
            continue
        g = _gender_of(groups[n])
        fits = [r for r in _holders(n, maximal_by_token) if is_subname(n, r)
                and all(genders_compatible(a, b)
                        for a in g for b in (_gender_of(groups[r]) or {None}))]
        root_of[n] = fits[0] if len(fits) == 1 else n
    return root_of


ID_SUFFIXES = r"(-[0-9]+)+$"  # what ``id_family`` drops


def id_family(person_id: str) -> str:
    """A person_id without its numeric suffixes: two people can only be given the same slug,
    and so the suffixes ``-2``, ``-3``…, when their ids share a family."""
    return re.sub(ID_SUFFIXES, "", person_id)


def person_rows(members: Mapping[Name, list[Name]], groups: Mapping[Name, list[dict]]
                ) -> tuple[list[dict], dict[tuple[str, str], str], dict[str, str]]:
    """One row per root of ``members`` (root → its names), sorted by person_id; the id of
    each doc-local person; and the id of each written name.

    A root's id is the slug of its display name, numbered in the order of the roots when
    slugs coincide: rows of the same ``id_family`` must be made in one call.
    """
    rows: list[dict] = []
    ids: dict[tuple[str, str], str] = {}
    by_name: dict[str, str] = {}
    taken: set[str] = set()
    for root in sorted(members):
        rows_in = [p for n in members[root] for p in groups[n]]
        display = _pick_display((p["name"], _weight(p)) for p in groups[root])
        pid = slugify(display)
        if pid in taken:  # distinct names, one slug ('Anna-Lena Berg', 'Anna Lena Berg')
            n = 2
            while f"{pid}-{n}" in taken:
                n += 1
            pid = f"{pid}-{n}"
        taken.add(pid)
        counts: Counter = Counter()
        for p in rows_in:
            if p.get("honorific"):
                counts[p["honorific"]] += _weight(p)
        honorific = sorted(counts, key=lambda h: (-counts[h], h))[0] if counts else None
        aliases = sorted({p["name"] for p in rows_in} - {display})
        docs = sorted({str(p.get("doc_id")) for p in rows_in})
        rows.append({"person_id": pid, "name": display, "honorific": honorific,
                     "aliases": aliases, "n_documents": len(docs)})
        for p in rows_in:
            ids[(str(p.get("doc_id")), p.get("key"))] = pid
            by_name[p["name"]] = pid
    rows.sort(key=lambda r: r["person_id"])
    return rows, ids, by_name
