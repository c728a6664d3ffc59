"""The notebooks run top to bottom against a fresh pipeline run.

Code cells are executed in one namespace, as a kernel would, without needing Jupyter.
"""
import json
import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, seed_outputs, monkeypatch):
    out, _ = seed_outputs
    monkeypatch.setenv("OUTPUTS", str(out))
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {}
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code_cells
    for cell in code_cells:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        exec(compile(src, f"{path.name}", "exec"), namespace)
    assert all(len(df) for name, df in namespace["tables"].items() if name != "errors")
    assert len(namespace["mentions"]) > 0
