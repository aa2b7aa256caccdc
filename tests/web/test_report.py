"""The shareable report: one self-contained HTML file, the data inside, nothing that can break out."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import dealweb
import dealweb.cli.web_commands  # registers `dealweb serve` and `dealweb report`
from conftest import run
from dealweb.errors import ValidationError
from dealweb.model.recordset import RecordSet
from dealweb.stress import stress
from dealweb.web import app as web_app
from dealweb.web.report import REPORT_CSP, ReportError, build_report

EVIL = '</script><script>alert("x")</script><!-- <img src=x onerror=alert(1)> \u2028 \u202eRTL'
INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dealweb</title>
<link rel="stylesheet" href="static/app.css">
<!-- DEALWEB_DATA -->
</head>
<body>
<a href="#map">map</a> <a href="static/vendor/LICENSE-cytoscape.txt">licence</a>
<div id="map"></div>
<script src="static/vendor/cytoscape.min.js"></script>
<script type="module" src="static/main.js"></script>
</body>
</html>
"""
APP_JS = "import { closing } from './util.js';\nexport const data = window.DEALWEB_DATA;\n"
UTIL_JS = 'export const closing = "</script>";\n'


def write_page(folder: Path, index: str = INDEX, css: str = "body { color: #111; }\n") -> Path:
    (folder / "vendor").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(index, encoding="utf-8")
    (folder / "app.css").write_text(css, encoding="utf-8")
    (folder / "main.js").write_text(APP_JS, encoding="utf-8")
    (folder / "util.js").write_text(UTIL_JS, encoding="utf-8")
    (folder / "vendor" / "cytoscape.min.js").write_text("window.cytoscape = function () {};\n", encoding="utf-8")
    (folder / "vendor" / "LICENSE-cytoscape.txt").write_text("MIT licence text\n", encoding="utf-8")
    return folder


def outside_scripts(html: str) -> str:
    """The markup with every inline <script>/<style> block cut out (they end at the first closing tag)."""
    return re.sub(r"<(script|style)(?:\s[^>]*)?>.*?</\1>", "", html, flags=re.DOTALL | re.IGNORECASE)


def embedded_data(html: str) -> Any:
    match = re.search(r"<script>window\.DEALWEB_DATA = (.*?);</script>", html, flags=re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def assert_self_contained(html: str) -> None:
    markup = outside_scripts(html)
    for attr, value in re.findall(r"""\s(src|href)\s*=\s*["']?([^"'\s>]*)""", markup, flags=re.IGNORECASE):
        assert value.startswith(("#", "data:")), f"{attr}={value}"
    assert "<link rel=\"stylesheet\"" not in markup and "<script src" not in markup


@pytest.fixture(scope="module")
def hostile_records() -> RecordSet:
    rs = dealweb.bundled_records()
    entities = [e.evolve(name=EVIL) if e.id == "openai" else e for e in rs.entities]
    return RecordSet.of(entities, rs.deals, rs.financials)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_page(tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module")
def report(hostile_records: RecordSet, page: Path) -> str:
    return build_report(hostile_records, static_dir=page)


def test_report_is_one_file_with_nothing_external(report: str) -> None:
    assert_self_contained(report)
    assert "window.cytoscape = function" in report and "body { color: #111; }" in report
    assert f'<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">' in report
    assert "connect-src 'none'" in REPORT_CSP
    licence = re.search(r'href="data:text/plain;charset=utf-8;base64,([^"]+)" download="LICENSE-cytoscape.txt"', report)
    assert licence is not None


def test_report_contains_the_data(report: str, hostile_records: RecordSet) -> None:
    data = embedded_data(report)
    assert set(data) == {"meta", "network", "cycles", "circularity", "deals", "stress", "entities", "generated"}
    net = dealweb.project(hostile_records)
    # one arrow per pair, each holding its deals: every projected deal exactly once
    arrows = data["network"]["elements"]["edges"]
    assert sum(e["data"]["count"] for e in arrows) == net.n_edges > len(arrows) > 50
    assert sorted(d for e in arrows for d in e["data"]["deal_ids"]) == sorted(str(x) for x in net.edge_ids)
    assert data["network"]["headline"]["total_usd"] == pytest.approx(net.gross)
    assert len(data["deals"]) == len(hostile_records.deals)
    assert set(data["entities"]) == {e.id for e in hostile_records.entities}
    assert data["entities"]["oracle"]["risk"]["headline"]["entity"] == "oracle"
    expected = stress(hostile_records, "openai-pays-40")
    assert data["stress"]["headline"]["total_loss"] == pytest.approx(expected.headline()["total_loss"])
    assert data["stress"]["rounds"][0]["failed"] == ["openai"]
    assert data["meta"]["read_only"] is True and data["cycles"]["headline"]["cycles"] >= 1
    assert "definition" in data["circularity"]["headline"]


def test_report_escapes_script_injection_in_names(report: str) -> None:
    assert EVIL not in report
    assert 'alert("x")</script>' not in report and "<img src=x" not in report
    # Three blocks of our own (data, Cytoscape, the page's modules); no name opened another.
    assert len(re.findall(r"<script", report, flags=re.IGNORECASE)) == 3
    assert 'const closing = "<\\/script>"' in report  # inlined code cannot close its block either
    # the modules as one script: util before main, no import or export left
    assert report.index("const closing") < report.index("const data") and "import {" not in report
    data = embedded_data(report)
    assert data["entities"]["openai"]["entity"]["name"] == EVIL
    label = next(n["data"]["label"] for n in data["network"]["elements"]["nodes"] if n["data"]["id"] == "openai")
    assert label == EVIL


def test_report_for_an_entity_scenario(page: Path) -> None:
    data = embedded_data(build_report(dealweb.bundled_records(), scenario="coreweave", static_dir=page))
    assert data["stress"]["headline"]["shock"] == "coreweave fails"
    with pytest.raises(ValidationError, match="neither a shipped scenario"):
        build_report(dealweb.bundled_records(), scenario="nobody", static_dir=page)


@pytest.mark.parametrize(("index", "css", "message"), [
    (INDEX.replace('<script type="module" src="static/main.js"></script>\n', ""), "", "lacks the line"),
    (INDEX.replace("<!-- DEALWEB_DATA -->\n", ""), "", "DEALWEB_DATA"),
    (INDEX.replace("</body>", '<script src="static/extra.js"></script>\n</body>'), "", "cannot inline"),
    (INDEX.replace("</body>", '<img src="https://example.com/logo.png">\n</body>'), "", "cannot inline"),
    (INDEX, "@font-face { src: url(font.woff2); }", "loads other files"),
])
def test_pages_that_cannot_be_one_file_are_refused(tmp_path: Path, index: str, css: str, message: str) -> None:
    folder = write_page(tmp_path, index=index, css=css or "body {}")
    with pytest.raises(ReportError, match=message):
        build_report(dealweb.bundled_records(), static_dir=folder)


def test_missing_front_end_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="not built"):
        build_report(dealweb.bundled_records(), static_dir=tmp_path)


def test_cli_report(db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, page: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_app, "STATIC_DIR", page)
    out = tmp_path / "sub" / "report.html"
    code, stdout, _ = run(capsys, "report", "-o", str(out), "--scenario", "openai-fails")
    assert code == 0 and "Wrote" in stdout and out.is_file()
    html = out.read_text(encoding="utf-8")
    assert_self_contained(html)
    assert embedded_data(html)["stress"]["headline"]["scenario"] == "openai-fails"
    code, _, err = run(capsys, "report", "-o", str(out), "--scenario", "nobody")
    assert code == 1 and "neither a shipped scenario" in err


def test_the_shipped_page_makes_a_report() -> None:
    if not (web_app.STATIC_DIR / "index.html").is_file():
        pytest.skip("the front end (src/dealweb/web/static/index.html) is not built yet")
    html = build_report(dealweb.bundled_records())
    assert_self_contained(html)
    arrows = embedded_data(html)["network"]["elements"]["edges"]
    assert sum(e["data"]["count"] for e in arrows) == dealweb.project(dealweb.bundled_records()).n_edges


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
def test_report_as_pdf(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("playwright.sync_api")
    out = tmp_path / "report.pdf"
    code, stdout, _ = run(capsys, "report", "-o", str(out), "--scenario", "openai-fails")
    assert code == 0 and "PDF" in stdout
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 3  # the headline and the map; the loops and the stress run; the deals with their sources
    assert len(data) > 50_000  # the map is drawn, not a blank page
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    first = text.split("\f")[0]
    assert "Circularity index" in first and "Largest loop" in first and "committed: binding cash commitments" in first
    assert "at face value" in first  # the total on its basis, face value beside it
    assert "Loops of deals" in text and "bottleneck" in text and "hops ($" in text  # each loop with its hops' amounts
    assert "What happens" in text and "Losses" in text and "openai fails" in text  # the stress run, story and losses
    assert "Sources" in text
    # nothing to click on paper
    for control in ("Show all companies", "Tell the story", "Run stress test", "Reset filters", "Export"):
        assert control not in text


def test_pdf_without_chromium_says_what_is_missing(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALWEB_CHROMIUM", str(tmp_path / "no-chromium"))
    code, out, err = run(capsys, "report", "-o", str(tmp_path / "r.pdf"))
    assert code != 0
    assert "PDF output needs Chromium, and there is none at" in err + out and "apt-get install chromium" in err + out
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(("main", "message"), [
    ("import util from './util.js';\n", "can inline only"),
    ("import {\n  closing,\n} from './util.js';\n", "can inline only"),
    ("export default 1;\n", "can inline only"),
    ("import { x } from './missing.js';\n", "not built"),
    ("import { closing } from './util.js';\nconst closing = 1;\n", "declared in both"),
])
def test_modules_the_report_cannot_bundle_are_refused(tmp_path: Path, main: str, message: str) -> None:
    folder = write_page(tmp_path)
    (folder / "main.js").write_text(main, encoding="utf-8")
    with pytest.raises(ReportError, match=message):
        build_report(dealweb.bundled_records(), static_dir=folder)
