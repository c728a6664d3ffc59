"""Incremental corpus resolution and per-partition writes: a corpus built in several runs
(adding, changing, pruning, and releases that change other releases' ids) has exactly the
tables of one fresh run, while each run rewrites only the parts its changes touch."""
import os

import pandas as pd
import pytest

from pipeline.run import runner, store

from tests.conftest import assert_same_outputs

# Invented releases. "Ms. Lind" alone is one person until a release names "Sara Lind" (then
# the surname joins her), and again its own row once "Eva Lind" makes it ambiguous; the
# "Harbour Safety Board" gets its acronym's id once a release defines "(HSB)".
SURNAME = """Harbour inspections expanded

OSLO, 3 March 2025 - The Harbour Safety Board announced new inspections on Monday.

"Every vessel will be checked," said Ms. Lind, the chief inspector.
"""
FULL_NAME = """Board names new director

OSLO, 10 March 2025 - The Harbour Safety Board (HSB) appointed a director.

"We start with the smallest ports," said Ms. Sara Lind, director of the HSB.
"""
UNRELATED = """River clean-up reaches its target

LYON, 4 March 2025 - The Rhone Valley Water Trust said volunteers removed 12 tonnes of waste.

"The river is ours to keep," said Mr. Paul Girard, chair of the trust.
"""
OTHER_LIND = """Training for port staff

BERGEN, 12 March 2025 - Port staff began a training course.

"Safety is a habit," said Ms. Eva Lind, a trainer.
"""


def _write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def _check(inp, out, tmp_path, step, prune=False):
    """Run incrementally, then compare with a fresh run and with a full re-resolve."""
    summary = runner.run([inp], out, prune=prune)
    fresh = tmp_path / f"fresh{step}"
    runner.run([inp], fresh, use_cache=False)
    assert_same_outputs(out, fresh)
    return summary


def _part_of(out, doc_id):
    """The part file of table quotes holding ``doc_id``."""
    for p in sorted((out / "quotes").glob("*.parquet")):
        if doc_id in set(pd.read_parquet(p).doc_id):
            return p
    raise AssertionError(f"{doc_id} in no part")


def _speaker_of(out, doc_id):
    q = pd.read_parquet(out / "quotes")
    return q[(q.doc_id == doc_id) & q.speaker_id.notna()].speaker_id.tolist()


@pytest.fixture(autouse=True, scope="module")
def one_release_per_partition():
    """Each release in its own partition (and no merging of small ones), so which parts a
    run rewrites shows release by release."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "PART_SIZE", 1)
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The corpus built in five runs, with what each run reported and saw."""
    tmp = tmp_path_factory.mktemp("increments")
    inp, out = tmp / "in", tmp / "out"
    seen = {}
    _write(inp, "a_surname", SURNAME)
    _write(inp, "c_unrelated", UNRELATED)
    first = _check(inp, out, tmp, 1)
    seen["first"] = (first, _speaker_of(out, "a_surname"), _speaker_of(out, "c_unrelated"))
    _write(inp, "b_full_name", FULL_NAME)
    second = _check(inp, out, tmp, 2)
    seen["second"] = (second, _speaker_of(out, "a_surname"), _speaker_of(out, "c_unrelated"))
    _write(inp, "c_unrelated", UNRELATED + "\nThe trust meets again in June.\n")
    seen["third"] = (_check(inp, out, tmp, 3),)
    _write(inp, "d_other_lind", OTHER_LIND)
    fourth = _check(inp, out, tmp, 4)
    seen["fourth"] = (fourth, _speaker_of(out, "a_surname"))
    (inp / "b_full_name.txt").unlink()
    seen["fifth"] = (_check(inp, out, tmp, 5, prune=True), _speaker_of(out, "a_surname"))
    return seen


def test_a_fuller_name_changes_the_id_of_an_earlier_release_without_reparsing_it(built):
    first, before, _ = built["first"]
    second, after, _ = built["second"]
    assert before == ["lind"] and after == ["sara-lind"]
    assert (second.parsed, second.cached) == (1, 2)
    # the surname's part gets new ids (not parsed, not rebuilt); the unrelated one is linked
    assert len(second.plan.rebuild) == 1
    assert len(second.plan.reresolve) == 1 and len(second.plan.link) == 1


def test_ids_of_untouched_entities_are_stable(built):
    _, _, girard_first = built["first"]
    _, _, girard_second = built["second"]
    assert girard_first == girard_second == ["paul-girard"]


def test_an_ambiguous_surname_gets_its_own_id_again(built):
    fourth, speaker = built["fourth"]
    assert speaker == ["lind"]
    assert len(fourth.plan.reresolve) == 1 and len(fourth.plan.rebuild) == 1
    fifth, after_prune = built["fifth"]
    # with Sara Lind pruned, the surname belongs to the one Lind left
    assert fifth.pruned == 1 and after_prune == ["eva-lind"]


def test_a_changed_release_is_rebuilt_in_its_new_part(built):
    (third,) = built["third"]
    assert (third.parsed, len(third.plan.rebuild)) == (1, 1)


def test_a_run_rewrites_only_the_parts_it_touches(tmp_path):
    """Releases in their own partitions: adding one that touches nobody links every other
    part as it was (same file, by hard link)."""
    inp, out = tmp_path / "in", tmp_path / "out"
    _write(inp, "c_unrelated", UNRELATED)
    runner.run([inp], out)
    part = _part_of(out, "c_unrelated")
    inode = os.stat(part).st_ino
    _write(inp, "d_other_lind", OTHER_LIND)
    summary = runner.run([inp], out)
    assert summary.plan.link == [part.name] and len(summary.plan.rebuild) == 1
    assert os.stat(out / "quotes" / part.name).st_ino == inode
    full = runner.run([inp], out, full_resolve=True)
    assert not full.plan.link and len(full.plan.rebuild) == 2
    fresh = tmp_path / "fresh"
    runner.run([inp], fresh, use_cache=False)
    assert_same_outputs(out, fresh)


def test_incremental_runs_on_a_dask_cluster_equal_a_fresh_run(tmp_path):
    """The incremental logic is the driver's: a dask run adds to the same store and tables,
    parses only what is new, and rewrites only the parts it touches."""
    inp, out = tmp_path / "in", tmp_path / "out"
    _write(inp, "c_unrelated", UNRELATED)
    runner.run([inp], out)
    _write(inp, "a_surname", SURNAME)
    summary = runner.run([inp], out, executor="dask", n_process=1)
    assert (summary.parsed, summary.cached) == (1, 1)
    assert len(summary.plan.link) == 1 and len(summary.plan.rebuild) == 1
    fresh = tmp_path / "fresh"
    runner.run([inp], fresh, use_cache=False)
    assert_same_outputs(out, fresh)


def test_the_corpus_stage_does_not_import_spacy():
    """A run that only rewrites tables (a prune, a re-resolve) loads no model, so it must not
    pay spaCy's import either: the corpus stage needs the resolvers, not the extractors."""
    import subprocess
    import sys

    code = ("import sys, pipeline.run.partitions\n"
            "from pipeline.extract.people import resolve_people\n"
            "print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
