"""Command line: ``python -m pipeline run|evaluate|report``.

Exit codes: 0 when at least one release was processed (or the scores were computed);
1 when nothing was processed, or with ``--strict`` when anything was skipped; 2 for a usage
problem such as a missing model or an unreachable cluster; 3 when the output folder cannot
be written (another run holds it, read-only, disk full), the previous outputs being intact.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline import DEFAULT_MODEL

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract quotes, speakers, organizations, dates and statistics from "
                       "press releases into Parquet tables.")
console = Console(stderr=True, soft_wrap=True)


def _progress_factory(enabled: bool) -> Callable[[int], Callable[[], None]] | None:
    """A rich progress bar, shown only on a terminal and for more than one release."""
    if not enabled:
        return None

    def start(total: int) -> Callable[[], None]:
        if total < 2 or not console.is_terminal:
            return lambda: None
        bar = Progress(TextColumn("parsing"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=console, transient=True)
        bar.start()
        task = bar.add_task("releases", total=total)

        def tick() -> None:
            bar.advance(task)
            if bar.tasks[0].finished:
                bar.stop()
        return tick
    return start


@app.command()
def run(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="Release files (.txt, .jsonl, .html) or folders of them. Default: raw/"),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Folder for the Parquet tables."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m",
                              help="spaCy pipeline: an installed package name or a model folder."),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="Processes: nlp.pipe n_process (local), or the "
                                     "LocalCluster's workers (dask without --scheduler)."),
    executor: str = typer.Option("local", "--executor", "-x",
                                 help="Where releases are parsed: local or dask."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="dask scheduler address (tcp://host:8786); default: a "
                                  "LocalCluster on this machine."),
    prune: bool = typer.Option(False, "--prune", help="Drop releases of earlier runs that "
                                                      "are not in these inputs."),
    budget: float = typer.Option(60.0, "--budget", min=0,
                                 help="Seconds per release for the project's extractors "
                                      "(0: no limit); an overrun becomes an errors row."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Re-parse every release instead of reusing "
                                       "<out>/.cache rows of unchanged ones."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any release was skipped."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Process releases into OUT/<table>/ (documents, sentences, quotes, people, speakers,
    organizations, organization_mentions, dates, statistics, errors)."""
    from pipeline.run.executors import ExecutorError
    from pipeline.run.nlp import ModelNotFound
    from pipeline.run.outputs import OutputError
    from pipeline.run.runner import run as run_pipeline

    if executor not in ("local", "dask"):
        console.print(f"[red]error:[/red] unknown executor {executor!r} (local or dask)")
        raise typer.Exit(2)
    try:
        summary = run_pipeline(paths or [Path("raw")], out, model=model, n_process=workers,
                               use_cache=not no_cache, progress=_progress_factory(not quiet),
                               prune=prune, executor=executor, scheduler=scheduler,
                               budget=budget)
    except (ModelNotFound, ExecutorError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    except OutputError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3)
    if not quiet:
        _print_summary(summary)
    if summary.read == 0 or (strict and summary.skipped):
        raise typer.Exit(1)


def _print_summary(summary) -> None:
    console.print(f"[bold]{summary.read}[/bold] release(s) processed "
                  f"({summary.parsed} parsed, {summary.cached} from cache) "
                  f"in {summary.seconds:.1f}s → {summary.out_dir}/")
    if summary.kept:
        console.print(f"{summary.kept} release(s) of earlier runs kept (not in these "
                      f"inputs; --prune drops them)")
    if summary.pruned:
        console.print(f"{summary.pruned} release(s) of earlier runs pruned")
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


@app.command()
def evaluate(
    gold: Path = typer.Option(Path("tests/gold"), "--gold", "-g", help="Folder of gold JSON files."),
    pred: Path = typer.Option(Path("outputs"), "--pred", "-p", help="Outputs folder to score."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the full report "
                                                                 "(with every miss) as JSON."),
    errors: bool = typer.Option(False, "--errors", "-e", help="List every miss and false hit."),
    fmt: str = typer.Option("gold", "--format", "-f", help="Gold format: 'gold' (JSON files, "
                                                          "shared/spec/gold.md) or 'timeml' (.tml "
                                                          "TIMEX3 files, scores the dates table)."),
) -> None:
    """Score an outputs folder against gold annotations (shared/spec/gold.md)."""
    import json

    from pipeline.review.evaluate import EvaluationError, format_report, report_to_json
    from pipeline.review.evaluate import evaluate as run_eval

    if not gold.is_dir():
        console.print(f"[red]error:[/red] gold folder {gold} does not exist")
        raise typer.Exit(2)
    if not pred.is_dir():
        console.print(f"[red]error:[/red] predictions folder {pred} does not exist "
                      f"(run `python -m pipeline run --out {pred}` first)")
        raise typer.Exit(2)
    if fmt == "timeml":
        from pipeline.review.timeml import evaluate_timeml, format_timeml_report

        timeml_report = evaluate_timeml(gold, pred)
        typer.echo(format_timeml_report(timeml_report, errors=errors))
        if json_out:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(json.dumps({k: v.as_dict() for k, v in timeml_report.groups.items()},
                                           indent=2), encoding="utf-8")
        return
    if fmt != "gold":
        console.print(f"[red]error:[/red] unknown gold format {fmt!r} (gold, timeml)")
        raise typer.Exit(2)
    try:
        report = run_eval(gold, pred)
    except EvaluationError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    typer.echo(format_report(report, errors=errors))
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report_to_json(report), indent=2, ensure_ascii=False),
                            encoding="utf-8")
        console.print(f"report written to {json_out}")


@app.command()
def report(
    pred: Path = typer.Option(Path("outputs"), "--pred", "-p", help="Outputs folder to review."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="HTML file to write. Default: <pred>/report.html"),
    gold: Optional[Path] = typer.Option(None, "--gold", "-g",
                                        help="Gold folder: also mark misses, false hits and "
                                             "wrong fields."),
) -> None:
    """Write a self-contained HTML review page: every release's text with each extraction
    highlighted by type (and gold issues marked with --gold)."""
    from pipeline.review.evaluate import EvaluationError
    from pipeline.review.report import write_report

    if gold is not None and not gold.is_dir():
        console.print(f"[red]error:[/red] gold folder {gold} does not exist")
        raise typer.Exit(2)
    try:
        if not pred.is_dir():
            raise FileNotFoundError(pred)
        path = write_report(pred, out or pred / "report.html", gold)
    except FileNotFoundError:
        console.print(f"[red]error:[/red] no output tables in {pred} "
                      f"(run `python -m pipeline run --out {pred}` first)")
        raise typer.Exit(2)
    except EvaluationError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    typer.echo(str(path))


def main() -> None:
    app()
