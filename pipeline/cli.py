"""Command line: ``python -m pipeline run|evaluate|report|show|export``.

Exit codes: 0 when at least one release was processed (or the scores were computed);
1 when nothing was processed, or with ``--strict`` when anything was skipped or a file of an
input folder is not a release; 2 for a usage problem such as a missing input path, a missing
model or an unreachable cluster; 3 when the output folder cannot be written (another run
holds it, read-only, disk full), the previous outputs being intact; 130 after Ctrl-C.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from pipeline import DEFAULT_MODEL
from pipeline.cli_support import (Command, Group, flag, input_problem, print_summary, progress_factory,
                                  version_text)

app = typer.Typer(cls=Group, add_completion=False, no_args_is_help=True,
                  help="Extract quotes, speakers, organizations, dates and statistics from "
                       "press releases into Parquet tables.")
console = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       metavar="", help="Show the version and exit.")) -> None:
    """Extract quotes, speakers, organizations, dates and statistics from press releases
    into Parquet tables."""


def _usage_errors() -> tuple[type[Exception], ...]:
    """A missing model, an unreachable cluster, bad settings. Imported only when a run fails:
    their modules import spaCy, which a run with nothing to parse never needs."""
    from pipeline.run.executors import ExecutorError
    from pipeline.run.nlp import ModelNotFound
    from pipeline.run.settings import SettingsError

    return ModelNotFound, ExecutorError, SettingsError


@app.command(cls=Command)
def run(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="Release files (.txt, .jsonl, .html) or folders of them. Default: raw/"),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Folder for the Parquet tables."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m",
                              help="spaCy pipeline: an installed package name or a model folder."),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="Processes: worker processes forked after the model "
                                     "loads (local), or the LocalCluster's workers (dask "
                                     "without --scheduler)."),
    executor: str = typer.Option("local", "--executor", "-x",
                                 help="Where releases are parsed: local or dask."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="dask scheduler address (tcp://host:8786); default: a "
                                  "LocalCluster on this machine."),
    prune: bool = flag("--prune", help="Drop releases of earlier runs that are not in these "
                                        "inputs."),
    budget: float = typer.Option(60.0, "--budget", min=0,
                                 help="Seconds per release for the project's extractors "
                                      "(0: no limit); an overrun becomes an errors row."),
    no_cache: bool = flag("--no-cache", help="Re-parse every release instead of reusing "
                                             "<out>/.store rows of unchanged ones."),
    full_resolve: bool = flag("--full-resolve", help="Resolve people and organizations over "
                                                     "the whole corpus and rewrite every table "
                                                     "part, not only the parts a change touches."),
    strict: bool = flag("--strict", help="Exit 1 if any release was skipped or a file of an "
                                         "input folder is not a release."),
    quiet: bool = flag("--quiet", "-q", help="No progress bar or summary."),
    config: Optional[Path] = typer.Option(
        None, "--config", "-c", help="Component settings in spaCy config syntax "
                                     "(\\[components.release_stats] include_majority = true)."),
    set_: list[str] = typer.Option([], "--set", help="One component setting, "
                                                     "component.setting=value; repeatable."),
) -> None:
    """Process releases into OUT/<table>/ (documents, sentences, quotes, people, speakers,
    organizations, organization_mentions, dates, statistics, errors)."""
    from pipeline.run.allocator import use_system_pool

    use_system_pool()  # before pyarrow loads (pipeline/run/allocator.py)
    from pipeline.run.interrupt import Interrupted
    from pipeline.run.outputs import OutputError
    from pipeline.run.runner import run as run_pipeline
    from pipeline.run.settings import SettingsError, load_settings

    if executor not in ("local", "dask"):
        console.print(f"[red]error:[/red] unknown executor {executor!r} (local or dask)")
        raise typer.Exit(2)
    try:
        settings = load_settings(config, set_)
    except SettingsError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    inputs = paths or [Path("raw")]
    problem = input_problem(inputs, default=not paths)
    if problem:
        console.print(f"[red]error:[/red] {problem}")
        raise typer.Exit(2)
    if not quiet:
        console.print(f"reading {', '.join(map(str, inputs))} → writing tables to {out.resolve()}/")
    progress = progress_factory(console, not quiet)
    try:
        summary = run_pipeline(inputs, out, model=model, n_process=workers,
                               use_cache=not no_cache, progress=progress,
                               prune=prune, executor=executor, scheduler=scheduler,
                               budget=budget, settings=settings, full_resolve=full_resolve)
    except Interrupted as exc:
        if progress:
            progress.stop()
        console.print(str(exc))
        # Exit at once: spaCy's worker queues and a dask cluster would otherwise hold the
        # interpreter's exit; every stored release and the previous tables are on disk.
        console.file.flush()
        os._exit(130)
    except _usage_errors() as exc:  # evaluated only when an exception gets here
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    except OutputError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3)
    if not quiet:
        print_summary(console, summary)
    if summary.read == 0 or (strict and (summary.skipped or summary.unsupported)):
        raise typer.Exit(1)


@app.command(cls=Command)
def evaluate(
    gold: list[Path] = typer.Option([Path("tests/gold")], "--gold", "-g",
                                    help="Folder of gold JSON files; repeat for several sets "
                                         "(each is scored alone, then all together)."),
    pred: Path = typer.Option(Path("outputs"), "--pred", "-p", help="Outputs folder to score."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the full report "
                                                                 "(with every miss) as JSON."),
    errors: bool = flag("--errors", "-e", help="List every miss and false hit."),
    fmt: str = typer.Option("gold", "--format", "-f",
                            help="Gold format: gold (our JSON files, docs/gold.md), polnear (a "
                                 "PolNeAR part: text/ and attributions/) or timeml (.tml TIMEX3 "
                                 "files; scores the dates table)."),
) -> None:
    """Score an outputs folder against gold annotations (docs/gold.md)."""
    import json

    from pipeline.review.evaluate import evaluate_sets, format_report, report_to_json
    from pipeline.review.scores import EvaluationError

    for folder in gold:
        if not folder.is_dir():
            console.print(f"[red]error:[/red] gold folder {folder} does not exist")
            raise typer.Exit(2)
    if not pred.is_dir():
        console.print(f"[red]error:[/red] predictions folder {pred} does not exist "
                      f"(run `python -m pipeline run --out {pred}` first)")
        raise typer.Exit(2)
    if fmt == "timeml":
        from pipeline.review.timeml import evaluate_timeml, format_timeml_report

        timeml_reports = [evaluate_timeml(folder, pred) for folder in gold]
        typer.echo("\n\n".join(format_timeml_report(r, errors=errors) for r in timeml_reports))
        if json_out:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(json.dumps([{k: v.as_dict() for k, v in r.groups.items()}
                                            for r in timeml_reports], indent=2), encoding="utf-8")
        return
    try:
        if fmt == "polnear":
            from pipeline.review.polnear import evaluate_polnear
            reports = [evaluate_polnear(folder, pred) for folder in gold]
        elif fmt == "gold":
            reports = evaluate_sets(gold, pred)
        else:
            raise EvaluationError(f"unknown gold format {fmt!r} (gold, polnear or timeml)")
    except EvaluationError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    typer.echo("\n\n".join(format_report(r, errors=errors and (len(reports) == 1 or i < len(reports) - 1))
                            for i, r in enumerate(reports)))
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        data = report_to_json(reports[0]) if len(reports) == 1 else {
            "sets": [report_to_json(r) for r in reports[:-1]], "all": report_to_json(reports[-1])}
        json_out.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"report written to {json_out}")


@app.command(cls=Command)
def report(
    pred: Path = typer.Option(Path("outputs"), "--pred", "-p", help="Outputs folder to review."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="HTML file to write. Default: <pred>/report.html"),
    gold: Optional[Path] = typer.Option(None, "--gold", "-g",
                                        help="Gold folder: also mark misses, false hits and "
                                             "wrong fields."),
    doc_id: list[str] = typer.Option([], "--doc-id", "-d", metavar="DOC_ID",
                                     help="Only this release; repeatable."),
    only_issues: bool = flag("--only-issues", help="Only releases with a miss, false hit or "
                                                   "wrong field (needs --gold)."),
) -> None:
    """Write a self-contained HTML review page: every release's text with each extraction
    highlighted by type (and gold issues marked with --gold)."""
    from pipeline.review.scores import EvaluationError
    from pipeline.review.report import SelectionError, write_report

    if gold is not None and not gold.is_dir():
        console.print(f"[red]error:[/red] gold folder {gold} does not exist")
        raise typer.Exit(2)
    try:
        if not pred.is_dir():
            raise FileNotFoundError(pred)
        path = write_report(pred, out or pred / "report.html", gold, doc_id, only_issues)
    except FileNotFoundError:
        console.print(f"[red]error:[/red] no output tables in {pred} "
                      f"(run `python -m pipeline run --out {pred}` first)")
        raise typer.Exit(2)
    except (EvaluationError, SelectionError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    typer.echo(str(path))


@app.command(cls=Command)
def export(
    pred: Path = typer.Option(Path("outputs"), "--pred", "-p", help="Outputs folder to export."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the exported files."),
    fmt: str = typer.Option("csv", "--format", "-f",
                            help="csv (one file per table) or xlsx (one workbook, needs openpyxl)."),
) -> None:
    """Export the tables for spreadsheets: CSV files or an Excel workbook."""
    from pipeline.run.export import ExportError, export as export_tables

    try:
        paths = export_tables(pred, out, fmt)
    except ExportError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    for path in paths:
        typer.echo(str(path))


@app.command(cls=Command)
def show(
    doc_id: str = typer.Argument(..., help="The release's doc_id."),
    pred: Path = typer.Option(Path("outputs"), "--pred", "-p", "--out", "-o",
                              help="Outputs folder to read."),
) -> None:
    """One release's extractions in the terminal: its text with quotes, organizations, dates
    and statistics coloured, then a table of each."""
    from pipeline.review.show import ShowError, load_release, render

    try:
        release = load_release(pred, doc_id)
    except ShowError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    Console(soft_wrap=False).print(render(release))


def main() -> None:
    app()
