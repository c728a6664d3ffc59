"""The command line's progress bar: releases done, rate and time left."""
import io

from rich.console import Console

from pipeline.cli_support import progress_factory


def test_the_progress_bar_shows_rate_and_time_left():
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    start = progress_factory(console, enabled=True)
    tick = start(4)
    for _ in range(2):
        tick()
    start.stop()
    shown = buf.getvalue()
    assert "2/4" in shown and "rel/s" in shown and "eta" in shown
    assert progress_factory(console, enabled=False) is None
