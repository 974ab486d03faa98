"""The ``tm`` command: parse options, call one library function, print. Nothing else.

Library modules are imported inside the commands so that ``tm --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from tm import skip_final_collection
from tm.errors import TmError


class TmGroup(click.Group):
    """Turns library errors into one line on standard error and an exit status."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TmError as exc:
            click.echo(f"tm: {exc}", err=True)
            sys.exit(exc.exit_status)


class State:
    def __init__(self, workspace_dir: Path | None, memory_url: str | None):
        self.workspace_dir = workspace_dir
        self.memory_url = memory_url

    def workspace(self):
        from tm.workspace import Workspace

        if self.workspace_dir is not None:
            return Workspace.open(self.workspace_dir)
        return Workspace.find()

    def memory(self, workspace):
        from tm.memory import open_memory

        return open_memory(self.memory_url or workspace.memory_url())


pass_state = click.make_pass_decorator(State)


@click.group(cls=TmGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace",
    "workspace_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Workspace folder (default: the nearest folder above with a tm.toml).",
)
@click.option(
    "--memory",
    "memory_url",
    metavar="URL",
    help="Memory to use instead of tm.toml's: a SQLite path or postgresql://…",
)
@click.version_option(package_name="tm")
@click.pass_context
def cli(ctx: click.Context, workspace_dir: Path | None, memory_url: str | None) -> None:
    """Translation memory for press releases in Arabic, English and French.

    \b
    Example: the whole job on one release
      tm extract 2012-05-22-operation-laminar
      tm export 2012-05-22-operation-laminar --lang en -o laminar.en.po
      tm import laminar.en.po
      tm status
      tm merge 2012-05-22-operation-laminar --aligned html
    """
    ctx.obj = State(workspace_dir, memory_url)


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a workspace: tm.toml with the three languages, sources/, locales/, memory/.

    \b
    Example:
      tm init press-office
    """
    from tm.workspace import init_workspace

    click.echo(f"created {init_workspace(directory)}")


@cli.command()
@click.argument("file", default="-", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@click.option("--lang", "-l", required=True, help="Language of the text: ar, en, fr, …")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text: one sentence a line, a blank line between paragraphs; json: a list of "
    "paragraphs, each a list of sentences.",
)
@click.option(
    "--rules",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An SRX 2.0 rules file to use instead of the shipped rules.",
)
@click.pass_obj
def segment(state: State, file: Path, lang: str, output_format: str, rules: Path | None) -> None:
    """Print the sentences the segmentation rules find in FILE (standard input for -).

    \b
    Example:
      echo 'Dr. Smith arrived. He spoke.' | tm segment --lang en
      tm segment release.txt --lang fr --rules office.srx
    """
    import json

    from tm.segment.preview import preview

    text = _read_text(file)
    overrides = _optional_overrides(state)
    result = preview(text, lang, overrides, rules)
    for warning in result.warnings:
        click.echo(f"tm: warning: {warning}", err=True)
    paragraphs = result.paragraphs
    if output_format == "json":
        click.echo(json.dumps(paragraphs, ensure_ascii=False, indent=1))
    else:
        click.echo("\n\n".join("\n".join(p) for p in paragraphs))


@cli.command()
@click.argument("releases", nargs=-1)
@click.pass_obj
def extract(state: State, releases: tuple[str, ...]) -> None:
    """Split source releases into segments and write locales/<lang>/<release>.po.

    Existing translations are kept (wherever their sentence moved); edited sentences become
    fuzzy with the previous source; removed ones become obsolete. New sentences are filled
    from the memory. With no RELEASE, every release in sources/.

    \b
    Example:
      tm extract 2012-05-22-operation-laminar
    """
    from tm.extract import extract as run

    ws = state.workspace()
    memory = state.memory(ws)
    selected = ws.select(releases)
    with _progress("extracting", len(selected) if len(selected) > 20 else None) as tick:
        results = run(ws, selected, memory, tick)
    for result in results:
        for warning in result.warnings:
            click.echo(f"tm: warning: {ws.relative(result.document.release.path)}: {warning}", err=True)
        for r in result.revisions:
            click.echo(
                f"{r.path}: {r.segments} segments ({r.unchanged} unchanged, {r.moved} moved, "
                f"{r.edited} edited, {r.new} new, {r.removed} removed; "
                f"{r.from_memory} from memory){'' if r.written else ' - up to date'}"
            )


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--lang", "-l", "langs", multiple=True, help="Target language (repeat for several).")
@click.option("--all-languages", is_flag=True, help="Every target language of each release.")
@click.option(
    "--format",
    "file_format",
    default="po",
    show_default=True,
    type=click.Choice(["po", "xliff", "xliff2"]),
    help="po, xliff (XLIFF 1.2) or xliff2 (XLIFF 2.1).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (default: standard output); a folder when exporting several.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files, named <release>.<lang>.po|xlf|xliff.",
)
@click.pass_obj
def export(
    state: State,
    releases: tuple[str, ...],
    langs: tuple[str, ...],
    all_languages: bool,
    file_format: str,
    output: Path | None,
    out_dir: Path | None,
) -> None:
    """Write the files to send translators: one per RELEASE and language (all releases if none).

    Untranslated segments carry the memory's suggestions with their scores.

    \b
    Example:
      tm export 2012-05-22-operation-laminar --lang fr -o laminar.fr.po
      tm export --all-languages --format xliff --out-dir outbox/
    """
    from tm.exporter import export as run

    ws = state.workspace()
    exported = run(
        ws,
        list(releases),
        list(langs),
        file_format,
        state.memory(ws),
        all_languages=all_languages,
        output=output,
        out_dir=out_dir,
    )
    for item in exported:
        if item.path is None:
            click.echo(item.data.decode("utf-8"), nl=False)
        else:
            click.echo(f"wrote {item.path}")


@cli.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.pass_obj
def import_(state: State, files: tuple[Path, ...], dry_run: bool) -> None:
    """Bring translators' PO or XLIFF files back into the workspace and the memory.

    Format, release and language are read from each file. A bad file is refused whole,
    with the reason, and the others still land.

    \b
    Example:
      tm import returned/laminar.en.po returned/laminar.fr.xlf
    """
    from tm.importer import import_files

    ws = state.workspace()
    intakes, refusals = import_files(ws, list(files), state.memory(ws), dry_run)
    for i in intakes:
        click.echo(
            f"{i.path}: {i.release} [{i.lang}] {i.new} new, {i.changed} changed, "
            f"{i.unchanged} unchanged, {len(i.stale)} stale, {len(i.rejected)} rejected"
            + (" (dry run: nothing written)" if dry_run else f"; {i.stored} into memory")
        )
        for sid in i.stale:
            click.echo(f"  {sid}: source changed since export; kept as fuzzy")
        for r in i.rejected:
            click.echo(f"tm: warning: {i.path}: {r.segment}: {r.reason}", err=True)
        for f in i.findings:
            click.echo(f"{i.path}: {f.segment}: {f.severity} [{f.check}] {f.message}")
        for sid in i.held:
            click.echo(
                f"  {sid}: kept in the working file, not approved into memory until the errors are fixed"
            )
        for r in i.refused:
            click.echo(f"tm: {i.path}: {r.segment}: inline tags: {r.reason}; not imported", err=True)
    for exc in refusals:
        click.echo(f"tm: {exc}", err=True)
    if refusals:
        sys.exit(refusals[0].exit_status)
    if any(i.refused for i in intakes):
        sys.exit(1)


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--lang", "-l", "langs", multiple=True, help="Only these target languages.")
@click.option(
    "--format",
    "output_format",
    default="table",
    show_default=True,
    type=click.Choice(["table", "json", "csv", "markdown", "html"]),
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to a file.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Exit 1 when any release and language is below PERCENT translated.",
)
@click.pass_obj
def status(
    state: State,
    releases: tuple[str, ...],
    langs: tuple[str, ...],
    output_format: str,
    as_json: bool,
    output: Path | None,
    fail_under: float | None,
) -> None:
    """Report, per release and target language, what is translated, fuzzy and missing.

    \b
    Example:
      tm status --format json --fail-under 100
    """
    from tm import reports

    ws = state.workspace()
    statuses = reports.workspace_status(ws, list(releases), list(langs), reports.status_cache(ws))
    text = reports.RENDERERS["json" if as_json else output_format](statuses)
    _emit(text, output)
    if fail_under is not None:
        failing = reports.below(statuses, fail_under)
        for release, lang, percent in failing:
            click.echo(f"tm: {release} [{lang}] is {percent}% translated, under {fail_under}%", err=True)
        if failing:
            sys.exit(1)


@cli.command()
@click.argument("release")
@click.option("--lang", "-l", "langs", multiple=True, help="Only these target languages.")
@click.option(
    "--format", "output_format", default="table", show_default=True, type=click.Choice(["table", "json"])
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.pass_obj
def analyze(state: State, release: str, langs: tuple[str, ...], output_format: str, as_json: bool) -> None:
    """Show what the memory already covers of RELEASE, in the bands translators are paid by.

    Repetitions within the release, 100%, 95-99, 85-94, 75-84, 50-74 and no match, in
    segments and source words, per target language.

    \b
    Example:
      tm analyze 2012-05-22-operation-laminar --lang en
    """
    from tm import analyze as leverage
    from tm import locales

    ws = state.workspace()
    document = locales.parse(ws, ws.release(release))
    targets = [lang for lang in ws.targets(document.release) if not langs or lang in langs]
    analysis = leverage.analyze(document, targets, state.memory(ws))
    click.echo(leverage.RENDERERS["json" if as_json else output_format](analysis), nl=False)


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--lang", "-l", "langs", multiple=True, help="Only these target languages.")
@click.option(
    "--format", "output_format", default="table", show_default=True, type=click.Choice(["table", "json"])
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks: ID, severity, explanation.")
@click.pass_obj
def check(
    state: State,
    releases: tuple[str, ...],
    langs: tuple[str, ...],
    output_format: str,
    as_json: bool,
    list_checks: bool,
) -> None:
    """Run the quality checks on finished translations; exit 1 when there are errors.

    Each problem names the working file, the segment, the check and both texts. Silence a
    false alarm for one segment with the PO comment '# tm-waive: CHECK' on its translation.

    \b
    Example:
      tm check 2012-05-22-operation-laminar --lang fr
    """
    from tm import reports
    from tm.checks import CHECKS

    if list_checks:
        for c in CHECKS:
            click.echo(f"{c.id:<16} {c.severity:<8} {c.explanation}")
        return
    ws = state.workspace()
    statuses = reports.workspace_status(ws, list(releases), list(langs), reports.status_cache(ws))
    click.echo(reports.FINDING_RENDERERS["json" if as_json else output_format](statuses), nl=False)
    errors = reports.totals(statuses).get("all", reports.Coverage()).errors
    if errors:
        click.echo(f"tm: {errors} check error{'s' * (errors != 1)}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--lang", "-l", "langs", multiple=True, help="Only these languages.")
@click.option(
    "--aligned",
    "aligned",
    multiple=True,
    type=click.Choice(["html", "csv", "tmx", "all"]),
    help="Also write aligned views of all languages: html (side by side), csv, tmx, or all.",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Publish incomplete versions, filling gaps from the source, and list them.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the output (default: build/).",
)
@click.pass_obj
def merge(
    state: State,
    releases: tuple[str, ...],
    langs: tuple[str, ...],
    aligned: tuple[str, ...],
    allow_partial: bool,
    out_dir: Path | None,
) -> None:
    """Write the finished versions of each RELEASE (build/<release>/<release>.<lang>.<ext>);
    with no RELEASE, of every release in sources/.

    A version with untranslated or fuzzy segments is refused (exit 1) unless --allow-partial.

    \b
    Example:
      tm merge 2012-05-22-operation-laminar --aligned html --aligned csv
    """
    from tm.publish import merge as run

    ws = state.workspace()
    for release in releases or list(ws.releases()):
        publication = run(ws, release, list(langs), list(aligned), allow_partial, out_dir)
        for path in publication.paths:
            click.echo(f"wrote {ws.relative(path)}")
        for lang, gaps in publication.gaps.items():
            click.echo(
                f"{release} [{lang}] partial, source text in: "
                + ", ".join(f"{sid} ({why})" for sid, why in gaps)
            )


@cli.group()
def memory() -> None:
    """The translation memory: import, export, search, stats.

    The memory is tm.toml's [memory] url (memory/tm.sqlite) or --memory URL (a SQLite path
    or postgresql://…).

    \b
    Example:
      tm memory import archive.tmx
      tm memory search "Operation Laminar" --lang en
    """


@memory.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_obj
def memory_import(state: State, files: tuple[Path, ...]) -> None:
    """Add TMX (1.4 or 1.1), PO or XLIFF files to the memory, each file all or nothing.

    \b
    Example:
      tm memory import omegat-project.tmx returned/laminar.fr.po
    """
    from tm.memory.exchange import import_source, open_source

    store = _open_memory(state)
    refusals = []
    for path in files:
        try:
            source = open_source(path, count=sys.stderr.isatty())
            with _progress(f"{path}", source.total) as bar:
                intake = import_source(store, path, source, bar)
        except TmError as exc:
            refusals.append(exc)
            continue
        click.echo(f"{path}: {intake.units} units ({intake.format}), {intake.stored} new in memory")
    for exc in refusals:
        click.echo(f"tm: {exc}", err=True)
    if refusals:
        sys.exit(refusals[0].exit_status)


@memory.command("export")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--langs", metavar="L,L", help="Only these languages, e.g. ar,en (default: all).")
@click.pass_obj
def memory_export(state: State, output: Path, langs: str | None) -> None:
    """Write the memory as TMX 1.4.

    \b
    Example:
      tm memory export -o memory.tmx --langs ar,en
    """
    from tm.memory.exchange import export_tmx

    count = export_tmx(_open_memory(state), output, langs.split(",") if langs else None)
    click.echo(f"wrote {output}: {count} units")


@memory.command("search")
@click.argument("text")
@click.option("--lang", "-l", help="Search only this language's texts.")
@click.option("--min", "minimum", type=click.IntRange(0, 100), default=60, show_default=True)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def memory_search(
    state: State, text: str, lang: str | None, minimum: int, limit: int, output_format: str
) -> None:
    """Concordance: units containing TEXT (100%) or resembling it (score ≥ --min).

    \b
    Example:
      tm memory search "الإنتربول" --lang ar --format json
    """
    from tm.memory.views import RENDERERS

    hits = _open_memory(state).search(text, lang, minimum, limit)
    click.echo(RENDERERS[output_format][0](hits))


@memory.command("stats")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def memory_stats(state: State, output_format: str) -> None:
    """Units, languages, origins and statuses in the memory.

    \b
    Example:
      tm memory stats --format json
    """
    from tm.memory.views import RENDERERS

    click.echo(RENDERERS[output_format][1](_open_memory(state).stats()))


def _open_memory(state: State):
    """--memory URL when given (no workspace needed), else the workspace's memory."""
    if state.memory_url:
        from tm.memory import open_memory

        return open_memory(state.memory_url)
    return state.memory(state.workspace())


@contextlib.contextmanager
def _progress(label: str, total: int | None):
    """A progress bar on a terminal; nothing when piped or when the size is unknown."""
    if not total or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _read_text(file: Path) -> str:
    from tm.errors import SourceError
    from tm.sources import decode

    if str(file) == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        return decode(file.read_bytes(), str(file))
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", file) from None


def _optional_overrides(state: State) -> dict:
    from tm.errors import WorkspaceError

    try:
        return state.workspace().config.segmentation
    except WorkspaceError:
        return {}


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        from tm.workspace import atomic_write

        atomic_write(output, text)
        click.echo(f"wrote {output}")


def main() -> None:
    skip_final_collection()
    cli(prog_name="tm")
