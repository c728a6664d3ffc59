"""Corpus-wide resolution from per-release rows alone: no re-parsing.

Organizations are canonicalized first (variants, acronyms, aliases → one row), then people
(name variants and surname-only mentions → one person), then each release's speakers are
built from its quotes, pointing at those rows. Adding a release may merge people or
organizations; ids are slugs of canonical names, so they stay deterministic.
"""
from __future__ import annotations

from collections import defaultdict

from pipeline.extract.organizations.resolve import resolve_organizations
from pipeline.extract.people.resolve import resolve_people

PER_DOC_TABLES = ("documents", "sentences", "dates", "statistics")


def bare_name(text: str | None) -> str:
    """A surface form compared case- and space-insensitively, without a leading article."""
    words = (text or "").casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _org_names_by_doc(mentions: list[dict]) -> dict[str, dict[str, str]]:
    """Per release, every written form of an organization (mention text and long name) →
    its org_id."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for m in mentions:
        if not m.get("org_id"):
            continue
        for surface in (m.get("text"), m.get("name"), m.get("acronym")):
            if surface:
                out[m["doc_id"]].setdefault(bare_name(surface), m["org_id"])
    return out


def speaking_org(mention: str | None, names: dict[str, str]) -> str | None:
    """The org_id of a quote's speaker when the whole speaker mention names an organization
    of the same release ("The Agency for X said"); a person's description that only
    contains an organization ("a spokesperson for X") is not the organization speaking."""
    return names.get(bare_name(mention)) if mention else None


def resolve(per_doc: list[dict[str, list[dict]]]) -> dict[str, list[dict]]:
    """Turn per-release rows (ordered by doc_id) into the final tables of the contract."""
    out: dict[str, list[dict]] = {name: [] for name in PER_DOC_TABLES}
    for rows in per_doc:
        for name in PER_DOC_TABLES:
            out[name].extend(rows.get(name, []))

    # Organizations.
    mentions = [m for rows in per_doc for m in rows.get("organization_mentions", [])]
    orgs = resolve_organizations(mentions)
    out["organization_mentions"] = [
        {**m, "org_id": org_id, "method": m.get("source")}
        for m, org_id in zip(mentions, orgs.org_ids)
    ]
    n_mentions: dict[str, int] = defaultdict(int)
    org_docs: dict[str, set] = defaultdict(set)
    for m in out["organization_mentions"]:
        n_mentions[m["org_id"]] += 1
        org_docs[m["org_id"]].add(m["doc_id"])
    out["organizations"] = [
        {**o, "n_mentions": n_mentions[o["org_id"]], "n_documents": len(org_docs[o["org_id"]])}
        for o in orgs.organizations
    ]

    # People.
    persons = [p for rows in per_doc for p in rows.get("doc_people", [])]
    people = resolve_people(persons)
    person_docs: dict[str, set] = defaultdict(set)
    aliases: dict[str, set] = defaultdict(set)
    local: dict[tuple[str, str], dict] = {}
    for p in persons:
        pid = people.person_id_for(p["doc_id"], p["key"])
        local[(p["doc_id"], p["key"])] = p
        if pid:
            person_docs[pid].add(p["doc_id"])
            if p.get("name"):
                aliases[pid].add(p["name"])
    out["people"] = []
    for row in people.people:
        pid = row["person_id"]
        out["people"].append({**row, "n_documents": len(person_docs[pid]),
                              "aliases": sorted(aliases[pid] - {row["name"]})})

    # Quotes and speakers.
    out["quotes"] = []
    speakers: dict[tuple[str, str], dict] = {}
    org_names = _org_names_by_doc(out["organization_mentions"])
    for rows in per_doc:
        for q in rows.get("quotes", []):
            key = q.get("speaker_key")
            pid = people.person_id_for(q["doc_id"], key) if key is not None else None
            org_id = None if key is not None else speaking_org(
                q.get("speaker_mention"), org_names.get(q["doc_id"], {}))
            out["quotes"].append({**q, "speaker_id": pid, "speaker_org_id": org_id})
            if pid is None:
                continue
            person = local.get((q["doc_id"], key), {})
            sp = speakers.setdefault((q["doc_id"], pid), {
                "doc_id": q["doc_id"], "person_id": pid, "n_quotes": 0, "title": None,
                "organization": None, "name": None, "honorific": None})
            sp["n_quotes"] += 1
            for field in ("title", "organization", "name", "honorific"):
                if sp[field] is None and person.get(field):
                    sp[field] = person[field]
    for sp in speakers.values():
        sp["organization_id"] = orgs.lookup(sp["organization"]) if sp["organization"] else None
    out["speakers"] = list(speakers.values())
    return out
