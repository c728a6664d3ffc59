"""Export the Parquet tables for people who work in a spreadsheet: CSV files or one workbook.

- ``csv``: ``<out>/<table>.csv``, one per table, UTF-8 with a byte-order mark (so Excel
  reads accents right; pandas, R and DuckDB skip the mark), lists joined with ``"; "``.
- ``xlsx``: ``<out>/tables.xlsx``, one sheet per table (needs the optional dependency
  ``openpyxl``: ``pip install '.[xlsx]'``). A cell holds at most 32,767 characters in Excel,
  so a longer text (``documents.text`` of a long release) is cut there and ends with "…";
  control characters Excel refuses are dropped. The CSV files keep every character.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.run.tables import TABLES, read_table

FORMATS = ("csv", "xlsx")
XLSX_CELL_LIMIT = 32_767
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportError(RuntimeError):
    """The format is unknown, its library is missing, or there are no tables."""


def table_frame(pred_dir: Path, name: str) -> pd.DataFrame:
    """One table as a flat frame: list cells joined with ``"; "``; an absent table is empty."""
    try:
        table = read_table(pred_dir, name)
    except FileNotFoundError:
        return pd.DataFrame()
    df = table.to_pandas()
    for f in table.schema:
        if pa.types.is_list(f.type):
            df[f.name] = df[f.name].map(lambda v: None if v is None else "; ".join(map(str, v)))
    return df


def _xlsx_cell(v):
    if isinstance(v, str):
        v = _XLSX_ILLEGAL.sub("", v)
        if len(v) > XLSX_CELL_LIMIT:
            v = v[:XLSX_CELL_LIMIT - 1] + "…"
    return v


def export(pred_dir: Path, out_dir: Path, fmt: str = "csv") -> list[Path]:
    """Write every table of ``pred_dir`` to ``out_dir`` in ``fmt``; the files written."""
    pred_dir, out_dir = Path(pred_dir), Path(out_dir)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} ({' or '.join(FORMATS)})")
    try:
        read_table(pred_dir, "documents")
    except FileNotFoundError:
        raise ExportError(f"no output tables in {pred_dir} (run `python -m pipeline run "
                          f"--out {pred_dir}` first)") from None
    if fmt == "xlsx":
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise ExportError("xlsx export needs openpyxl: pip install 'openpyxl>=3.1,<4' "
                              "(or the project's [xlsx] extra)") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        written = []
        for name in TABLES:
            path = out_dir / f"{name}.csv"
            table_frame(pred_dir, name).to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        return written
    path = out_dir / "tables.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name in TABLES:
            table_frame(pred_dir, name).map(_xlsx_cell).to_excel(writer, sheet_name=name, index=False)
    return [path]
