"""Incremental corpus resolve: re-resolve only what a run's changes touch, keep the rest.

Corpus resolve (pipeline/run/resolve.py) is a function of the corpus's distinct written forms
(an organization mention's signature, a person's name and honorific, an affiliation), their
counts and the releases they occur in. A run that adds ten releases to 100,000 changes a few
hundred of ~150,000 forms. ``splice`` finds them (``changed``: forms whose count, number of
releases or set of releases differ from the previous run's) and runs the same resolvers on
the smallest set of forms that decides them, closed so that it decides them as the whole
corpus would:

- organizations: those holding a changed form or sharing an identity key with a new one,
  with every organization of the same id family (coinciding slugs are numbered together);
- people: the names whose tokens all occur in a changed name (only their links can change),
  every name holding all the tokens of one of those (what decides a link), and the people
  they belonged to or now join, with every person of the same id family;
- affiliations: new ones, and those whose lookup tried a key an organization gained or lost.

Their rows replace the old ones; the other rows, ids and counts are the previous run's. The
result equals a full resolve (tested on corpora built in many increments). What the next run
needs to splice (``State``) is kept with each generation.
"""
from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.extract.organizations.resolve import ID_SUFFIXES as ORG_SUFFIXES
from pipeline.extract.organizations.resolve import (OrgResolution, id_family as org_family,
                                                    mention_keys, probe_keys,
                                                    resolve_organizations)
from pipeline.extract.people.names import name_key_tokens
from pipeline.extract.people.resolve import ID_SUFFIXES as PERSON_SUFFIXES
from pipeline.extract.people.resolve import (id_family as person_family, link_names,
                                             name_groups, person_rows)
from pipeline.run import entities, tables
from pipeline.run.tables import from_tuples

FORMS = pa.schema([("kind", pa.string()), ("key", pa.string()), ("extra", pa.string()),
                   ("n", pa.int64()), ("docs", pa.int64()), ("digest", pa.int64())])
ORG_KEYS = pa.schema([("org_id", pa.string()), ("key", pa.string()), ("identity", pa.bool_())])
TRIED = pa.schema([("key", pa.string()), ("probe", pa.string())])
POSTINGS = pa.schema([("token", pa.string()), ("name", pa.string())])
FILES = {"forms": FORMS, "org_keys": ORG_KEYS, "tried": TRIED, "postings": POSTINGS}
FOLDER = "RESOLUTION"


@dataclass
class State:
    """What a corpus resolution keeps, besides its maps and tables, for the next to splice:

    - ``forms``: every distinct written form (kind, key, extra) with its mentions ``n``, its
      releases ``docs`` and ``digest``, a sum of their hashes (a changed set of releases);
    - ``org_keys``: the lookup-index keys each organization gives (``identity``: a mention
      holding it belongs to that organization);
    - ``tried``: the keys each affiliation's lookup depended on;
    - ``postings``: each token of each person's written name.
    """

    forms: pa.Table
    org_keys: pa.Table
    tried: pa.Table
    postings: pa.Table


def read_state(folder: Path) -> State | None:
    """The state kept with a generation, or None (an earlier version wrote none)."""
    try:
        return State(**{name: pq.read_table(folder / FOLDER / f"{name}.parquet", schema=schema)
                        for name, schema in FILES.items()})
    except (OSError, pa.ArrowInvalid):
        return None


# --------------------------------------------------------------------------- forms

def _digests(h: pa.ChunkedArray) -> pa.Array:
    """A 32-bit hash of each row's release (CRC-32 of its ``h``), computed once per
    distinct release (a release has several rows)."""
    codes = h.combine_chunks().dictionary_encode()
    values = pa.array([zlib.crc32(x.encode()) for x in codes.dictionary.to_pylist()], pa.int64())
    return values.take(codes.indices)


def aggregate(index: pa.Table) -> pa.Table:
    """Every distinct written form of an entity index with its counts (``FORMS``)."""
    if index.num_rows == 0:
        return FORMS.empty_table()
    flat = pa.table({"kind": index["kind"], "key": index["key"], "extra": index["extra"],
                     "n": pc.cast(index["n"], pa.int64()), "digest": _digests(index["h"])})
    # an index row is one form of one release: a form's rows are its releases
    g = flat.group_by(["kind", "key", "extra"]).aggregate(
        [("n", "sum"), ("n", "count"), ("digest", "sum")])
    return pa.table({"kind": pc.cast(g["kind"], pa.string()),
                     "key": pc.cast(g["key"], pa.string()),
                     "extra": pc.fill_null(pc.cast(g["extra"], pa.string()), ""),
                     "n": g["n_sum"], "docs": g["n_count"], "digest": g["digest_sum"]},
                    schema=FORMS)


def changed(old: pa.Table, new: pa.Table) -> dict[str, dict[tuple[str, str], int]]:
    """Per kind, the forms whose count, releases or set of releases differ: (key, extra) →
    the new count (0: gone)."""
    j = new.join(old, keys=["kind", "key", "extra"], join_type="full outer",
                 left_suffix="_new", right_suffix="_old")
    differs = None
    for col in ("n", "docs", "digest"):
        ne = pc.not_equal(pc.fill_null(j[f"{col}_new"], -1), pc.fill_null(j[f"{col}_old"], -1))
        differs = ne if differs is None else pc.or_(differs, ne)
    hit = j.filter(differs)
    out: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    columns = (hit[c].to_pylist() for c in ("kind", "key", "extra", "n_new"))
    for kind, key, extra, n in zip(*columns):
        out[kind][(key, extra)] = n or 0
    return out


def _counts(forms: pa.Table, kind: str, keys: Iterable[str]) -> list[dict]:
    """The forms of ``kind`` among ``keys``: key, extra (None for ""), n."""
    keys = set(keys)
    if not keys:
        return []
    hit = _with(forms.filter(pc.equal(forms["kind"], kind)), "key", keys)
    return [{"key": k, "extra": e or None, "n": n} for k, e, n in
            zip(*(hit[c].to_pylist() for c in ("key", "extra", "n")))]


def _documents(index: pa.Table, kind: str, ids: Mapping[str, str]) -> dict[str, int]:
    """Distinct releases per id, over the entity rows of ``kind`` whose key ``ids`` maps."""
    if not ids:
        return {}
    rows = index.filter(entities.key_in(index["key"], sorted(ids)))
    rows = entities.of_kind(rows, kind)
    keys = pc.cast(rows["key"], pa.string())  # a few rows: not the corpus's dictionary
    return entities.documents_per_id(rows, entities.map_keys(keys, ids))


def _spliced(old: pa.Table, name: str, id_col: str, drop: set[str], rows: list[dict]) -> pa.Table:
    """Table ``name``: ``old`` without the rows of ``drop``, plus ``rows``, in table order."""
    kept = _without(old, id_col, drop).cast(tables.SCHEMAS[name])
    both = pa.concat_tables([kept, tables.to_table(name, rows)])
    return both.sort_by([(k, "ascending") for k in tables.SORT_KEYS[name]])


# --------------------------------------------------------------------------- full

def state_of(forms: pa.Table, orgs: OrgResolution, person_of: Mapping[str, str],
             affiliations: Iterable[str]) -> State:
    """The state of a full resolve (what ``splice`` keeps up to date after it)."""
    tried = [(a, k) for a in affiliations for k in sorted(tried_keys(a, orgs.index))]
    postings = [(t, name) for name in person_of for t in sorted(set(name_key_tokens(name)))]
    return State(forms, _org_keys(orgs), from_tuples(TRIED, tried), from_tuples(POSTINGS, postings))


def _org_keys(orgs: OrgResolution) -> pa.Table:
    """The lookup keys each organization of ``orgs`` gives (``ORG_KEYS``)."""
    rows = []
    for oid, keys in orgs.contributions.items():
        own = set(orgs.keys.get(oid, ()))
        rows.extend((oid, k, k in own) for k in keys)
    return from_tuples(ORG_KEYS, rows)


def tried_keys(text: str, index: Mapping[str, str]) -> set[str]:
    """The keys whose owners decide ``lookup(text)``: its own keys when one of them is known
    (the first known one decides), else every key of every span it tried."""
    own = probe_keys(text, spans=False)
    return own if any(k in index for k in own) else probe_keys(text)


def _without(table: pa.Table, column: str, values: Iterable[str]) -> pa.Table:
    values = sorted(set(values))
    if not values:
        return table
    return table.filter(pc.invert(pc.is_in(table[column], value_set=pa.array(values, pa.string()))))


def _with(table: pa.Table, column: str, values: Iterable[str]) -> pa.Table:
    return table.filter(pc.is_in(table[column],
                                 value_set=pa.array(sorted(set(values)), pa.string())))


# --------------------------------------------------------------------------- splice

@dataclass
class Before:
    """The previous run's resolution: its state, maps (kind → written form → id) and tables."""

    state: State
    maps: Mapping[str, Mapping[str, str | None]]
    organizations: pa.Table
    people: pa.Table


def before(folder: Path, maps: Mapping[str, Mapping[str, str | None]]) -> Before | None:
    """The resolution kept in generation ``folder`` (whose maps are ``maps``), or None when
    it kept no state (a full resolve then)."""
    state = read_state(folder)
    if state is None:
        return None
    try:
        return Before(state, maps, *(pq.read_table(folder / name, schema=tables.SCHEMAS[name])
                                     for name in ("organizations", "people")))
    except (OSError, pa.ArrowInvalid):
        return None


@dataclass
class Spliced:
    """A resolution made by ``splice``: what ``CorpusResolution`` holds, tables as Arrow."""

    organizations: pa.Table
    people: pa.Table
    org_of: dict[str, str]
    person_of: dict[str, str]
    affiliation_of: dict[str, str | None]
    state: State


def splice(index: pa.Table, before: Before) -> Spliced:
    """The resolution of ``index`` (the corpus's entity rows), made from ``before`` by
    re-resolving what changed since; equal to a full resolve of ``index``."""
    forms = aggregate(index)
    delta = changed(before.state.forms, forms)
    org_of = dict(before.maps.get("org", {}))
    orgs, org_keys, gave = _orgs(index, forms, delta.get("org", {}), org_of, before)
    person_of = dict(before.maps.get("person", {}))
    people, postings = _people(index, forms, delta.get("person", {}), person_of, before)
    affiliation_of = dict(before.maps.get("affiliation", {}))
    tried = _affiliations(delta.get("affiliation", {}), affiliation_of, gave, org_keys,
                          before.state.tried)
    return Spliced(orgs, people, org_of, person_of, affiliation_of,
                   State(forms, org_keys, tried, postings))


def _orgs(index: pa.Table, forms: pa.Table, delta: Mapping[tuple[str, str], int],
          org_of: dict[str, str], before: Before) -> tuple[pa.Table, pa.Table, set[str]]:
    """Organizations spliced (``org_of`` updated in place); their lookup keys; and the keys
    whose owners may have changed."""
    old_keys = before.state.org_keys
    sigs = {k for k, _ in delta}
    new = {k for (k, _), n in delta.items() if n and k not in org_of}
    hit = {org_of[s] for s in sigs if s in org_of}
    probes = {key for s in new for key in mention_keys(entities.org_mention(s))}
    owners = _with(old_keys.filter(old_keys["identity"]), "key", probes)
    hit |= set(owners["org_id"].to_pylist())
    families = pc.replace_substring_regex(before.organizations["org_id"], ORG_SUFFIXES, "")
    while True:
        held = {s for s, o in org_of.items() if o in hit}
        counts = [c for c in _counts(forms, "org", held | new) if c["n"]]
        res = resolve_organizations([{**entities.org_mention(c["key"]), "n": c["n"]}
                                     for c in counts])
        fams = {org_family(o) for o in (*res.keys, *hit)}
        same = before.organizations["org_id"].filter(
            pc.is_in(families, value_set=pa.array(sorted(fams), pa.string())))
        more = set(same.to_pylist()) - hit
        if not more:
            break
        hit |= more
    gave = set(_with(old_keys, "org_id", hit)["key"].to_pylist())
    for s in held:
        del org_of[s]
    mentions: dict[str, int] = defaultdict(int)
    for c, oid in zip(counts, res.org_ids):
        org_of[c["key"]] = oid
        mentions[oid] += c["n"]
    docs = _documents(index, "org", {c["key"]: oid for c, oid in zip(counts, res.org_ids)})
    rows = [{**o, "n_mentions": mentions[o["org_id"]], "n_documents": docs.get(o["org_id"], 0)}
            for o in res.organizations]
    added = _org_keys(res)
    gave |= set(added["key"].to_pylist())
    org_keys = pa.concat_tables([_without(old_keys, "org_id", hit), added])
    return _spliced(before.organizations, "organizations", "org_id", hit, rows), org_keys, gave


def _people(index: pa.Table, forms: pa.Table, delta: Mapping[tuple[str, str], int],
            person_of: dict[str, str], before: Before) -> tuple[pa.Table, pa.Table]:
    """People spliced (``person_of`` updated in place), and the postings of their names."""
    postings = before.state.postings
    if not delta:
        return before.people, postings
    names = {k for k, _ in delta}
    tuple_of, moved, deciders = _near(postings, names)
    root_of = link_names(name_groups(_person_rows(forms, deciders)))
    old_rows = before.people
    # the people made again: those a moved name belonged to or now joins, and (the loop)
    # every person whose id is of the same family as one of theirs; the other names of
    # those people keep their links
    roots = {root_of[m] for m in moved if m in root_of}
    pids = {person_of[sp] for sp, t in tuple_of.items()
            if sp in person_of and (t in moved or t in roots)}
    families = pc.replace_substring_regex(old_rows["person_id"], PERSON_SUFFIXES, "")
    while True:
        held = {sp for sp, p in person_of.items() if p in pids}
        involved = held | {sp for sp, t in tuple_of.items() if t in moved}
        kept = _with(old_rows, "person_id", pids)
        root_by_pid = dict(zip(kept["person_id"].to_pylist(),
                               map(name_key_tokens, kept["name"].to_pylist())))
        rows = _person_rows(forms, involved)
        groups = name_groups(rows)
        members: dict[tuple, list[tuple]] = defaultdict(list)
        for t in groups:
            old = person_of.get(next(r["name"] for r in groups[t]))
            root = root_of[t] if t in moved else root_by_pid.get(old, t)
            members[root].append(t)
        made, _, by_name = person_rows(members, groups)
        fams = {person_family(p) for p in (*(r["person_id"] for r in made), *pids)}
        same = old_rows["person_id"].filter(
            pc.is_in(families, value_set=pa.array(sorted(fams), pa.string())))
        more = set(same.to_pylist()) - pids
        if not more:
            break
        pids |= more
    for sp in held:
        del person_of[sp]
    person_of.update(by_name)
    docs = _documents(index, "person", by_name)
    made = [{**r, "n_documents": docs.get(r["person_id"], 0)} for r in made]
    present = {r["name"] for r in _person_rows(forms, names)}
    postings = pa.concat_tables([_without(postings, "name", names), from_tuples(POSTINGS, [
        (t, sp) for sp in sorted(present) for t in sorted(set(name_key_tokens(sp)))])])
    return _spliced(before.people, "people", "person_id", pids, made), postings


def _near(postings: pa.Table, names: set[str]
          ) -> tuple[dict[str, tuple[str, ...]], set[tuple[str, ...]], set[str]]:
    """What changed ``names`` can affect: the normalised names whose link may change (their
    tokens all occur in one changed name: ``moved``), the written names that decide those
    links (they hold all the tokens of a moved name: ``deciders``), and the normalised form
    of each name looked at. All hold a changed token: the postings of those tokens find them
    without reading every name of the corpus."""
    changed_tuples = {t for t in map(name_key_tokens, names) if t}
    tokens = set().union(*changed_tuples) if changed_tuples else set()
    hit = _with(postings, "token", tokens)
    holders: dict[str, set[str]] = defaultdict(set)  # changed token → names holding it
    for t, sp in zip(hit["token"].to_pylist(), hit["name"].to_pylist()):
        holders[t].add(sp)
    for sp in names:  # a new name has no postings yet
        for t in set(name_key_tokens(sp)):
            holders[t].add(sp)
    matched: dict[str, int] = defaultdict(int)
    for sps in holders.values():
        for sp in sps:
            matched[sp] += 1
    sizes = _with(postings, "name", matched).group_by("name").aggregate([("token", "count")])
    inside = {sp for sp, k in zip(sizes["name"].to_pylist(), sizes["token_count"].to_pylist())
              if matched[sp] == k} | names
    tuple_of = {sp: name_key_tokens(sp) for sp in inside}
    within = [set(t) for t in changed_tuples]
    moved = {t for t in tuple_of.values() if t and any(set(t) <= w for w in within)}
    deciders = set().union(*(set.intersection(*(holders[t] for t in set(m))) for m in moved))
    tuple_of.update((sp, name_key_tokens(sp)) for sp in deciders - set(tuple_of))
    return tuple_of, moved, deciders


def _person_rows(forms: pa.Table, names: Iterable[str]) -> list[dict]:
    """The person forms of ``names`` in the corpus now, as the people resolver reads them."""
    return [{"name": c["key"], "honorific": c["extra"], "n": c["n"]}
            for c in _counts(forms, "person", names) if c["n"]]


def _affiliations(delta: Mapping[tuple[str, str], int], affiliation_of: dict[str, str | None],
                  gave: set[str], org_keys: pa.Table, tried: pa.Table) -> pa.Table:
    """Affiliations looked up again (``affiliation_of`` updated in place) where they are new
    or their lookup tried a key whose owner may have changed; their tried keys."""
    gone = {k for (k, _), n in delta.items() if not n}
    redo = {k for (k, _), n in delta.items() if n}
    redo |= set(_with(tried, "probe", gave)["key"].to_pylist()) - gone
    for a in gone:
        affiliation_of.pop(a, None)
    if not redo:
        return _without(tried, "key", gone)
    probes = {a: probe_keys(a) for a in redo}
    wanted = _with(org_keys, "key", set().union(*probes.values()))
    won = wanted.group_by("key").aggregate([("org_id", "min")])
    index = dict(zip(won["key"].to_pylist(), won["org_id_min"].to_pylist()))
    lookup = OrgResolution([], [], index)
    rows = []
    for a in sorted(redo):
        affiliation_of[a] = lookup.lookup(a)
        rows.extend((a, k) for k in sorted(tried_keys(a, index)))
    return pa.concat_tables([_without(tried, "key", gone | redo), from_tuples(TRIED, rows)])
