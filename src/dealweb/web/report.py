"""The shareable report: the map page as one self-contained HTML file that opens offline.

:func:`build_report` takes the page's ``index.html`` and inlines what it references, which
the page contract fixes to exactly these lines::

    <link rel="stylesheet" href="static/app.css">
    <script src="static/vendor/cytoscape.min.js"></script>
    <script type="module" src="static/main.js"></script>

each replaced by an inline ``<style>`` or ``<script>`` block (the page's ES modules become one
inline module, see :func:`bundle_modules`), and the line
``<!-- DEALWEB_DATA -->`` in ``<head>`` by ``<script>window.DEALWEB_DATA = {...};</script>``,
the API's own answers for the default web (meta, network, cycles, circularity, every deal, one
stress scenario and every company's card). The data is JSON with ``<``, ``>`` and ``&``
written as ``\\u003c``…, so no entity name can close the script; the inlined code has any
``</script`` written as ``<\\/script``. A Content-Security-Policy ``<meta>`` lets the file run
its own inline code and load nothing from anywhere (``connect-src 'none'``).

A page that references anything else (another script, a stylesheet, an image, a CSS
``url()`` or ``@import``) cannot become one file, and :class:`ReportError` says what to fix.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any

import dealweb
from dealweb.errors import DealwebError, Problem, ValidationError
from dealweb.model.recordset import RecordSet
from dealweb.stress import stress
from dealweb.web import app as _app
from dealweb.web import payloads as P
from dealweb.web.cyto import network_elements
from dealweb.web.filters import NetworkFilters
from dealweb.web.jsonout import dumps_safe
from dealweb.web.scenarios import StressRequest, scenario_from_request

__all__ = ["PLACEHOLDER", "REFERENCES", "REPORT_CSP", "ReportError", "build_report", "bundle_modules", "report_data"]

PLACEHOLDER = "<!-- DEALWEB_DATA -->"
#: The reference lines of index.html → (inline tag, file under the static folder).
REFERENCES: dict[str, tuple[str, str]] = {
    '<link rel="stylesheet" href="static/app.css">': ("style", "app.css"),
    '<script src="static/vendor/cytoscape.min.js"></script>': ("script", "vendor/cytoscape.min.js"),
    '<script type="module" src="static/main.js"></script>': ("module", "main.js"),
}
REPORT_CSP = ("default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
              "connect-src 'none'; base-uri 'none'; form-action 'none'")

_ATTR = re.compile(r"""<[a-zA-Z][^>]*?\s(src|href)\s*=\s*(["']?)([^"'\s>]*)\2""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)|@import""", re.IGNORECASE)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
_EXISTING_CSP = re.compile(r"""<meta[^>]+http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>\s*""", re.IGNORECASE)


class ReportError(DealwebError):
    """The page cannot be made into one self-contained file (a missing file or reference)."""


_IMPORT = re.compile(r"""^import \{([\w$,\s]*)\} from '\./([\w-]+\.js)';$""")
_EXPORT = re.compile(r"^export (?=(?:async function|function|const|let|class) )")


def bundle_modules(folder: Path, entry: str) -> str:
    """The page's ES modules as one script: each module once, after the modules it imports
    (depth first from ``entry``), its ``import`` lines dropped and ``export`` keywords removed.

    This is all the bundling the page needs because the modules keep to three rules, checked
    here: imports are single lines ``import { a, b } from './x.js';`` of sibling files, exports
    are ``export`` before a top-level declaration, and no two modules declare the same name
    (they share one scope once bundled, as they did in one file before the split).

    Raises
    ------
    ReportError
        A module is missing or breaks one of the rules.
    """
    done: list[str] = []
    seen: set[str] = set()
    texts: dict[str, list[str]] = {}

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        lines = []
        deps = []
        for number, line in enumerate(_read(folder, name).splitlines(), start=1):
            m = _IMPORT.match(line)
            if m:
                deps.append(m.group(2))
                continue
            if re.match(r"\s*(import|export)\b", line) and not _EXPORT.match(line):
                raise ReportError(f"{name} line {number}: the report can inline only single-line "
                                  f"`import {{ a }} from './x.js';` and `export <declaration>`, got {line.strip()[:80]!r}")
            lines.append(_EXPORT.sub("", line))
        for dep in deps:
            visit(dep)
        texts[name] = lines
        done.append(name)

    visit(entry)
    declared: dict[str, str] = {}
    for name in done:
        for line in texts[name]:
            m = re.match(r"(?:async function|function|const|let|class) ([\w$]+)", line)
            if m and declared.setdefault(m.group(1), name) != name:
                raise ReportError(f"{m.group(1)} is declared in both {declared[m.group(1)]} and {name}: modules "
                                  "bundled into one report script need distinct top-level names")
    return "\n".join(f"// ---- {name}\n" + "\n".join(texts[name]) for name in done)


def _escape_code(text: str, tag: str) -> str:
    """Text that cannot close its inline ``<script>``/``<style>`` block early."""
    text = re.sub(rf"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--") if tag == "script" else text


def _read(folder: Path, name: str) -> str:
    path = folder / name
    if not path.is_file():
        raise ReportError(f"the report needs {path}, which does not exist; the front end is not built")
    return path.read_text(encoding="utf-8")


def _check_template(html: str) -> None:
    rest = "".join(line for line in html.splitlines(keepends=True) if line.strip() not in REFERENCES)
    stray = [m.group(0)[:120] for m in _ATTR.finditer(rest)
             if not _inert(m.group(3)) and not (_is_link(m.group(0)) and m.group(3).startswith("static/"))]
    if stray:
        raise ReportError("index.html references files the report cannot inline (only static/app.css, "
                          f"static/vendor/cytoscape.min.js and static/main.js): {'; '.join(stray)}")


def _is_link(tag_start: str) -> bool:
    return tag_start[:3].lower() in ("<a ", "<a\t", "<a\n")


def _inline_links(html: str, folder: Path) -> str:
    """``<a href="static/X">`` (a licence, say) becomes a download of X's text as a ``data:`` URL."""

    def replace(m: re.Match[str]) -> str:
        tag, value = m.group(0), m.group(3)
        if not (_is_link(tag) and value.startswith("static/")):
            return tag
        path = (folder / value.removeprefix("static/")).resolve()
        if folder.resolve() not in path.parents or not path.is_file():
            raise ReportError(f"index.html links to {value}, which is not a file in {folder}")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        new = tag.replace(value, f"data:text/plain;charset=utf-8;base64,{data}", 1)
        return new if re.search(r"\sdownload\b", tag, re.IGNORECASE) else f'{new} download="{path.name}"'

    return _ATTR.sub(replace, html)


def _inert(value: str) -> bool:
    return value.startswith("#") or value.startswith("data:") or value == ""


def _check_css(css: str) -> None:
    bad = [m.group(0) for m in _CSS_URL.finditer(css) if m.group(0).lower() == "@import" or not _inert(m.group(2))]
    if bad:
        raise ReportError(f"app.css loads other files, which an offline report cannot: {', '.join(bad[:5])}")


def report_data(source: Any, *, scenario: str = "openai-pays-40") -> dict[str, Any]:
    """``window.DEALWEB_DATA``: the API's answers for the default web and one stress scenario.

    ``scenario`` is a shipped scenario's name or an entity id (that company fails).
    """
    records: RecordSet = source if isinstance(source, RecordSet) else source.records()
    entity_ids = {e.id for e in records.entities}
    shipped = [s["name"] for s in P.scenario_items()]
    if scenario not in entity_ids and scenario not in shipped:
        raise ValidationError([Problem("report", "scenario", "unknown_scenario", f"{scenario!r} is neither a shipped "
                                       f"scenario ({', '.join(shipped)}) nor an entity id")])
    request = StressRequest(entity=scenario) if scenario in entity_ids else StressRequest(scenario=scenario)
    chosen = scenario_from_request(request, records)
    filters = NetworkFilters()
    report = P.circularity_report_for(records, filters)
    counted = P.counted_amounts(records)
    return {
        "meta": P.meta_payload(records, read_only=True),
        "network": network_elements(records, filters, bundle=True),
        "cycles": P.cycles_payload(records, filters),
        "circularity": P.circularity_payload(report),
        "deals": P.deal_rows(records, counted),
        "stress": P.stress_payload(stress(records, chosen)),
        "entities": {e.id: P.entity_card(records, e.id, report) for e in records.entities},
        "generated": {"dealweb": dealweb.__version__, "date": dt.date.today().isoformat(), "scenario": chosen.name},
    }


def build_report(source: Any, *, scenario: str = "openai-pays-40", static_dir: str | Path | None = None) -> str:
    """One self-contained HTML file: the map page with its code and the data inlined.

    Parameters
    ----------
    source
        A :class:`~dealweb.ledger.Ledger` or a :class:`~dealweb.model.RecordSet`.
    scenario
        The stress scenario shown: a shipped scenario's name or an entity id (it fails).
    static_dir
        The folder with ``index.html``, ``app.css``, ``main.js`` (and the modules it imports) and
        ``vendor/cytoscape.min.js``
        (default: the page shipped in the package).

    Raises
    ------
    ReportError
        The page is missing or references something that cannot be inlined.
    ValidationError
        ``scenario`` is neither a shipped scenario nor an entity id.
    """
    folder = Path(static_dir) if static_dir is not None else _app.STATIC_DIR
    template = _read(folder, "index.html")
    _check_template(template)
    present = {line.strip() for line in template.splitlines()}
    missing = [ref for ref in REFERENCES if ref not in present]
    if missing:
        raise ReportError(f"index.html lacks the line(s) {', '.join(missing)}; each must stand on its own line")
    if template.count(PLACEHOLDER) != 1:
        raise ReportError(f"index.html must contain {PLACEHOLDER} exactly once, in <head>")
    template = _inline_links(_EXISTING_CSP.sub("", template), folder)
    head = _HEAD.search(template)
    if head is None:
        raise ReportError("index.html has no <head>")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">'
    template = template[: head.end()] + "\n" + meta + template[head.end():]
    code = {key: bundle_modules(folder, name) if tag == "module" else _read(folder, name)
            for key, (tag, name) in REFERENCES.items()}
    _check_css(code['<link rel="stylesheet" href="static/app.css">'])
    data = dumps_safe(report_data(source, scenario=scenario))
    template = template.replace(PLACEHOLDER, f"<script>window.DEALWEB_DATA = {data};</script>")
    out: list[str] = []
    for line in template.splitlines(keepends=True):
        key = line.strip()
        if key not in REFERENCES:
            out.append(line)
            continue
        tag, _ = REFERENCES[key]
        text = code[key]
        indent = line[: len(line) - len(line.lstrip())]
        if tag == "module":
            out.append(f'{indent}<script type="module">\n{_escape_code(text, "script")}\n{indent}</script>\n')
        else:
            out.append(f"{indent}<{tag}>\n{_escape_code(text, tag)}\n{indent}</{tag}>\n")
    return "".join(out)
