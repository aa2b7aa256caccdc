"""The ``dealweb`` command line (Typer + Rich).

Each command translates flags into one library call and its result into text; the
logic lives in the library. Errors from the library are printed by
:func:`dealweb.cli.output.print_error` and end the process with status 1; bad flags are
Typer's usage errors (status 2).
"""

from __future__ import annotations

import sys

import typer

from dealweb.errors import DealwebError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="dealweb",
    help="Map the web of deals between AI companies, find circular money, stress-test it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Commands register themselves on `app` when their modules are imported.
from dealweb.cli import analysis_commands as _analysis_commands  # noqa: E402,F401
from dealweb.cli import extract_commands as _extract_commands  # noqa: E402,F401
from dealweb.cli import io_commands as _io_commands  # noqa: E402,F401
from dealweb.cli import ledger_commands as _ledger_commands  # noqa: E402,F401
from dealweb.cli import scale_commands as _scale_commands  # noqa: E402,F401
from dealweb.cli import stress_commands as _stress_commands  # noqa: E402,F401
from dealweb.cli import web_commands as _web_commands  # noqa: E402,F401


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
