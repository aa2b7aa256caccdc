"""From what a user pastes (plain text or a saved HTML page) to clean article text and sentences.

HTML is parsed with BeautifulSoup's standard-library ``html.parser`` backend. Scripts,
styles, navigation, asides, footers and forms are dropped, and so is every element whose
``class``, ``id`` or ``role`` names boilerplate: author bios, ads, comments, newsletters,
related stories, share bars. Plain text loses the widget lines news sites leave behind
("Advertisement", "Post Comment") and a trailing author bio ("Jane Doe is a senior
technology writer at …" and everything after it).

Offsets of evidence spans refer to :attr:`Article.text`, the cleaned text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dealweb.errors import FormatError, Problem

__all__ = ["MAX_BYTES", "MAX_TAGS", "Article", "Sentence", "clean_article", "decode_input", "sentences"]

#: Largest input accepted (bytes). Time is linear in size; this bounds it.
MAX_BYTES = 20 * 1024 * 1024
#: Most HTML tags read from one page (a news page has a few thousand). Parsing costs far more
#: per byte than plain text, so this bounds the time an HTML page may take.
MAX_TAGS = 100_000

_DROP_TAGS = ("head", "title", "script", "style", "noscript", "nav", "aside", "footer", "form", "iframe", "svg",
              "button", "template", "header", "figure", "figcaption", "select", "input", "textarea")
_BOILER = re.compile(r"author|byline|\bbio\b|bio-|profile|\bads?\b|advert|sponsor|promo|comment|disqus|newsletter|"
                     r"subscribe|signup|related|recommend|share|social|taboola|outbrain|cookie|paywall|breadcrumb|"
                     r"tags?\b|trending|most-read|popular|sidebar|footer|masthead", re.I)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "li", "blockquote", "div", "section", "article", "td", "pre", "br")
_WIDGET_LINE = re.compile(r"^(?:advertisement|story continues below.*|latest comments?|post comment|read comments|"
                          r"loading taboola.*|premium|read more|share|subscribe.*|sign up.*|follow us.*|"
                          r"also read.*|recommended.*|\.\.\.\s*read more|image:.*|photo:.*|\(?file photo\)?)$", re.I)
# "Anuj Bhatia is a seasoned personal technology writer at …": a paragraph that opens with a
# name and "is a … writer/reporter/…" starts the author box; it and what follows are dropped.
_BIO = re.compile(r"^(?:[A-Z][\w.'\-]+\s){1,3}(?:is|was|has been)\s+(?:a|an|the)\s+[^.]{0,80}?"
                  r"\b(?:writer|reporter|journalist|editor|correspondent|columnist|contributor|analyst at|author)\b")
# Wire datelines and their kin at the start of a paragraph: "SAN FRANCISCO, Nov 18 (Reuters) -",
# "REDMOND, Wash. (AP) —", "08:06 AM EDT, 10/24/2025 (MT Newswires) --", "(Reuters) –", "SEOUL —".
# A place or time before the bracket never holds a money figure, and the bracket names an agency (a name with
# lowercase letters, or a known one in capitals), not a ticker, so "Nvidia will sell $5 billion of GPUs to xAI (XAI)
# — …" and "Amazon, days after its results (AMZN) — said …" keep their deals.
_DATELINE = re.compile(r"^(?:(?=[^()\n]*(?:,|\d))(?![^()\n]*[$€£])[^()\n]{0,48}?\s*|"
                       r"[A-Z][A-Z .'’-]{1,30})?\((?=[^()\n]*[a-z]|(?:AP|AFP|UPI|PTI|ANI|IANS|AAP|ANSA|EFE|CNA|DPA|"
                       r"TASS|KYODO|NNA|UNI)\))(?:[^()\n]{2,40})\)\s*"
                       r"(?:--|-|–|—)\s*|"
                       # Press-release wires: "NEW YORK, Nov. 18, 2025 /PRNewswire/ --".
                       r"^[^/\n]{0,60}?/\s*(?:PR ?Newswire|GLOBE NEWSWIRE|Business ?Wire|EINPresswire|Accesswire|"
                       r"CNW|Newsfile)[^/\n]{0,20}/\s*(?:--|-|–|—)?\s*|"
                       r"^[A-Z][A-Z .,'’-]{2,30}(?:,\s*[A-Z][a-z]{2,4}\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?)?\s*(?:--|–|—)\s*")
# Stock tickers in brackets ("(NASDAQ: APLD)", "(Nasdaq:)", "(OTCMKTS:APLD)") and the ticker after a name ("MSFT").
_TICKER = re.compile(r"\s*\((?:NASDAQ|Nasdaq|NYSE|NYSE American|OTCMKTS|OTC|TSX|TSXV|ASX|LSE|KRX|KOSPI|TYO|TSE|HKEX|"
                     r"SIX|ETR|XETRA|Euronext|CBOE)\s*:\s*[A-Z.]{0,6}\)")
# Bylines, photo credits, captions and page furniture, as whole lines.
_CREDIT_LINE = re.compile(r"^(?:(?-i:[Bb]y|BY)\s+(?=[^$€£\d]{0,80}(?<![.!?])$)"
                          r"(?-i:(?:[A-Z][\w.'’-]+\s?){1,4}(?:(?:,|and|&)\s*(?:[A-Z][\w.'’-]+\s?){1,4})*)(?:,.*)?|"
                          r"(?:photo|image|picture|file photo|caption)s?\b.*|"
                          r"\(?(?:reporting|writing|editing|additional reporting) by\b.*|.*\b(?:getty images|/ ?reuters|"
                          r"/ ?afp|/ ?ap photo|shutterstock)\b.*|(?:\w+\s){0,3}(?:min read|minutes? read)|"
                          r"updated?\s*:?\s*.*\d{4}.*|published\s*:?.*\d{4}.*|tl;dr:?\s*$|"
                          r"(?:also )?read more:?.*|click here.*|listen to (?:this|the) article.*|our standards:.*|"
                          r"sign up here.*|(?:all rights reserved|copyright|©).{0,120}|.*\breuters/[A-Z].*)$", re.I)
# A line that stops on a comma, an article, a preposition or a conjunction stops mid-sentence.
_OPEN_END = re.compile(r"(?:,|\b(?:a|an|the|of|to|in|into|for|from|with|by|on|at|as|and|or|but|that|which|its|their|"
                       r"his|her|will|would|has|have|had|is|are|was|were|be|been|about|than|between|including))$")
_TERMINAL = re.compile(r"[.!?:;\"')\]”’]\s*$")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u2009": " ", "\u202f": " "})
# A sentence ends before a capital, a digit or a currency sign, or before a name spelt with a lower-case start and a
# capital inside ("xAI", "eBay"); and, where a lost paragraph break glued two sentences ("among others.Shield AI
# raised …", "closed on March 6.SandboxAQ closed …"), after a lower-case word of three letters or more, or a number,
# and its full stop right before a capitalised word.
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]?(?:\s+(?=[\"'(\[]?(?:[A-Z0-9$€£]|[a-z]{1,3}-?[A-Z]))|"
                       r"(?<=[a-z\d][.!?])(?=[A-Z][a-z]))")
# … but not inside a name or address whose word before the stop has a capital, a dot or a decimal ("Amazon.Com",
# "a.b.Com", "1.5.Then").
_GLUED = re.compile(r"(?:^|[^\w.])(?![a-z]{3,}[.!?]$|\d{1,4}[.!?]$)[\w.]*[.!?]$")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Inc|Corp|Co|Ltd|Jr|Sr|St|vs|U\.S|U\.K|No|approx|est)\.|\b[A-Z]\.)$")


@dataclass(frozen=True, slots=True)
class Article:
    """Cleaned article text and the title found in it (``""`` when there is none)."""

    text: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article: its text and where it starts in :attr:`Article.text`."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def decode_input(data: bytes | str) -> str:
    """Text from bytes (UTF-8, else Latin-1); :class:`~dealweb.errors.FormatError` for binary data or too much of it.

    >>> decode_input(b"caf\\xc3\\xa9")
    'café'
    >>> decode_input(b"\\x00\\x01\\x02PK")
    Traceback (most recent call last):
    ...
    dealweb.errors.FormatError: 1 problem: input: this looks like binary data, not text or HTML [binary]
    """
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        raise FormatError([Problem("input", "", "too_large",
                                   f"the article is {size / 2**20:.1f} MB; at most {MAX_BYTES // 2**20} MB is read")])
    if isinstance(data, bytes):
        sample = data[:65536]
        if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 20:
            raise FormatError([Problem("input", "", "binary", "this looks like binary data, not text or HTML")])
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    if "\x00" in data[:65536]:
        raise FormatError([Problem("input", "", "binary", "this looks like binary data, not text or HTML")])
    return data


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return bool(re.search(r"<(?:!doctype|html|body|p|div|article|head|script|span|h1)\b", head))


def _html_to_paragraphs(markup: str) -> tuple[list[str], str]:
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(markup, "html.parser")
    title = ""
    h1 = soup.find("h1")
    if isinstance(h1, Tag):
        title = h1.get_text(" ", strip=True)
    elif isinstance(soup.title, Tag):
        title = soup.title.get_text(" ", strip=True)
    # Collect first, then detach deepest first: each detach is then cheap, and no tag is asked
    # about its ancestors or descendants (which is quadratic on deeply nested pages).
    doomed = []
    for tag in soup.find_all(True):
        if tag.name in _DROP_TAGS:
            doomed.append(tag)
            continue
        attrs = tag.attrs or {}
        marks = " ".join([*(attrs.get("class") or []), str(attrs.get("id") or ""), str(attrs.get("role") or ""),
                          str(attrs.get("itemprop") or "")])
        if marks.strip() and _BOILER.search(marks) and tag.name not in ("body", "html", "main", "article"):
            doomed.append(tag)
    for tag in reversed(doomed):
        tag.extract()
    text = "".join(_texts(soup))
    return [p for p in (re.sub(r"[ \t\r\f\v\n]+", " ", block).strip() for block in re.split(r"\n\s*\n", text)) if p], title


def _texts(root: Any) -> list[str]:
    """The text of a parsed page with a paragraph break around block elements, without recursion."""
    from bs4.element import NavigableString, Tag

    out: list[str] = []
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Tag):
            block = node.name in _BLOCKS
            if block:
                stack.append("\n\n")
            stack.extend(reversed([c for c in node.contents if isinstance(c, (Tag, NavigableString))]))
            if block:
                out.append("\n\n")
    return out


def clean_article(raw: bytes | str) -> Article:
    """The article's text without markup and boilerplate, one paragraph per line.

    Examples
    --------
    >>> html = ('<html><head><title>T</title><script>var deal = "$9 billion";</script></head><body>'
    ...         '<h1>Big deal</h1><p>Nvidia will invest $1 billion in Nokia.</p>'
    ...         '<div class="author-bio"><p>Jo is a writer.</p></div><div id="comments">Nice $5 billion!</div></body></html>')
    >>> a = clean_article(html)
    >>> a.title, a.text
    ('Big deal', 'Big deal\\nNvidia will invest $1 billion in Nokia.')
    >>> clean_article("Deal text.\\n\\nAdvertisement\\n\\nAnuj Bhatia is a seasoned technology writer at X.\\nMore bio.").text
    'Deal text.'
    """
    text = decode_input(raw).translate(_QUOTES)
    title = ""
    if _looks_like_html(text):
        tags = text.count("<")
        if tags > MAX_TAGS:
            raise FormatError([Problem("input", "", "too_many_tags", f"the page has about {tags:,} tags; at most "
                                       f"{MAX_TAGS:,} are read (save the article's text instead)")])
        paragraphs, title = _html_to_paragraphs(text)
    else:
        paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in _unwrap(text)]
    kept: list[str] = []
    for p in paragraphs:
        p = _TICKER.sub("", _DATELINE.sub("", p, count=1)).strip()
        p = re.sub(r",(?=\s+(?:Inc|Ltd|LLC|Corp|PLC|L\.P)\b)", "", p)  # "Blackstone, Inc." is one name
        if not p or _WIDGET_LINE.match(p) or _CREDIT_LINE.match(p):
            continue
        if _BIO.match(p) and kept:
            break
        kept.append(p)
    return Article("\n".join(kept), title)


def _unwrap(text: str) -> list[str]:
    """Lines of plain text with hard line wraps joined.

    Blocks are separated by blank lines. A block whose lines mostly stop without closing
    punctuation (a press release wrapped at 70 columns) is one paragraph; elsewhere a line
    is joined to the next when it stops mid-sentence and the next starts in lower case.

    >>> _unwrap("Applied Digital\\nCorporation entered\\ninto a $5 billion\\nfacility.\\n\\nNext.")
    ['Applied Digital Corporation entered into a $5 billion facility.', 'Next.']
    >>> _unwrap("Big deal for Nokia\\nNvidia will invest $1 billion in Nokia.")
    ['Big deal for Nokia', 'Nvidia will invest $1 billion in Nokia.']
    """
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        # Bylines, credits and widget lines go before joining, so a wrapped paragraph does not swallow them.
        lines = [ln.strip() for ln in block.split("\n")
                 if ln.strip() and not _WIDGET_LINE.match(ln.strip()) and not _CREDIT_LINE.match(ln.strip())]
        # A dateline opens the story's first paragraph: the headline above it is a paragraph of its own.
        cut = next((i for i, ln in enumerate(lines) if i and _DATELINE.match(ln)), 0)
        if cut:
            out.extend(_unwrap("\n".join(lines[:cut])))
            lines = lines[cut:]
        if len(lines) >= 3 and sum(not _TERMINAL.search(ln) for ln in lines[:-1]) >= 0.6 * (len(lines) - 1) \
                and max(len(ln) for ln in lines) <= 100:
            out.append(" ".join(lines))
            continue
        for ln in lines:
            if out and out[-1] and not _TERMINAL.search(out[-1]) and (
                    (re.match(r"[a-z(,$€£\d]", ln) and len(out[-1]) > 30) or _OPEN_END.search(out[-1])):
                out[-1] += " " + ln
            else:
                out.append(ln)
        out.append("")
    return [p for p in out if p]


def sentences(text: str) -> list[Sentence]:
    """Sentences of cleaned text, each with its offset; linear time, no model.

    >>> [(s.text, s.start) for s in sentences("Nvidia agreed. It pays $5 billion to U.S. firms.\\nNext one")]
    [('Nvidia agreed.', 0), ('It pays $5 billion to U.S. firms.', 15), ('Next one', 49)]
    """
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        start = 0
        for m in _SENT_END.finditer(line):
            if _ABBREV.search(line[start:m.start()]) or (m.start() == m.end() and _GLUED.search(line[start:m.start()])):
                continue
            piece = line[start:m.start()].strip()
            if piece:
                out.append(Sentence(piece, pos + start + (len(line[start:m.start()]) - len(line[start:m.start()].lstrip()))))
            start = m.end()
        piece = line[start:]
        if piece.strip():
            out.append(Sentence(piece.strip(), pos + start + (len(piece) - len(piece.lstrip()))))
        pos += len(line) + 1
    return out
