"""Pieces of the command line kept out of pipeline/cli.py: flags shown as flags in
``--help``, the progress bar, ``--version``, checks of the inputs before a run writes
anything, and the closing summary."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

# Words a user may write after a flag (``--prune true``): the flag takes no value, so the
# word would be read as an input path.
FLAG_VALUES = {"true", "false", "yes", "no", "on", "off", "1", "0"}


class _FlagHelp:
    """``--help`` shown as a flag, like the others (typer labels it ``<bool>``, as if it
    took a value)."""

    def get_help_option(self, ctx):  # noqa: ANN001 - click's signature
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.metavar = ""
        return opt


class Command(_FlagHelp, TyperCommand):
    """A command of this CLI."""


class Group(_FlagHelp, TyperGroup):
    """The CLI itself."""


def flag(*names: str, help: str) -> Any:  # noqa: A002 - typer's keyword
    """A boolean option that takes no value, shown without a type in ``--help``."""
    return typer.Option(False, *names, help=help, metavar="")


def version_text() -> str:
    """``pipeline 0.1.0 (spaCy 3.8.x, Python 3.11.x)``."""
    import platform

    import spacy

    import pipeline

    return (f"pipeline {pipeline.__version__} (spaCy {spacy.__version__}, "
            f"Python {platform.python_version()}; default model {pipeline.DEFAULT_MODEL})")


def input_problem(paths: list[Path], default: bool) -> str | None:
    """Why the inputs cannot be read at all (a path that does not exist), or None."""
    from pipeline.run.inputs import missing_paths

    missing = missing_paths(paths)
    if not missing:
        return None
    names = ", ".join(str(p) for p in missing)
    msg = f"no such file or folder: {names}"
    if default:
        msg += " (the default input folder; name your release files or folders)"
    values = [p for p in missing if str(p).lower() in FLAG_VALUES]
    if values:
        msg += f"; flags take no value: {str(values[0])!r} was read as an input path"
    return msg


class RateColumn(ProgressColumn):
    """Releases per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} rel/s" if speed else "– rel/s", style="progress.data.speed")


def progress_factory(console: Console, enabled: bool) -> Callable[[int], Callable[[], None]] | None:
    """A rich progress bar with rate and time left, on a terminal and for more than one
    release."""
    if not enabled:
        return None
    bars: list[Progress] = []

    def start(total: int) -> Callable[[], None]:
        if total < 2 or not console.is_terminal:
            return lambda: None
        bar = Progress(TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                       TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                       console=console, transient=True)
        bar.start()
        bars.append(bar)
        task = bar.add_task("releases", total=total)

        def tick() -> None:
            bar.advance(task)
            if bar.tasks[0].finished:
                bar.stop()
        return tick

    start.stop = lambda: [b.stop() for b in bars]  # type: ignore[attr-defined]  # Ctrl-C
    return start


def print_summary(console: Console, summary) -> None:  # noqa: ANN001 - runner.RunSummary
    """What a run did: releases, where the tables are, what was skipped, rows per table."""
    from pipeline.run.inputs import describe_unsupported

    console.print(f"[bold]{summary.read}[/bold] release(s) processed "
                  f"({summary.parsed} parsed, {summary.cached} from cache) "
                  f"in {summary.seconds:.1f}s → {summary.out_dir}/")
    if summary.current:
        console.print("nothing new, changed or pruned: the tables are current")
    plan = getattr(summary, "plan", None)
    if plan is not None and (plan.link or plan.reresolve):
        n = len(plan.rebuild) + len(plan.reresolve) + len(plan.link)
        console.print(f"table parts: {len(plan.rebuild)} rewritten, {len(plan.reresolve)} with "
                      f"new ids, {len(plan.link)} of {n} unchanged")
    if summary.kept:
        console.print(f"{summary.kept} release(s) of earlier runs kept (not in these "
                      f"inputs; --prune drops them)")
    if summary.pruned:
        console.print(f"{summary.pruned} release(s) of earlier runs pruned")
    if summary.unsupported:
        console.print(f"[yellow]{describe_unsupported(summary.unsupported)}[/yellow]")
        for f in summary.unsupported[:5]:
            console.print(f"  {f}")
        if len(summary.unsupported) > 5:
            console.print(f"  … and {len(summary.unsupported) - 5} more")
    if summary.skipped:
        console.print(f"[yellow]{len(summary.skipped)} skipped:[/yellow]")
        for e in summary.skipped:
            console.print(f"  {e['source']}: {e['message']} ({e['stage']})")
    t = Table(show_header=True, header_style="bold", box=None)
    t.add_column("table")
    t.add_column("rows", justify="right")
    for name, n in summary.rows.items():
        t.add_row(name, str(n))
    console.print(t)
