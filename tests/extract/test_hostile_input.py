"""Malformed and hostile input: a clear error or an empty result, never a crash or a hang."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from dealweb.errors import FormatError
from dealweb.extract import clean_article, extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.text import MAX_BYTES


@pytest.mark.parametrize("raw", ["", "   \n\n  ", b"", "no money here at all", "$$$ € £ billion billion",
                                 "<html><body></body></html>", "<<<>>>", "\ufeff", "\u202e$5 billion"])
def test_empty_and_junk_give_an_empty_result(raw: str | bytes) -> None:
    x = extract(raw, directory=directory_for(None))
    assert x.deals == [] and x.facts == []


@pytest.mark.parametrize("raw", [b"\x00\x01\x02\x03PK\x03\x04" * 100, bytes(range(256)) * 10, "text\x00with nul"])
def test_binary_is_a_clear_error(raw: bytes | str) -> None:
    with pytest.raises(FormatError) as err:
        extract(raw)
    assert err.value.problems[0].rule == "binary"
    assert str(err.value) == "1 problem: input: this looks like binary data, not text or HTML [binary]"


def test_too_large_is_a_clear_error() -> None:
    with pytest.raises(FormatError, match=r"at most 20 MB is read \[too_large\]"):
        extract(b"a" * (MAX_BYTES + 1))


def test_latin1_bytes_are_read() -> None:
    x = extract("Nvidia will invest $1 billion in Nokia, caf\xe9.".encode("latin-1"), directory=directory_for(None))
    assert [c.recipient.id for c in x.deals] == ["nokia"]


def test_html_scripts_styles_and_boilerplate_never_reach_the_text() -> None:
    page = """<!doctype html><html><head><title>Deal day</title><style>p{color:red}</style>
    <script>window.deal = "Nvidia will invest $9 billion in Intel.";</script></head><body>
    <nav>Home | Markets</nav><article><h1>Nvidia backs Nokia</h1>
    <p>Nvidia will invest $1 billion in Nokia, the companies said.</p>
    <div class="ad-slot">Meta will invest $7 billion in Scale AI.</div>
    <aside>Oracle will buy $3 billion of AMD chips.</aside>
    <section class="author-bio"><p>Jo Smith is a senior technology writer.</p></section>
    <div id="comments"><p>Google will invest $2 billion in Anthropic!!</p></div>
    <div class="newsletter-signup">Sign up</div><script>alert("x")</script><img src=x onerror=alert(1)>
    </article><footer>Amazon will invest $4 billion in Anthropic.</footer></body></html>"""
    x = extract(page, directory=directory_for(None))
    assert x.article.title == "Nvidia backs Nokia"
    assert "alert" not in x.article.text and "color:red" not in x.article.text and "Sign up" not in x.article.text
    assert [(c.payer.id, c.recipient.id) for c in x.deals] == [("nvidia", "nokia")]


def test_the_plain_text_author_bio_is_cut() -> None:
    text = ("Nvidia will invest $1 billion in Nokia.\n\nJane Doe is a senior technology reporter at Example News. "
            "She covered Meta's $14.3 billion investment in Scale AI.")
    assert clean_article(text).text == "Nvidia will invest $1 billion in Nokia."
    assert [c.recipient.id for c in extract(text, directory=directory_for(None)).deals] == ["nokia"]


def _seconds(raw: str) -> float:
    names = directory_for(None)
    start = time.perf_counter()
    extract(raw, directory=names)
    return time.perf_counter() - start


def test_ten_megabytes_finish_in_time_linear_in_size(seed_article: Path) -> None:
    # A baseline in this process (1 MB of article text, after a warm-up that loads spaCy), then
    # 10 MB: the time per MB may grow by a generous factor but not with the square of the size.
    # Every sentence is numbered, so the repeated-sentence cache does not hide the work.
    seed = seed_article.read_text(encoding="utf-8")

    def article(mb: int) -> str:
        parts: list[str] = []
        size = n = 0
        while size < mb * 2**20:
            chunk = re.sub(r"\.(\s)", rf" ({n}).\1", seed)
            parts.append(chunk)
            size += len(chunk)
            n += 1
        return "\n".join(parts)
    _seconds("Nvidia will invest $1 billion in Nokia.")
    base = _seconds(article(1))
    big = article(10)
    assert len(big) >= 10 * 2**20
    took = _seconds(big)
    assert took <= 10 * base * 3 + 5, f"10 MB took {took:.1f}s against {base:.1f}s for 1 MB"


def test_ten_megabytes_of_one_line_without_breaks() -> None:
    took = _seconds("Nvidia $ billion invest " * 450_000)  # ~10 MB, no sentence ends at all
    assert took < 120


def test_deeply_nested_html_is_read_in_bounded_time() -> None:
    page = '<div class="x"><span>' * 20_000 + "Nvidia will invest $1 billion in Nokia." + "</span></div>" * 20_000
    start = time.perf_counter()
    x = extract(page, directory=directory_for(None))
    assert [c.recipient.id for c in x.deals] == ["nokia"]
    assert time.perf_counter() - start < 120  # was quadratic (minutes) before tags were detached deepest first


def test_a_page_with_too_many_tags_is_a_clear_error() -> None:
    with pytest.raises(FormatError, match=r"at most 100,000 are read \(save the article's text instead\) \[too_many_tags\]"):
        extract("<p>x</p>" * 60_000)
