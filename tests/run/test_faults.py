"""Faults: kill -9 mid-run, a full disk and a read-only output folder each leave the previous
outputs intact, with a clear message and a non-zero exit."""
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.run import outputs
from pipeline.run import tables
from pipeline.cli import app

from tests.conftest import RAW, ROOT, read_outputs


@pytest.fixture()
def previous(tmp_path, seed_outputs):
    """An outputs folder holding a finished run on raw/, and its tables."""
    out = tmp_path / "out"
    shutil.copytree(seed_outputs[0], out, symlinks=True)
    return out, read_outputs(out)


def _unchanged(out, before):
    after = read_outputs(out)
    return all(after[n].equals(before[n]) for n in tables.TABLES)


def _big_corpus(tmp_path, n=40):
    seeds = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"doc_id": f"rel-{i:03d}", "text": seeds[i % len(seeds)]}) + "\n")
    return path


@pytest.mark.parametrize("delay", [0.5, 3.0, 6.0])
def test_kill_9_at_any_moment_leaves_readable_outputs(tmp_path, previous, delay):
    out, before = previous
    corpus = _big_corpus(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(corpus), "--out",
                             str(out), "-q", "--no-cache"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    after = read_outputs(out)  # every table opens and reads in full
    ids = set(after["documents"].column("doc_id").to_pylist())
    old = set(before["documents"].column("doc_id").to_pylist())
    assert ids == old or ids == old | {f"rel-{i:03d}" for i in range(40)}
    if proc.returncode == -9 and ids == old:
        assert _unchanged(out, before)
    # and the folder is usable: the next run completes
    res = subprocess.run([sys.executable, "-m", "pipeline", "run", str(RAW), "--out", str(out),
                          "-q", "--prune"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert not list((out / ".generations").glob("*.tmp"))


def _full_disk(monkeypatch, after_calls: int):
    real = tables.pq.write_table
    calls = {"n": 0}

    def write(*a, **k):
        calls["n"] += 1
        if calls["n"] > after_calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*a, **k)

    monkeypatch.setattr(tables.pq, "write_table", write)


def test_a_full_disk_while_writing_tables_keeps_the_previous_outputs(previous, monkeypatch):
    out, before = previous
    _full_disk(monkeypatch, after_calls=3)
    res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(out), "--no-cache"])
    assert res.exit_code == 3
    assert "no space left" in res.output and "previous outputs are intact" in res.output
    assert "Traceback" not in res.output
    assert _unchanged(out, before)
    assert not list((out / ".generations").glob("*.tmp"))


def test_a_full_disk_while_storing_rows_keeps_the_previous_outputs(previous, monkeypatch):
    out, before = previous
    from pipeline.run import store

    def put(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.RowStore, "put", put)
    res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(out), "--no-cache"])
    assert res.exit_code == 3 and "no space left" in res.output
    assert _unchanged(out, before)


def test_a_read_only_folder_is_refused_and_left_intact(previous, monkeypatch):
    """The folder refuses writes (EROFS, as on a read-only mount)."""
    out, before = previous
    real_open = os.open

    def ro_open(path, flags, *a, **k):
        if str(path).startswith(str(out)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(outputs.os, "open", ro_open)
    res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(out)])
    assert res.exit_code == 3
    assert "read-only" in res.output and str(out) in res.output
    monkeypatch.undo()
    assert _unchanged(out, before)


def test_a_folder_without_write_permission_as_another_user(seed_outputs):
    """The real thing: the run has no write permission on the outputs folder. As root (CI)
    the run is started as the unprivileged user `nobody`, else the folder is made 0555."""
    base = Path(tempfile.mkdtemp(prefix="ro-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        out = base / "out"
        shutil.copytree(seed_outputs[0], out, symlinks=True)
        before = read_outputs(out)
        cmd = [sys.executable, "-m", "pipeline", "run", str(RAW), "--out", str(out), "-q"]
        if os.geteuid() == 0:
            for p in [out, *out.rglob("*")]:
                os.chmod(p, 0o755 if p.is_dir() else 0o644, follow_symlinks=False) \
                    if not p.is_symlink() else None
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
            env = dict(os.environ, HOME=str(base))
        else:
            os.chmod(out, 0o555)
            env = dict(os.environ)
        res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
        assert res.returncode == 3, res.stdout + res.stderr
        assert "not writable" in res.stderr or "read-only" in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
        os.chmod(out, 0o755)
        after = read_outputs(out)
        assert all(after[n].equals(before[n]) for n in tables.TABLES)
    finally:
        shutil.rmtree(base, ignore_errors=True)
