"""Incremental corpus resolve (pipeline/run/splice.py): spliced into the previous resolution,
it must equal a full resolve, whatever the increments."""
from __future__ import annotations

import random

import pyarrow as pa
import pytest

from pipeline.run import splice, tables
from pipeline.run.entities import entity_rows, entity_table
from pipeline.run.resolve import resolve_corpus

ORGS = [  # (text, name, acronym) as an extractor writes them
    ("UN Office on Drugs and Crime", "UN Office on Drugs and Crime", "UNODC"),
    ("UNODC", "United Nations Office on Drugs and Crime", "UNODC"),
    ("UNODC", None, None),
    ("the Office on Drugs and Crime", "Office on Drugs and Crime", None),
    ("IOM", "International Organization for Migration", "IOM"),
    ("International Office for Migration", "International Office for Migration", "IOM"),
    ("Northern Rights Foundation", "Northern Rights Foundation", "NRF"),
    ("NRF", None, None),
    ("Nordic Relief Fund", "Nordic Relief Fund", "NRF"),
    ("ABC", None, None),
    ("Abc", "Abc", None),                     # same slug as ABC, another organization
    ("Ministry of Justice", "Ministry of Justice", None),
    ("Safe Harbor Trust", "Safe Harbor Trust", None),
]
PEOPLE = [  # (name, honorific)
    ("Amira Ben Mbarek", "Dr."), ("Amira Ben", None), ("Ben Mbarek", None), ("Mbarek", "Dr."),
    ("Sara Lind", "Ms."), ("Eva Lind", "Ms."), ("Lind", "Ms."), ("Lind", "Mr."),
    ("Omar Haddad", "Mr."), ("Haddad", None), ("Omar Khalid Haddad", None),
    ("Иван Петров", None), ("Пётр Иванов", None), ("Ana Silva", None), ("Silva", None),
    ("Anna-Lena Berg", None), ("Anna Lena Berg", None),  # two people, one slug: numbered
]
AFFILIATIONS = ["UNODC", "Executive Director of the UN Office on Drugs and Crime",
                "UNODC Regional Office", "Ministry of Justice", "Nordic Relief Fund board",
                "IOM", "Abc"]


def release(rng: random.Random) -> dict:
    orgs = rng.sample(ORGS, rng.randint(0, 4))
    people = rng.sample(PEOPLE, rng.randint(0, 4))
    return {"organization_mentions": [{"text": t, "name": n, "acronym": a}
                                      for t, n, a in orgs for _ in range(rng.randint(1, 2))],
            "doc_people": [{"name": n, "honorific": h,
                            "organization": rng.choice(AFFILIATIONS + [None])}
                           for n, h in people]}


def index_of(corpus: dict[str, dict]) -> pa.Table:
    return entity_table([r for h in sorted(corpus) for r in entity_rows(h, corpus[h])])


def full(index: pa.Table):
    res = resolve_corpus(index)
    state = splice.state_of(splice.aggregate(index), res.orgs, res.person_of, res.affiliation_of)
    return res, state


def test_aggregate_counts_mentions_releases_and_their_set():
    a = index_of({"0" * 16: {"doc_people": [{"name": "Sara Lind"}, {"name": "Sara Lind"}]},
                  "1" * 16: {"doc_people": [{"name": "Sara Lind"}]}})
    b = index_of({"0" * 16: {"doc_people": [{"name": "Sara Lind"}] * 2},
                  "2" * 16: {"doc_people": [{"name": "Sara Lind"}]}})  # another release
    rows = splice.aggregate(a).to_pylist()
    assert [(r["key"], r["n"], r["docs"]) for r in rows] == [("Sara Lind", 3, 2)]
    assert splice.changed(splice.aggregate(a), splice.aggregate(a)) == {}
    assert splice.changed(splice.aggregate(a), splice.aggregate(b)) == {
        "person": {("Sara Lind", ""): 3}}


@pytest.mark.parametrize("seed", range(10))
def test_a_corpus_spliced_run_after_run_equals_a_full_resolve(seed):
    rng = random.Random(seed)
    corpus: dict[str, dict] = {}
    before = None
    for step in range(8):
        for _ in range(rng.randint(1, 4)):  # new releases
            corpus[f"{rng.getrandbits(64):016x}"] = release(rng)
        for h in rng.sample(sorted(corpus), min(len(corpus) // 4, rng.randint(0, 2))):
            if rng.random() < 0.5:
                del corpus[h]                # pruned
            else:
                corpus[h] = release(rng)     # changed
        index = index_of(corpus)
        res, state = full(index)
        if before is not None:
            got = splice.splice(index, before)
            assert got.organizations.to_pylist() == tables.to_table(
                "organizations", res.organizations).to_pylist(), (seed, step)
            assert got.people.to_pylist() == tables.to_table("people", res.people).to_pylist()
            assert got.org_of == res.org_of
            assert got.person_of == res.person_of
            assert got.affiliation_of == res.affiliation_of
            for name in ("forms", "org_keys", "tried", "postings"):
                rows = [sorted(getattr(s, name).to_pylist(), key=str) for s in (got.state, state)]
                assert rows[0] == rows[1], name
            res_tables = (got.organizations, got.people)
            state = got.state  # the next step splices into the spliced one
        else:
            res_tables = (tables.to_table("organizations", res.organizations),
                          tables.to_table("people", res.people))
        before = splice.Before(state, res.maps(), *res_tables)
