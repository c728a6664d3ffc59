"""The corpus resolve step of organizations: one row per organization, from mention rows alone.

No model and no re-parse: mentions that share an acronym, a name key or a gazetteer entry
are one organization, with a stable id (a slug of its acronym or name).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.extract.organizations.abbreviations import acronym_key, is_acronym_like
from pipeline.extract.organizations.gazetteer import gazetteer
from pipeline.extract.organizations.vocabulary import (
    UnionFind,
    clean_surface,
    is_well_formed_name,
    name_key,
    slugify,
)
from pipeline.extract.organizations.words import words


@dataclass
class OrgResolution:
    """Organizations of the corpus, the org id of each input mention, and a lookup.

    ``keys`` holds each organization's identity keys (a mention holding one of them belongs
    to it) and ``contributions`` the keys it adds to the lookup ``index``, where the smallest
    org_id holding a key wins it (what a corpus resolve that splices needs,
    pipeline/run/splice.py)."""

    organizations: list[dict]
    org_ids: list[str]
    index: dict[str, str] = field(default_factory=dict, repr=False)
    keys: dict[str, list[str]] = field(default_factory=dict, repr=False)
    contributions: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def lookup(self, text: str) -> str | None:
        """org_id for any surface form: long name, acronym, alias, "the X", case or spelling
        variant, or a gazetteer name of an organization in the corpus; else None.

        Falls back to the longest known name or acronym inside the text, so "Executive
        Director of the United Nations Office on Drugs and Crime" finds UNODC.
        """
        s = clean_surface(text) if text and text.strip() else ""
        if not s:
            return None
        for key in _lookup_keys(s):
            if key in self.index:
                return self.index[key]
        best: tuple[int, int, str] | None = None
        for size, start, keys in _span_probes(s):
            for key in keys:
                if key in self.index:
                    cand = (size, -start, self.index[key])
                    if best is None or cand[:2] > best[:2]:
                        best = cand
                    break
        return best[2] if best else None


def _span_probes(s: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """The keys ``lookup`` tries, longest first, for each span of a cleaned surface ``s``
    that its own keys did not find: (words, first word, keys)."""
    ws = words(s)
    for i in range(len(ws)):
        for j in range(len(ws), i, -1):
            part = s[ws[i].start:ws[j - 1].core_end]
            if j - i == 1 and not is_acronym_like(part):
                continue
            yield j - i, i, _lookup_keys(part)


def probe_keys(text: str, spans: bool = True) -> set[str]:
    """Every key ``lookup(text)`` may try: the text's own, and (``spans``) its spans'."""
    s = clean_surface(text) if text and text.strip() else ""
    if not s:
        return set()
    if not spans:
        return set(_lookup_keys(s))
    return {*_lookup_keys(s), *(k for _, _, keys in _span_probes(s) for k in keys)}


ID_SUFFIXES = r"(-[0-9a-f]{6})+$"  # what ``id_family`` drops


def id_family(org_id: str) -> str:
    """An org_id without hash suffixes: organizations whose slugs coincide are told apart
    by a suffix of their name's hash, so only ids of one family can depend on each other."""
    return re.sub(ID_SUFFIXES, "", org_id)


def _lookup_keys(s: str) -> tuple[str, ...]:
    keys = []
    if is_acronym_like(s) or " " not in s:
        keys.append("A:" + acronym_key(s))
    keys.append("N:" + name_key(s))
    gid = gazetteer().entry_for(s)
    if gid:
        keys.append("G:" + gid)
    return tuple(keys)


def mention_keys(m: dict) -> list[str]:
    """Identity keys of a mention row: acronym, name keys of its text and name, gazetteer id.

    Two mentions that share any key are the same organization.
    """
    gaz = gazetteer()
    keys: list[str] = []
    acronym = m.get("acronym")
    if acronym:
        keys.append("A:" + acronym_key(acronym))
        gid = gaz.by_acronym.get(acronym_key(acronym))
        if gid:
            keys.append("G:" + gid)
    for surface in (m.get("text"), m.get("name")):
        if not surface:
            continue
        s = clean_surface(surface)
        if not s:
            continue
        if is_acronym_like(s):
            keys.append("A:" + acronym_key(s))
        else:
            keys.append("N:" + name_key(s))
        gid = gaz.entry_for(s)
        if gid:
            keys.append("G:" + gid)
    return list(dict.fromkeys(keys))


def resolve_organizations(mentions: Sequence[dict]) -> OrgResolution:
    """One row per organization of the corpus, from mention rows alone (no re-parse).

    Mentions sharing an acronym, a name key (case/spelling/``UN`` variants folded) or a
    gazetteer entry are one organization. Its ``name`` is the most common well-formed long
    form written in the corpus (ties: more words, then longer, then alphabetical), its
    ``acronym`` the most common acronym, its ``aliases`` every other surface seen (sorted).
    ``org_id`` is a slug of the acronym, else of the name; the result does not depend on the
    order of the input. A mention row may stand for ``n`` equal mentions (its ``n``): the
    result depends only on the counts, so a corpus index of distinct mentions resolves
    exactly like the rows it counts.
    """
    gaz = gazetteer()
    uf = UnionFind()
    for i, m in enumerate(mentions):
        uf.find(f"M:{i}")
        for k in mention_keys(m):
            uf.union(f"M:{i}", k)
    groups: dict[str, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        groups[uf.find(f"M:{i}")].append(i)
    all_keys: dict[str, set[str]] = defaultdict(set)
    for node in list(uf.parent):
        if not node.startswith("M:"):
            all_keys[uf.find(node)].add(node)

    rows = []
    for root, members in groups.items():
        ms = [mentions[i] for i in members]
        weights = [int(m.get("n") or 1) for m in ms]
        texts = [clean_surface(m.get("text") or "") for m in ms]
        longs: Counter = Counter()
        for t, w in zip(texts, weights):
            if is_well_formed_name(t):
                longs[t] += w
        if not longs:
            for m, w in zip(ms, weights):
                if m.get("name") and is_well_formed_name(clean_surface(m["name"])):
                    longs[clean_surface(m["name"])] += w
        gids = sorted(k[2:] for k in all_keys[root] if k.startswith("G:"))
        acronyms: Counter = Counter()
        for m, t, w in zip(ms, texts, weights):
            if m.get("acronym"):
                acronyms[m["acronym"]] += w
            if is_acronym_like(t):
                acronyms[t] += w
        acronym = (max(acronyms.items(), key=lambda kv: (kv[1], kv[0]))[0] if acronyms else None)
        if longs:
            name = max(longs.items(),
                       key=lambda kv: (kv[1], len(kv[0].split()), len(kv[0]), kv[0]))[0]
        elif gids:
            name = gaz.entries[gids[0]].name
        else:
            seen: Counter = Counter()
            for t, w in zip(texts, weights):
                seen[t] += w
            name = acronym or max(seen.items(), key=lambda kv: (kv[1], kv[0]))[0]
        aliases = sorted({t for t in texts if t} - {name, acronym})
        rows.append({"root": root, "name": name, "acronym": acronym, "aliases": aliases,
                     "members": members, "gids": gids})

    # ids: slug of the acronym, else of the name; collisions get a hash of the name
    by_slug: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_slug[slugify(r["acronym"] or r["name"])].append(r)
    for slug, rs in by_slug.items():
        rs.sort(key=lambda r: (r["name"], r["acronym"] or ""))
        for k, r in enumerate(rs):
            r["org_id"] = slug if k == 0 else f"{slug}-{hashlib.sha1(r['name'].encode()).hexdigest()[:6]}"

    org_ids = [""] * len(mentions)
    index: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    contributions: dict[str, list[str]] = {}
    for r in sorted(rows, key=lambda r: r["org_id"]):
        for i in r["members"]:
            org_ids[i] = r["org_id"]
        keys[r["org_id"]] = sorted(all_keys[r["root"]])
        contributions[r["org_id"]] = gives = list(dict.fromkeys(_contributed(r, keys[r["org_id"]])))
        for k in gives:
            index.setdefault(k, r["org_id"])
    organizations = [{"org_id": r["org_id"], "name": r["name"], "acronym": r["acronym"],
                      "aliases": r["aliases"]} for r in sorted(rows, key=lambda r: r["org_id"])]
    return OrgResolution(organizations, org_ids, index, keys, contributions)


def _contributed(row: dict, own: list[str]) -> Iterator[str]:
    """The lookup keys of one organization: its identity keys, its gazetteer entries' names
    and acronym, and the keys of every surface it was written as."""
    yield from own
    gaz = gazetteer()
    for gid in row["gids"]:
        e = gaz.entries[gid]
        for n in (e.name, *e.variants):
            yield "N:" + name_key(n)
        if e.acronym:
            yield "A:" + acronym_key(e.acronym)
    for a in (row["aliases"] + [row["name"]] + ([row["acronym"]] if row["acronym"] else [])):
        yield from _lookup_keys(a)[:2]


def per_release_organizations(mentions: Sequence[dict], resolution: OrgResolution) -> dict[str, list[dict]]:
    """Each release's organizations as that release writes them (for gold scoring).

    Gold names follow the release ("UN Office on Drugs and Crime" in one, "United Nations
    Office on Drugs and Crime" in another), so per release the name is the mentions' most
    common ``name`` there and the acronym their most common acronym; ``org_id`` links to the
    corpus row.
    """
    by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for m, oid in zip(mentions, resolution.org_ids):
        by_doc[m.get("doc_id")][oid].append(m)
    out: dict[str, list[dict]] = {}
    for doc_id, orgs in by_doc.items():
        rows = []
        for oid, ms in orgs.items():
            names = Counter(m["name"] for m in ms if m.get("name"))
            name = max(names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0] if names else None
            acrs = Counter(m["acronym"] for m in ms if m.get("acronym"))
            acronym = max(acrs.items(), key=lambda kv: (kv[1], kv[0]))[0] if acrs else None
            rows.append({"org_id": oid, "name": name, "acronym": acronym})
        out[doc_id] = sorted(rows, key=lambda r: r["org_id"])
    return out

