"""Ctrl-C during a run: one line, a prompt stop, every stored release kept for the next run."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from pipeline.run.runner import run
from pipeline.run.store import RowStore

from tests.conftest import RAW, ROOT

LINE = re.compile(r"^interrupted: (\d+) releases stored, re-run to resume$")
# The CLI with the row store writing a partition once its oldest parsed release has waited
# half a second (5 s by default): the test waits for one, so the Ctrl-C comes while releases
# are being parsed.
FLUSHING_SOON = ("import sys; import pipeline.run.store as store; store.FLUSH_SECONDS = 0.5; "
                 "from pipeline.cli import main; sys.argv[0] = 'pipeline'; main()")


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_stops_at_once_and_loses_nothing(tmp_path, workers):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    # Parsed rows come back a batch of 16 at a time (inline): the first partition is written
    # with the second batch, so a third one must follow for the Ctrl-C to land mid-parse.
    copies = 8
    for i in range(copies):
        for f in seeds:
            shutil.copy(f, inp / f"c{i}_{f.name}")
    # A new session stands for the terminal's process group: Ctrl-C signals all of it.
    proc = subprocess.Popen([sys.executable, "-c", FLUSHING_SOON, "run", str(inp), "-o", str(out),
                             "--no-cache", "--workers", str(workers)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        t0 = time.time()
        while not list((out / ".store").glob("part-*.parquet")) and proc.poll() is None:
            assert time.time() - t0 < 240, "nothing stored in 4 minutes"
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
        t1 = time.time()
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert time.time() - t1 < 5, "took too long to stop"
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("reading "), err  # no traceback, no warning
    stored = int(LINE.match(lines[1]).group(1))
    assert stored == len(RowStore(out).entries()) >= 1
    assert stored < len(seeds) * copies  # stopped while parsing
    assert subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).stdout == b""
    assert not (out / "documents").exists()  # no half-written tables
    summary = run([inp], out, n_process=workers)  # the next run resumes
    assert summary.cached == stored and summary.read == len(seeds) * copies


def test_a_ctrl_c_inside_an_import_is_an_interruption(tmp_path, monkeypatch):
    """Python reports a Ctrl-C that comes while a class is made (a module with dataclasses
    being imported) as a RuntimeError: the run still stops as interrupted, rows kept."""
    from pipeline.run import partitions
    from pipeline.run.interrupt import Interrupted

    def interrupted(*args, **kwargs):
        raise RuntimeError("Error calling __set_name__ on 'Field' instance") from KeyboardInterrupt()

    monkeypatch.setattr(partitions, "write", interrupted)
    with pytest.raises(Interrupted) as info:
        run([RAW], tmp_path / "out")
    assert info.value.stored == 5 == len(RowStore(tmp_path / "out").entries())
    assert not (tmp_path / "out" / "documents").exists()


def test_other_runtime_errors_are_not_taken_for_a_ctrl_c(tmp_path, monkeypatch):
    from pipeline.run import partitions

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(partitions, "write", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        run([RAW], tmp_path / "out")
