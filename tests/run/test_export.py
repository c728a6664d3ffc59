"""Export for spreadsheets: every table as CSV, or one workbook."""
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.run import tables


def test_csv_export_has_every_table_and_row(seed_outputs, tmp_path):
    out, _ = seed_outputs
    res = CliRunner().invoke(app, ["export", "--pred", str(out), "--out", str(tmp_path / "csv")])
    assert res.exit_code == 0, res.output
    for name in tables.TABLES:
        path = tmp_path / "csv" / f"{name}.csv"
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the accents right
        parquet = pd.read_parquet(out / name)
        csv = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
        assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet)
    docs = pd.read_csv(tmp_path / "csv" / "documents.csv", encoding="utf-8-sig")
    assert sorted(docs.text) == sorted(pd.read_parquet(out / "documents").text)


def test_xlsx_export_is_one_sheet_per_table(seed_outputs, tmp_path):
    pytest.importorskip("openpyxl")
    out, _ = seed_outputs
    res = CliRunner().invoke(app, ["export", "-p", str(out), "-o", str(tmp_path), "--format", "xlsx"])
    assert res.exit_code == 0, res.output
    sheets = pd.read_excel(tmp_path / "tables.xlsx", sheet_name=None)
    assert list(sheets) == list(tables.TABLES)
    assert len(sheets["quotes"]) == len(pd.read_parquet(out / "quotes"))


def test_export_usage_errors(tmp_path, seed_outputs):
    res = CliRunner().invoke(app, ["export", "-p", str(tmp_path), "-o", str(tmp_path / "x")])
    assert res.exit_code == 2 and "no output tables" in res.output
    res = CliRunner().invoke(app, ["export", "-p", str(seed_outputs[0]), "-o", str(tmp_path / "x"),
                                   "--format", "ods"])
    assert res.exit_code == 2 and "unknown format" in res.output
