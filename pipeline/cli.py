"""The ``unres`` command: ``convert``, ``parse``, ``fmt`` and ``lint``.

The CLI holds no logic of its own: it parses arguments, calls
:mod:`pipeline.build`, and prints diagnostics as ``FILE:LINE:COL: level: message``.
Exit status: 0 when every file succeeded, 1 when any failed, 2 on misuse.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import click

from . import __version__
from .errors import PipelineError


def _echo_err(line: str) -> None:
    click.echo(line, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unres")
def cli() -> None:
    """United Nations resolutions from markdown, PDF text, PDF, Word or Akoma Ntoso
    to Akoma Ntoso, HTML, PDF and Word."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-t", "--to", "formats", default="akn", show_default=True,
              help="Output formats, comma-separated (akn, html, pdf, docx, md, json).")
@click.option("-o", "--output", "outdir", default="outputs", show_default=True,
              type=click.Path(file_okay=False), help="Directory for the outputs.")
@click.option("--lang", default=None, help="Language of the sources when it cannot be told "
              "(ar, zh, en, fr, ru, es).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the number of cores].")
@click.option("--force", is_flag=True, help="Convert every file, even those up to date.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Write the run as JSON to this file.")
@click.option("--check", is_flag=True, help="Write nothing: exit 1 when an output is "
              "missing or out of date.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_context
def convert(ctx: click.Context, inputs: tuple[str, ...], formats: str, outdir: str,
            lang: str | None, jobs: int | None, force: bool, report_path: str | None,
            check: bool, quiet: bool) -> None:
    """Convert files (or every source in directories) into OUTDIR.

    Each FILE gives OUTDIR/<FILE minus its last extension>.<format extension>,
    e.g. A_RES_71_19.zh.md -> A_RES_71_19.zh.akn.xml; files found in a directory
    keep their sub-folder. Files whose outputs are up to date are skipped.
    """
    from . import build, registry
    from .options import write_options_from_environment
    from .report import Reporter, write_report

    fmts = [f.strip() for f in formats.split(",") if f.strip()]
    try:
        for fmt in fmts:
            registry.writer_for(fmt)
        read_options = _read_options(lang)
        write_options = write_options_from_environment()
    except PipelineError as e:
        raise click.UsageError(e.message) from None
    sources = build.discover(inputs, skip=Path(outdir))
    if not sources:
        _echo_err("unres: no input files found")
        ctx.exit(1)
    if check:
        stale = 0
        for o in build.check(sources, fmts, Path(outdir), read_options=read_options,
                             write_options=write_options):
            if o.error is not None:
                _echo_err(str(o.error))
                stale += 1
            elif o.status == "stale":
                stale += 1
                for p in o.outputs:
                    _echo_err(f"{o.source}:1:1: error: {p} is out of date "
                              f"(run: unres convert {o.source} -t {formats} -o {outdir})")
        ctx.exit(1 if stale else 0)
    reporter = Reporter(quiet=quiet)
    interrupted = False
    try:
        for outcome in build.run(sources, fmts, Path(outdir), jobs=jobs, force=force,
                                 read_options=read_options, write_options=write_options,
                                 on_start=reporter.start):
            reporter.outcome(outcome)
    except KeyboardInterrupt:
        interrupted = True
    reporter.finish(interrupted)
    if report_path:
        write_report(Path(report_path), reporter.tally, interrupted)
    ctx.exit(130 if interrupted else (1 if reporter.tally.failed else 0))


@cli.command()
@click.argument("file", type=click.Path())
@click.option("--lang", default=None, help="Language of the source when it cannot be told.")
@click.pass_context
def parse(ctx: click.Context, file: str, lang: str | None) -> None:
    """Print the canonical tree of FILE as JSON (versioned)."""
    from . import build
    from .ast import to_json

    try:
        parsed = build.load(file, _read_options(lang))
    except PipelineError as e:
        _echo_err(str(e))
        ctx.exit(e.exit_code)
    for d in parsed.diagnostics:
        _echo_err(str(d))
    click.echo(to_json(parsed.resolution), nl=False)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--check", is_flag=True, help="Change nothing: print a diff and exit 1 when a "
              "file is not in the canonical form.")
@click.option("--lang", default=None, help="Language of the sources when it cannot be told.")
@click.pass_context
def fmt(ctx: click.Context, files: tuple[str, ...], check: bool, lang: str | None) -> None:
    """Rewrite markdown sources in the canonical form of the source format.

    The rewritten file reads back to the same resolution; a file for which that
    would not hold is left as it is and reported.
    """
    from .atomic import write_atomic
    from .fmt import format_source

    status = 0
    for name in files:
        path = Path(name)
        try:
            result = format_source(path, _read_options(lang))
        except PipelineError as e:
            _echo_err(str(e))
            status = 1
            continue
        if not result.changed:
            continue
        if check:
            click.echo(result.diff(), nl=False)
            _echo_err(f"{path}:1:1: error: not in the canonical form (run: unres fmt {path})")
            status = 1
        else:
            write_atomic(path, result.formatted)
            _echo_err(f"unres: formatted {path}")
    ctx.exit(status)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: FILE:LINE:COL: RULE-ID message lines; json: a list.")
@click.option("--lang", default=None, help="Language of the sources when it cannot be told.")
@click.pass_context
def lint(ctx: click.Context, inputs: tuple[str, ...], output_format: str,
         lang: str | None) -> None:
    """Check files (or every source in directories) against the UN's editorial rules.

    Files of the same symbol given together (the language versions) are also
    checked for the same numbers of paragraphs and items.  Exit 1 when an
    error-level rule fires or a file cannot be read.
    """
    from . import lint as linting

    report = linting.lint_paths(inputs, lang=lang)
    for e in report.failures:
        _echo_err(str(e))
    if output_format == "json":
        click.echo(linting.to_json(report))
    else:
        for f in report.findings:
            click.echo(linting.format_line(f))
    ctx.exit(1 if report.failed else 0)


def _read_options(lang: str | None):
    """The read options of ``--lang`` (an unknown language is a LanguageError)."""
    from .options import ReadOptions

    if lang:
        from . import lang as langs
        lang = langs.get(lang).code
    return ReadOptions(lang=lang)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` and return its exit status (never raises SystemExit)."""
    try:
        rv = cli.main(args=list(argv) if argv is not None else None, prog_name="unres",
                      standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        _echo_err("unres: interrupted")
        return 130
    except KeyboardInterrupt:
        _echo_err("unres: interrupted")
        return 130


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
