"""The ``dealweb`` command line (Typer + Rich).

Each command translates flags into one library call and its result into text; the
logic lives in the library. Errors from the library are printed by
:func:`dealweb.cli.output.print_error` and end the process with status 1; bad flags are
Typer's usage errors (status 2).
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer
import typer.main
from typer import _click as click
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from dealweb.errors import DealwebError

__all__ = ["COMMANDS", "app", "main", "run"]

# Every command, the module that defines it and its one-line help, in the order `--help` lists
# them. The module is imported only when its command runs (or shows its own help), so
# `dealweb --help` loads none of pandas, SciPy, SQLAlchemy, networkx or pyarrow.
# tests/cli/test_light_start.py checks this table against the commands the modules register.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("ledger_commands", "Create the database (and load the bundled dataset if it is empty)."),
    "summary": ("ledger_commands",
                "Headline numbers of the ledger: counts, volume by kind on a basis with face value beside it, freshness."),
    "deals": ("ledger_commands", "List deals, filtered, with what each counts on a basis (counted_usd) and their total."),
    "entities": ("ledger_commands", "List entities."),
    "entity": ("ledger_commands", "One entity: its deals both ways, its financial figures, its counterparties."),
    "add-deal": ("ledger_commands", "Add one deal, validated by the same rules as an import."),
    "history": ("ledger_commands", "The paper trail: who changed what, when and why."),
    "cycles": ("analysis_commands", "Loops of money: simple cycles ranked by bottleneck, or round trips."),
    "run": ("analysis_commands", "The main job: open (and if empty, fill) the ledger, print its summary and how circular it is."),
    "circularity": ("analysis_commands", "How circular the web is: the headline measures and a per-company table."),
    "company-risk": ("analysis_commands",
                     "One company: how much of its money comes back round, concentration, commitments vs means."),
    "timeline": ("analysis_commands", "Circularity as of each quarter end: watch the loops grow."),
    "extract": ("extract_commands",
                "Find candidate deals and figures in an article; review and import them with the article as source."),
    "import": ("io_commands", "Import records, all or nothing: any problem and nothing is written."),
    "export": ("io_commands", "Export the whole ledger."),
    "validate": ("io_commands", "Check files as an import would, without writing anything."),
    "load-network": ("scale_commands",
                     "Load an edge list (and node table) into a network; print its summary, optionally run measures."),
    "synth": ("scale_commands", "Write a seeded synthetic money network (heavy-tailed, reciprocal pairs, loops) as Parquet."),
    "stress": ("stress_commands", "Stress-test the web: who loses how much, who fails, in which round, and through whom."),
    "serve": ("web_commands", "Serve the map and its JSON API (read-only unless a write token is given)."),
    "report": ("web_commands",
               "Write the map, headline numbers, loops, a stress scenario and the deals as one HTML file "
               "that opens offline, or as PDF (-o report.pdf)."),
    "dataset": ("ledger_commands", "The bundled AI deals dataset."),
    "financials": ("io_commands", "Financial figures: refresh them from SEC filings."),
}


def _version(value: bool) -> None:
    if value:
        from dealweb import __version__

        sys.stdout.write(f"dealweb {__version__}\n")
        raise typer.Exit()


class _LazyGroup(TyperGroup):
    """A command group that imports a command's module the first time that command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            entry = COMMANDS.get(cmd_name)
            modules = [entry[0]] if entry else sorted({m for m, _ in COMMANDS.values()})  # unknown: look everywhere
            for module in modules:
                importlib.import_module(f"dealweb.cli.{module}")
            built = typer.main.get_group(app)  # the registered commands, now including the new ones
            for name, command in built.commands.items():
                self.commands.setdefault(name, command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The table's line for commands not loaded yet: listing them must not import them.
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None and loaded.hidden:
                continue
            text = loaded.get_short_help_str(limit) if loaded is not None else make_default_short_help(COMMANDS[name][1], limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="dealweb",
    cls=_LazyGroup,
    help="Map the web of deals between AI companies, find circular money, stress-test it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Map the web of deals between AI companies, find circular money, stress-test it."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status instead of raising (for tests and ``python -m``)."""
    from dealweb.cli.output import print_error

    try:
        result = app(args=argv, prog_name="dealweb", standalone_mode=False)
    except DealwebError as exc:
        print_error(exc)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        sys.stderr.write("Aborted.\n")
        return 1
    except OSError as exc:  # a file the command reads or writes: missing folder, no permission, disk full
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        sys.stderr.write(f"Error: {exc.strerror or exc}{where}\n")
        return 1
    except typer.TyperException as exc:  # usage errors: bad flags, missing arguments
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"Error: {exc.format_message()}\n")
        return exc.exit_code
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
