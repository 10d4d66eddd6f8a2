"""The ``unres`` command: ``convert``, ``parse``, ``fmt``, ``lint``, ``rules``, ``site`` and ``serve``.

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
from .config import load_config
from .errors import Diagnostic, PipelineError, UsageError, shown
from .interrupts import TwoStepInterrupt
from .options import read_options_for


_LIMIT_HELP = ("Raise (or lower) a limit on what one document may cost: markdown_kb, "
               "pdf_stream_mb, pdf_page_glyphs, table_cells, block_chars, depth "
               "(repeatable; see docs/configuration.md#limits).")


def _echo_err(line: str) -> None:
    click.echo(line, err=True)


def _versions(ctx: click.Context, _param, value: bool) -> None:
    """``--version``: unres and the versions of what shapes its output."""
    if not value or ctx.resilient_parsing:
        return
    from . import registry
    from .ast import AST_VERSION

    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_version()
    except Exception:  # noqa: BLE001 - a missing pandoc is reported, not raised
        pandoc = "not found"
    libs = ", ".join(f"{dist} {registry.library_version(dist) or 'not installed'}"
                     for dist in registry.shaping_libraries() if dist != "pypandoc-binary")
    click.echo(f"unres {__version__} (tree version {AST_VERSION})\n"
               f"pandoc {pandoc} (pypandoc-binary {registry.library_version('pypandoc-binary')})"
               f"\n{libs}\nPython {sys.version.split()[0]}")
    ctx.exit(0)


def _list(kind: str):
    def callback(ctx: click.Context, _param, value: bool) -> None:
        if not value or ctx.resilient_parsing:
            return
        from . import registry

        items = registry.input_extensions() if kind == "input" else registry.output_formats()
        click.echo("\n".join(i.lstrip(".") for i in items))
        ctx.exit(0)
    return callback


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_versions,
              help="Show the versions of unres and of what shapes its output, and exit.")
@click.option("--list-input-formats", is_flag=True, expose_value=False, is_eager=True,
              callback=_list("input"), help="List the source formats (file extensions) read.")
@click.option("--list-output-formats", is_flag=True, expose_value=False, is_eager=True,
              callback=_list("output"), help="List the output formats written.")
def cli() -> None:
    """United Nations resolutions from markdown, PDF text, PDF, Word or Akoma Ntoso
    to Akoma Ntoso, HTML, PDF and Word."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-t", "--to", "formats", default=None,
              help="Output formats, comma-separated (akn, html, pdf, docx, md, json) "
                   "[default: the configuration's, else akn].")
@click.option("-o", "--output", "outdir", default=None, type=click.Path(file_okay=False),
              help="Directory for the outputs [default: the configuration's, else outputs].")
@click.option("--lang", default=None, help="Language of the sources when it cannot be told "
              "(ar, zh, en, fr, ru, es).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the number of cores].")
@click.option("--force", is_flag=True, help="Convert every file, even those up to date.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Write the run as JSON to this file.")
@click.option("--check", is_flag=True, help="Write nothing: exit 1 when an output is "
              "missing or out of date.")
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN",
              help="Leave out paths matching PATTERN (repeatable; added to the configuration's "
                   "and the defaults README*, CHANGELOG*, LICENSE*, CONTRIBUTING*, docs/).")
@click.option("--follow-links", is_flag=True, help="Read symbolic links under the folders "
              "named even where they lead outside them.")
@click.option("--limit", "limits", multiple=True, metavar="NAME=N",
              help=_LIMIT_HELP)
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="Seconds one file may take before it fails (0: no limit).")
@click.option("-f", "--from", "from_format", default=None, metavar="FORMAT",
              help="What standard input holds when a source is - (md, txt, pdf, docx, xml, "
                   "json).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run the conversions on the Dask cluster at ADDRESS (tcp://host:8786); "
                   "outputs are written here.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Also print the warnings about repairs "
              "of the UN's own markup, hidden by default.")
@click.pass_context
def convert(ctx: click.Context, inputs: tuple[str, ...], formats: str | None,
            outdir: str | None, lang: str | None, jobs: int | None, force: bool,
            report_path: str | None, check: bool, excludes: tuple[str, ...],
            follow_links: bool, limits: tuple[str, ...], timeout: float, from_format: str | None,
            scheduler: str | None, quiet: bool, verbose: bool) -> None:
    """Convert files (or every source in directories) into OUTDIR.

    Each FILE gives OUTDIR/<FILE minus its last extension>.<format extension>,
    e.g. A_RES_71_19.zh.md -> A_RES_71_19.zh.akn.xml.  Outputs keep the source's
    folder under the project root (or the configured source-root); files outside it
    found in a directory keep their sub-folder.  Outputs that are up to date are
    not written again; a build of a folder removes the outputs of sources that are
    gone from it.

    A source - is read from standard input (say what it is with -f); -o - writes the
    one output of one source to standard output.
    """
    from . import build
    from .options import write_options_from_environment
    from .report import Reporter, write_report

    try:
        cfg = load_config()
        fmts = _formats(formats if formats is not None else
                        ",".join(cfg.formats) if cfg.formats is not None else "akn")
        read_options = read_options_for(lang or cfg.lang, _limits(cfg, limits))
        write_options = write_options_from_environment()
    except PipelineError as e:
        raise click.UsageError(e.message) from None
    if "-" in inputs or outdir == "-":
        ctx.exit(_convert_stream(inputs, fmts, outdir, from_format, read_options,
                                 write_options, verbose))
    out = Path(outdir) if outdir else (cfg.output or Path("outputs"))
    sources = build.discover(inputs, skip=out, exclude=cfg.exclude + excludes, base=cfg.base,
                             root=cfg.root, follow_links=follow_links)
    if not sources:
        if inputs and all(Path(p).is_file() for p in inputs):
            # files named (by a hook) that the exclude patterns leave out: nothing to do
            if not quiet:
                _echo_err("unres: every file named is excluded; nothing to convert")
            ctx.exit(0)
        _echo_err("unres: no input files found")
        ctx.exit(1)
    if check:
        stale = 0
        for o in build.check(sources, fmts, out, read_options=read_options,
                             write_options=write_options):
            if o.error is not None:
                _echo_err(str(o.error))
                stale += 1
            elif o.status == "stale":
                stale += 1
                for p in o.outputs:
                    _echo_err(f"{location_of(o.source)}: error: {p} is out of date "
                              f"(run: unres convert {o.source} -t {','.join(fmts)} -o {out})")
        ctx.exit(1 if stale else 0)
    reporter = Reporter(quiet=quiet, verbose=verbose)
    stop = build.Stop()
    folders = [Path(p) for p in inputs if Path(p).is_dir()]
    interrupted = False
    batch = build.run(sources, fmts, out, jobs=jobs or cfg.jobs, force=force,
                      read_options=read_options, write_options=write_options,
                      timeout=timeout or None, folders=folders, stop=stop,
                      scheduler=scheduler or cfg.scheduler,
                      on_start=reporter.start, on_note=reporter.note)
    try:
        with TwoStepInterrupt(stop, reporter):
            for outcome in batch:
                reporter.outcome(outcome)
    except KeyboardInterrupt:
        batch.close()
        interrupted = True
    except PipelineError as e:      # the output directory cannot be made, no scheduler, ...
        batch.close()
        reporter.finish()
        _echo_err(str(e))
        ctx.exit(e.exit_code if isinstance(e, UsageError) else 1)
    interrupted = interrupted or stop.requested
    reporter.finish(interrupted)
    if report_path:
        write_report(Path(report_path), reporter.tally, interrupted)
    ctx.exit(130 if interrupted else (1 if reporter.tally.failed else 0))


def _convert_stream(inputs: tuple[str, ...], fmts: list[str], outdir: str | None,
                    from_format: str | None, read_options, write_options,
                    verbose: bool = False) -> int:
    """One source from standard input and/or one output to standard output."""
    from . import api, build
    from .atomic import OutputGate, write_set
    from .sources import MAX_INPUT, Source
    from .upstream import hidden

    if len(inputs) != 1:
        raise click.UsageError("- (standard input) or -o - takes one source")
    if outdir == "-" and len(fmts) != 1:
        raise click.UsageError("-o - (standard output) takes one format (-t)")
    try:
        if inputs[0] == "-":
            if not from_format:
                raise UsageError("reading standard input needs -f FORMAT (md, txt, pdf, docx, "
                                 "xml, json)")
            data = sys.stdin.buffer.read(MAX_INPUT + 1)
            if len(data) > MAX_INPUT:
                raise UsageError(f"standard input is larger than {MAX_INPUT} bytes")
            parsed = api.read(data, format=from_format, name="<stdin>", options=read_options)
            name = Path("stdin" + (from_format if from_format.startswith(".")
                                   else "." + from_format))
        else:
            parsed = build.load(inputs[0], read_options)
            name = Path(inputs[0])
        for d in parsed.diagnostics:
            if not hidden(d, verbose):
                _echo_err(str(d))
        rendered, warnings = build.render(parsed, fmts, write_options)
        for d in warnings:
            _echo_err(str(d))
        if outdir == "-":
            sys.stdout.buffer.write(rendered[fmts[0]])
            sys.stdout.buffer.flush()
            return 0
        out = Path(outdir or "outputs")
        gate = OutputGate(out)
        gate.open()
        src = Source(name, Path("."))
        write_set({src.target(out, f): data for f, data in rendered.items()}, gate, str(name))
        return 0
    except PipelineError as e:
        _echo_err(str(e))
        return 1


def _limits(cfg, given: tuple[str, ...]) -> dict[str, int]:
    """The limits raised: the configuration's, then ``--limit`` over them."""
    from .limits import parse as parse_limits

    return {**dict(cfg.limits), **parse_limits(given)}


def _formats(text: str) -> list[str]:
    """``-t`` as a list of known formats, each once (an empty or unknown one is refused)."""
    from . import registry

    fmts = list(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    if not fmts:
        raise UsageError(f"no output format given (known: {', '.join(registry.output_formats())})")
    for fmt in fmts:
        registry.writer_for(fmt)
    return fmts


def location_of(path) -> str:
    from .ast import Span
    from .errors import location

    return location(Span(str(path), 1, 1))


@cli.command()
@click.argument("file", type=click.Path())
@click.option("--lang", default=None, help="Language of the source when it cannot be told.")
@click.option("-f", "--from", "from_format", default=None, metavar="FORMAT",
              help="What standard input holds when FILE is - (md, txt, pdf, docx, xml, json).")
@click.option("--limit", "limits", multiple=True, metavar="NAME=N",
              help=_LIMIT_HELP)
@click.pass_context
def parse(ctx: click.Context, file: str, lang: str | None, from_format: str | None,
          limits: tuple[str, ...]) -> None:
    """Print the canonical tree of FILE (- for standard input) as JSON (versioned)."""
    from . import api, build
    from .ast import to_json
    from .sources import MAX_INPUT

    try:
        options = read_options_for(lang, _limits(load_config(), limits))
    except PipelineError as e:
        raise click.UsageError(e.message) from None
    try:
        if file == "-":
            if not from_format:
                raise UsageError("reading standard input needs -f FORMAT")
            parsed = api.read(sys.stdin.buffer.read(MAX_INPUT + 1), format=from_format,
                              name="<stdin>", options=options)
        else:
            parsed = build.load(file, options)
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
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN",
              help="Leave out paths matching PATTERN (repeatable).")
@click.option("--limit", "limits", multiple=True, metavar="NAME=N",
              help=_LIMIT_HELP)
@click.pass_context
def fmt(ctx: click.Context, files: tuple[str, ...], check: bool, lang: str | None,
        excludes: tuple[str, ...], limits: tuple[str, ...]) -> None:
    """Rewrite markdown sources (files, or every one under directories) in the
    canonical form of the source format.

    The rewritten file reads back to the same resolution; a file for which that
    would not hold is left as it is and reported.  Permissions, symbolic links and
    hard links are kept.
    """
    from . import registry
    from .errors import NotAResolution
    from .fmt import format_source, write_back
    from .sources import discover

    try:
        cfg = load_config()
        options = read_options_for(lang or cfg.lang, _limits(cfg, limits))
    except PipelineError as e:
        raise click.UsageError(e.message) from None
    status = 0
    for src in discover(files, exclude=cfg.exclude + excludes, root=cfg.root):
        path = src.path
        named_dir = not any(Path(f) == path for f in files)
        if named_dir and registry.reader_spec(path).module != "pipeline.readers.markdown":
            continue            # under a directory, fmt takes the markdown sources only
        try:
            if src.refused is not None:
                raise src.refused
            result = format_source(path, options)
        except NotAResolution as e:
            _echo_err(str(Diagnostic(f"{e.message}; left as it is", e.span,
                                     code="not-a-resolution")))
            continue
        except PipelineError as e:
            _echo_err(str(e))
            status = 1
            continue
        if not result.changed:
            continue
        if check:
            click.echo(result.diff(), nl=False)
            _echo_err(f"{location_of(path)}: error: not in the canonical form "
                      f"(run: unres fmt {shown(str(path))})")
            status = 1
            continue
        try:
            write_back(path, result.formatted)
        except OSError as e:
            _echo_err(f"{location_of(path)}: error: cannot rewrite it: {e.strerror}")
            status = 1
            continue
        _echo_err(f"unres: formatted {shown(str(path))}")
    ctx.exit(status)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--select", "select", multiple=True, metavar="RULES",
              help="Apply only these rules: ids (UN101), families (UN1, punctuation) or ALL, "
                   "comma-separated or repeated; replaces the configuration's selection.")
@click.option("--extend-select", "extend_select", multiple=True, metavar="RULES",
              help="Apply these rules as well as the selected ones.")
@click.option("--ignore", "ignore", multiple=True, metavar="RULES",
              help="Do not apply these rules (on top of the configuration's ignore).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif"]),
              default="text", show_default=True,
              help="text: FILE:LINE:COL: RULE-ID message lines; json: a list; github: "
                   "annotations for GitHub Actions; sarif: SARIF 2.1.0 for code scanning.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule "
              "instead of the findings (text or json).")
@click.option("--lang", default=None, help="Language of the sources when it cannot be told.")
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN",
              help="Leave out paths matching PATTERN (repeatable; added to the configuration's "
                   "and the defaults).")
@click.option("-v", "--verbose", is_flag=True, help="Also print the readers' warnings about "
              "the UN's own markup (repairs of its Akoma Ntoso files), hidden by default.")
@click.option("--limit", "limits", multiple=True, metavar="NAME=N",
              help=_LIMIT_HELP)
@click.pass_context
def lint(ctx: click.Context, inputs: tuple[str, ...], select: tuple[str, ...],
         extend_select: tuple[str, ...], ignore: tuple[str, ...], output_format: str,
         statistics: bool, lang: str | None, excludes: tuple[str, ...],
         verbose: bool, limits: tuple[str, ...]) -> None:
    """Check files (or every source in directories) against the UN's editorial rules.

    Files of the same symbol given together (the language versions) are also
    checked for the same numbers of paragraphs and items.  A comment
    <!-- unres: ignore UN101 --> on the line before a paragraph of a markdown source
    silences the rule there (ignore-file: in the whole file).  `unres rules` explains
    each rule.  Exit 1 when an error-level rule fires or a file cannot be read.
    """
    from . import lint as linting
    from .lint.select import selected, split
    from .upstream import hidden_note

    if statistics and output_format in ("github", "sarif"):
        raise click.UsageError("--statistics prints text or json (not github or sarif)")
    try:
        cfg = load_config()
        where = None
        if cfg.path is not None:
            from .ast import Span
            where = Span(str(cfg.path), 1, 1)
        rules = selected(select=split(select) if select else None,
                         extend_select=split(extend_select), ignore=split(ignore),
                         config_select=cfg.lint_select, config_ignore=cfg.lint_ignore,
                         config_name=cfg.path.name if cfg.path else "configuration",
                         config_span=where)
        options = read_options_for(lang or cfg.lang, _limits(cfg, limits))
    except PipelineError as e:
        raise click.UsageError(e.message) from None
    report = linting.lint_paths(inputs, lang=options.lang, rules=rules,
                                exclude=cfg.exclude + excludes, root=cfg.root, verbose=verbose,
                                options=options)
    for e in report.failures:
        _echo_err(str(e))
    for d in report.notes:
        _echo_err(str(d))
    if report.hidden:
        _echo_err(hidden_note(report.hidden))
    if statistics:
        click.echo(linting.statistics(report, output_format), nl=output_format == "json")
    elif output_format == "json":
        click.echo(linting.to_json(report))
    elif output_format == "github":
        click.echo(linting.to_github(report), nl=False)
    elif output_format == "sarif":
        click.echo(linting.to_sarif(report), nl=False)
    else:
        for f in report.findings:
            click.echo(linting.format_line(f))
    ctx.exit(1 if report.failed else 0)


@cli.command()
@click.argument("selectors", nargs=-1, metavar="[RULE|FAMILY]...")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text, or json: a list of the rules with their "
              "explanations.")
def rules(selectors: tuple[str, ...], output_format: str) -> None:
    """List the lint rules, or explain those named (UN101, UN1, punctuation, ALL):
    what each checks, with a wrong and a right example."""
    import json

    from .lint import RULES
    from .lint.select import resolve_all, split

    try:
        ids = sorted(resolve_all(split(selectors))) if selectors else sorted(RULES)
    except PipelineError as e:
        raise click.UsageError(e.message) from None
    chosen = [RULES[i] for i in ids]
    if output_format == "json":
        click.echo(json.dumps([{"id": r.id, "name": r.name, "level": r.level,
                                "family": r.family, "family_name": r.family_name,
                                "summary": r.summary, "explanation": r.explanation}
                               for r in chosen], ensure_ascii=False, indent=1))
        return
    if not selectors:
        width = max(len(r.name) for r in chosen)
        for r in chosen:
            click.echo(f"{r.id}  {r.name:<{width}}  {r.level:<7}  {r.family_name:<11}  "
                       f"{r.summary}")
        return
    blocks = []
    for r in chosen:
        body = "\n".join(("    " + line) if line else "" for line in r.explanation.splitlines())
        blocks.append(f"{r.id} {r.name} ({r.level}; family {r.family} {r.family_name})\n\n"
                      f"{body}\n\n    Silence it for one paragraph of a markdown source with "
                      f"<!-- unres: ignore {r.id} -->\n    on the line before it; everywhere "
                      f"with --ignore {r.id} or lint.ignore in the configuration.")
    click.echo("\n\n".join(blocks))


def _site_commands() -> None:
    """``site`` and ``serve`` live with the site (:mod:`pipeline.site.cli`)."""
    from .site.cli import serve, site

    cli.add_command(site)
    cli.add_command(serve)


_site_commands()


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
