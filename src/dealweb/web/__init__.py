"""The map: a local web app (JSON API + static page) and the self-contained HTML report.

=========================== =======================================================================
:func:`create_app`          the FastAPI app over a ledger: JSON API at ``/api``, the map at ``/``
:func:`build_report`        one HTML file with the map, loops, a stress scenario and the deals, offline
=========================== =======================================================================

The routes are thin: each calls one library function (see :mod:`dealweb.web.payloads`). The
page in ``static/`` is plain HTML, CSS and JavaScript with Cytoscape.js vendored; nothing is
built at runtime. ``dealweb serve`` and ``dealweb report`` are the command-line doors. See
``docs/api.md``.
"""

from dealweb.web.app import create_app
from dealweb.web.report import build_report

__all__ = ["build_report", "create_app"]
