"""``unres site`` and ``unres serve`` (registered in :mod:`pipeline.cli`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import PipelineError, UsageError


@click.command("site")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="The site's folder.")
@click.option("--base-url", default=None, metavar="URL",
              help="The site's absolute address (https://example.org/res/): the feed, the "
                   "sitemap, canonical and hreflang links need it; without it they are "
                   "left out or relative.")
@click.option("--theme", type=click.Path(file_okay=False, exists=True), default=None,
              help="A folder of templates, CSS, scripts and labels over the default theme.")
@click.option("--lang", default=None, help="Language of the sources when it cannot be told.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the number of cores].")
@click.option("--force", is_flag=True, help="Make every file again, even those up to date.")
@click.option("--no-search", is_flag=True, help="Do not build the search index.")
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN",
              help="Leave out paths matching PATTERN (repeatable).")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="Seconds one file may take before it fails (0: no limit).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_context
def site(ctx: click.Context, inputs: tuple[str, ...], outdir: str, base_url: str | None,
         theme: str | None, lang: str | None, jobs: int | None, force: bool, no_search: bool,
         excludes: tuple[str, ...], timeout: float, quiet: bool) -> None:
    """Build the publishing site of the resolutions in INPUTS (files or folders) in OUTDIR.

    One page per resolution and language at an address made from its symbol
    (A/RES/71/19/zh/), with its PDF, DOCX, AKN and markdown beside it; session
    indexes, side-by-side pages of every two languages, search, an Atom feed, a
    sitemap and a JSON catalogue.  Only what changed since the last build is made
    again; the pages of a source that is gone are removed.
    """
    from .. import build as batch
    from ..config import load_config
    from ..interrupts import TwoStepInterrupt
    from ..options import read_options_for, write_options_from_environment
    from ..report import Reporter
    from .build import SiteOptions, build

    try:
        cfg = load_config()
        read_options = read_options_for(lang or cfg.lang)
        write_options = write_options_from_environment()
    except PipelineError as e:
        raise click.UsageError(e.message) from None
    out = Path(outdir)
    sources = batch.discover(inputs, skip=out, exclude=cfg.exclude + excludes, base=cfg.base,
                             root=cfg.root)
    if not sources:
        click.echo("unres: no input files found", err=True)
        ctx.exit(1)
    reporter = Reporter(quiet=quiet, progress=False)
    stop = batch.Stop()
    folders = [Path(p) for p in inputs if Path(p).is_dir()]
    options = SiteOptions(base_url=base_url, theme=Path(theme) if theme else None,
                          search=not no_search)
    try:
        with TwoStepInterrupt(stop, reporter):
            result = build(sources, out, options, read_options=read_options,
                           write_options=write_options, jobs=jobs or cfg.jobs, force=force,
                           timeout=timeout or None, folders=folders, stop=stop,
                           on_outcome=reporter.outcome, on_note=reporter.note)
    except KeyboardInterrupt:
        reporter.finish(True)
        ctx.exit(130)
    except PipelineError as e:
        reporter.finish()
        click.echo(str(e), err=True)
        ctx.exit(e.exit_code if isinstance(e, UsageError) else 1)
    reporter.finish(stop.requested)
    if not quiet:
        click.echo(f"unres: site {out}: {result.resolutions} resolutions, {result.documents} "
                   f"language versions; {len(result.written)} pages written, "
                   f"{result.unchanged} unchanged, {len(result.removed)} files removed; "
                   f"search index {result.search}", err=True)
        if not base_url:
            click.echo("unres: no --base-url: the feed and the sitemap are left out, "
                       "hreflang links are relative", err=True)
    ctx.exit(130 if stop.requested else (1 if reporter.tally.failed else 0))


@click.command("serve")
@click.argument("site_dir", metavar="SITE", type=click.Path(file_okay=False, exists=True))
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
@click.option("-q", "--quiet", is_flag=True, help="Do not log each request.")
def serve(site_dir: str, port: int, quiet: bool) -> None:
    """Serve the site in SITE on 127.0.0.1 for a local look (Ctrl-C stops)."""
    from .serve import server

    try:
        httpd = server(Path(site_dir), port, quiet)
    except OSError as e:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {e.strerror}") from None
    host, real_port = httpd.server_address[:2]
    click.echo(f"unres: serving {site_dir} at http://{host}:{real_port}/ (Ctrl-C stops)",
               err=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
