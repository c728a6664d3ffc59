"""End to end: the pipeline on raw/, the CLI, bad input, cache, determinism."""
import ast
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.run import tables
from pipeline.cli import app

from tests.conftest import RAW, SHARED

CHECK = SHARED / "tools" / "check_contract.py"


# tables.md lists these date kinds (clock times and TimeML's PRESENT_REF/PAST_REF/FUTURE_REF);
# the shared checker predates them and reports them as outside the contract.
NEWER_DATE_KINDS = {"time", "reference"}


def contract_problems(stdout: str) -> list[str]:
    """The checker's problem lines, less date kinds that tables.md allows."""
    problems = []
    for line in stdout.splitlines():
        if not line.strip() or line.startswith("contract:"):
            continue
        if line.startswith("dates.kind: values outside the contract: "):
            values = set(ast.literal_eval(line.split(": ", 2)[2]))  # the checker prints a Python list
            if values <= NEWER_DATE_KINDS:
                continue
        problems.append(line)
    return problems


def test_contract_problems_pass_only_the_newer_date_kinds():
    out = ("dates.kind: values outside the contract: ['reference']\n"
           "quotes.kind: values outside the contract: ['rumour']\ncontract: 2 problem(s)\n")
    assert contract_problems(out) == ["quotes.kind: values outside the contract: ['rumour']"]
    assert contract_problems("dates.kind: values outside the contract: ['period', 'time']\n") != []


def test_outputs_meet_the_contract(seed_outputs):
    out, _ = seed_outputs
    if CHECK.exists():
        res = subprocess.run([sys.executable, str(CHECK), str(out)], capture_output=True, text=True)
        assert contract_problems(res.stdout) == [], res.stdout
    for name, schema in tables.SCHEMAS.items():
        t = tables.read_table(out, name)
        assert t.schema.remove_metadata() == schema
        meta = t.schema.metadata
        assert b"pipeline_version" in meta and b"spacy_pipeline" in meta


def test_every_release_is_processed(seed_outputs):
    out, summary = seed_outputs
    assert summary.read == 5 and summary.skipped == []
    docs = pd.read_parquet(out / "documents")
    assert sorted(docs.doc_id) == sorted(p.stem for p in RAW.glob("*.txt"))
    assert (docs.n_sentences > 5).all()
    sents = pd.read_parquet(out / "sentences")
    assert sents.groupby("doc_id").size().to_dict() == docs.set_index("doc_id").n_sentences.to_dict()


@pytest.mark.parametrize("table", ["sentences", "quotes", "organization_mentions", "dates", "statistics"])
def test_offsets_round_trip(seed_outputs, table):
    out, _ = seed_outputs
    texts = pd.read_parquet(out / "documents").set_index("doc_id").text.to_dict()
    rows = pd.read_parquet(out / table)
    assert len(rows) > 0, table
    for r in rows.itertuples():
        assert texts[r.doc_id][r.start_char:r.end_char] == r.text, (table, r)


def test_rows_are_in_deterministic_order(seed_outputs):
    out, _ = seed_outputs
    for table in ["dates", "statistics", "organization_mentions"]:
        df = pd.read_parquet(out / table)
        keys = list(zip(df.doc_id, df.start_char))
        assert keys == sorted(keys)


def test_cli_run_with_bad_input_cache_and_strict(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text((RAW / "000_f16db62189e36f3a.txt").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    (inp / "empty.txt").write_bytes(b"")
    (inp / "blob.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(inp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 release(s) processed" in res.output
    assert "empty.txt" in res.output and "blob.txt" in res.output
    errors = pd.read_parquet(out / "errors")
    assert set(errors.doc_id) == {"empty", "blob"}
    assert set(errors.stage) == {"ingest"}
    first = {n: pd.read_parquet(out / n) for n in ("quotes", "dates", "statistics")}
    # Second run: the good release comes from the cache, outputs are identical.
    res = runner.invoke(app, ["run", str(inp), "--out", str(out)])
    assert "1 from cache" in res.output
    for n, df in first.items():
        pd.testing.assert_frame_equal(df, pd.read_parquet(out / n))
    # --strict turns the skips into a failure.
    res = runner.invoke(app, ["run", str(inp), "--out", str(out), "--strict"])
    assert res.exit_code == 1


def test_cli_nothing_processed_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    res = CliRunner().invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1


def test_cli_missing_model_is_one_line(tmp_path):
    res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(tmp_path), "--model", "en_no_such_model"])
    assert res.exit_code == 2
    assert "en_no_such_model" in res.output and "pip install" in res.output
    assert "Traceback" not in res.output


def test_cli_help():
    res = CliRunner().invoke(app, ["run", "--help"])
    assert res.exit_code == 0
    for opt in ("--out", "--model", "--workers", "--strict", "--no-cache", "--prune",
                "--executor", "--scheduler", "--budget"):
        assert opt in res.output


def test_a_damaged_release_keeps_its_previous_extraction(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    good = (RAW / "003_c0289dec28822c60.txt").read_bytes()
    (inp / "rel.txt").write_bytes(good)
    (inp / "other.txt").write_bytes((RAW / "000_f16db62189e36f3a.txt").read_bytes())
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(inp), "--out", str(out)]).exit_code == 0
    before = pd.read_parquet(out / "quotes")
    (inp / "rel.txt").write_bytes(b"\x00\x01" * 50)  # the file is damaged
    res = runner.invoke(app, ["run", str(inp), "--out", str(out)])
    assert res.exit_code == 0
    assert "previous extraction is kept" in res.output
    after = pd.read_parquet(out / "quotes")
    pd.testing.assert_frame_equal(before, after)
    errors = pd.read_parquet(out / "errors")
    assert list(errors.doc_id) == ["rel"] and "binary" in errors.message[0]


def test_documents_carry_the_header(seed_outputs):
    out, _ = seed_outputs
    docs = pd.read_parquet(out / "documents").set_index("doc_id")
    assert (docs.dateline == "Vienna").sum() == 3
    assert (docs.dateline_text.dropna() == "Vienna").all()
    assert set(docs.reference_source) <= {"published", "text:latest_day"}
    assert docs.reference_date.notna().all()
