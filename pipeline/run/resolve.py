"""Corpus-wide resolution from the entity index alone: no re-parsing, no release text.

Two steps, so a run that adds ten releases to a large corpus rewrites little:

1. ``resolve_corpus`` reads the entity index (pipeline/run/entities.py) of every stored
   release and canonicalizes organizations (variants, acronyms, aliases → one row), then
   people (name variants and surname-only mentions → one person). It returns the
   ``organizations`` and ``people`` tables and three maps from a written form to its id:
   organization mention → org_id, person name → person_id, a speaker's written
   affiliation → org_id. A run with a previous generation does not call it: it re-resolves
   only the forms its changes touch and keeps the rest (pipeline/run/splice.py), with the
   same result.
2. ``release_rows`` turns one release's stored rows into its resolved rows (quotes,
   organization mentions, speakers) through those maps. The runner calls it only for the
   releases whose rows or ids changed (pipeline/run/partitions.py).

Ids are slugs of canonical names (an acronym, a person's fullest name): a function of the
corpus, not of the order releases arrived in, so a corpus built in many runs gets the same
ids as one fresh run, and an id changes only when its entity does (a new fuller name, a merge).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import pyarrow as pa

from pipeline.extract.organizations.resolve import OrgResolution, resolve_organizations
from pipeline.extract.people.resolve import resolve_people
from pipeline.run import entities
from pipeline.run.store import doc_hash

PER_DOC_TABLES = ("documents", "sentences", "dates", "statistics")
RESOLVED_TABLES = ("quotes", "organization_mentions", "speakers")


def bare_name(text: str | None) -> str:
    """A surface form compared case- and space-insensitively, without a leading article."""
    words = (text or "").casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def speaking_org(mention: str | None, names: dict[str, str]) -> str | None:
    """The org_id of a quote's speaker when the whole speaker mention names an organization
    of the same release ("The Agency for X said"); a person's description that only
    contains an organization ("a spokesperson for X") is not the organization speaking."""
    return names.get(bare_name(mention)) if mention else None


@dataclass
class CorpusResolution:
    """The corpus tables, and the maps that give each written form its id."""

    organizations: list[dict] | pa.Table
    people: list[dict] | pa.Table
    org_of: dict[str, str]                  # org_signature of a mention → org_id
    person_of: dict[str, str]               # written name → person_id
    affiliation_of: dict[str, str | None]   # a speaker's written organization → org_id
    orgs: OrgResolution | None = field(default=None, repr=False)  # a full resolve's

    def maps(self) -> dict[str, Mapping[str, str | None]]:
        """The maps by entity-index kind (what decides whether a release's rows changed)."""
        return {"org": self.org_of, "person": self.person_of,
                "affiliation": self.affiliation_of}


def _distinct(table: pa.Table, columns: list[str]) -> list[dict]:
    """Distinct values of ``columns`` with their summed ``n``, in a fixed order."""
    if table.num_rows == 0:
        return []
    grouped = table.group_by(columns).aggregate([("n", "sum")]).to_pylist()
    return sorted(({**{c: r[c] for c in columns}, "n": r["n_sum"]} for r in grouped),
                  key=lambda r: tuple(r[c] or "" for c in columns))


def resolve_corpus(index: pa.Table) -> CorpusResolution:
    """Resolve every organization and person of the corpus from its entity index."""
    orgs_t = entities.of_kind(index, "org")
    people_t = entities.of_kind(index, "person")
    affil_t = entities.of_kind(index, "affiliation")

    sigs = _distinct(orgs_t, ["key"])
    orgs = resolve_organizations([{**entities.org_mention(s["key"]), "n": s["n"]} for s in sigs])
    org_of = {s["key"]: org_id for s, org_id in zip(sigs, orgs.org_ids)}
    org_ids = entities.map_keys(orgs_t["key"], org_of)
    n_docs = entities.documents_per_id(orgs_t, org_ids)
    n_mentions: dict[str, int] = defaultdict(int)
    for s in sigs:
        n_mentions[org_of[s["key"]]] += s["n"]
    organizations = [{**o, "n_mentions": n_mentions[o["org_id"]],
                      "n_documents": n_docs.get(o["org_id"], 0)} for o in orgs.organizations]

    named = _distinct(people_t, ["key", "extra"])
    found = resolve_people([{"name": p["key"], "honorific": p["extra"], "n": p["n"]}
                            for p in named])
    person_of = found.by_name
    person_docs = entities.documents_per_id(people_t, entities.map_keys(people_t["key"], person_of))
    aliases: dict[str, set] = defaultdict(set)
    for p in named:
        if p["key"] in person_of:
            aliases[person_of[p["key"]]].add(p["key"])
    people = [{**row, "n_documents": person_docs.get(row["person_id"], 0),
               "aliases": sorted(aliases[row["person_id"]] - {row["name"]})}
              for row in found.people]

    affiliation_of = {a["key"]: orgs.lookup(a["key"]) for a in _distinct(affil_t, ["key"])}
    return CorpusResolution(organizations, people, org_of, person_of, affiliation_of, orgs)


def release_rows(rows: Mapping[str, list], res: CorpusResolution) -> dict[str, list[dict]]:
    """One release's resolved rows: its organization mentions with org ids, its quotes with
    speaker ids, and one speakers row per quoted person."""
    mentions = [{**m, "org_id": res.org_of.get(entities.org_signature(m)),
                 "method": m.get("source")} for m in rows.get("organization_mentions") or []]
    names: dict[str, str] = {}
    for m in mentions:
        if m["org_id"]:
            for surface in (m.get("text"), m.get("name"), m.get("acronym")):
                if surface:
                    names.setdefault(bare_name(surface), m["org_id"])
    local = {p["key"]: p for p in rows.get("doc_people") or []}
    quotes: list[dict] = []
    speakers: dict[str, dict] = {}
    for q in rows.get("quotes") or []:
        key = q.get("speaker_key")
        person = local.get(key, {}) if key is not None else {}
        pid = res.person_of.get(person.get("name")) if person.get("name") else None
        org_id = None if key is not None else speaking_org(q.get("speaker_mention"), names)
        quotes.append({**q, "speaker_id": pid, "speaker_org_id": org_id})
        if pid is None:
            continue
        sp = speakers.setdefault(pid, {
            "doc_id": q["doc_id"], "person_id": pid, "n_quotes": 0, "title": None,
            "organization": None, "name": None, "honorific": None})
        sp["n_quotes"] += 1
        for field in ("title", "organization", "name", "honorific"):
            if sp[field] is None and person.get(field):
                sp[field] = person[field]
    for sp in speakers.values():
        sp["organization_id"] = (res.affiliation_of.get(sp["organization"])
                                 if sp["organization"] else None)
    return {"quotes": quotes, "organization_mentions": mentions,
            "speakers": list(speakers.values())}


def index_of(per_doc: Iterable[Mapping[str, list]]) -> pa.Table:
    """The entity index of releases held in memory (what the row store keeps on disk)."""
    rows = []
    for doc in per_doc:
        docs = doc.get("documents") or doc.get("quotes") or doc.get("organization_mentions") \
            or doc.get("doc_people") or []
        doc_id = docs[0]["doc_id"] if docs else ""
        rows.extend(entities.entity_rows(doc_hash(doc_id), doc))
    return entities.entity_table(rows)


def resolve(per_doc: list[dict[str, list[dict]]]) -> dict[str, list[dict]]:
    """Every table of the contract from per-release rows held in memory (for tools and tests;
    the runner does the same from the row store, partition by partition)."""
    res = resolve_corpus(index_of(per_doc))
    out: dict[str, list[dict]] = {name: [] for name in (*PER_DOC_TABLES, *RESOLVED_TABLES)}
    for rows in per_doc:
        for name in PER_DOC_TABLES:
            out[name].extend(rows.get(name, []))
        for name, resolved in release_rows(rows, res).items():
            out[name].extend(resolved)
    out["organizations"], out["people"] = res.organizations, res.people
    return out
