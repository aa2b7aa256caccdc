"""Where a fact comes from: :class:`Source`, its text and JSON forms, and whose site a link is.

A source records an outlet (or company, or regulator), a title, a date, a URL, the
:class:`~dealweb.model.vocab.SourceKind` of document, and ``via``: the site the story was
read on when that is not the outlet's own (a mirror, an aggregator). The one-cell text
form is ``outlet | title | date | url | kind | via``; trailing parts may be left out, so
the older one- to four-part forms still read.

:func:`host_belongs_to` is the rule behind the ``via`` check in
:mod:`dealweb.model.rules`: a source must not claim an outlet its link is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from dealweb.model.dates import PartialDate
from dealweb.model.vocab import SourceKind

__all__ = ["SOURCE_SEPARATOR", "Source", "host_belongs_to", "url_host"]

#: Separates sources inside one text cell (CSV, XLSX): ``"a ;; b"``.
SOURCE_SEPARATOR = " ;; "
_URL = re.compile(r"^https?://\S+$")
_PARTS = ("outlet", "title", "date", "url", "kind", "via")


def _bad_url(url: str) -> str:
    """Why ``url`` is not a source URL (for a ValueError): whitespace, or not http(s) at all."""
    if re.match(r"^https?://", url):
        return f"source url {url[:200]!r} contains whitespace; a URL has none (write spaces as %20)"
    return f"source url {url[:200]!r} does not start with http:// or https://"

# Outlets whose site's name is not spelt out by their name (the name heuristic below covers
# "Reuters" → reuters.com, "Financial Times" → ft.com, "The Information" → theinformation.com).
_KNOWN_SITES: dict[str, tuple[str, ...]] = {
    "associated press": ("apnews.com",),
    "ap": ("apnews.com",),
    "sec": ("sec.gov",),
    "u.s. securities and exchange commission": ("sec.gov",),
    "nikkei": ("asia.nikkei.com", "nikkei.com"),
    "the wall street journal": ("wsj.com",),
    "wall street journal": ("wsj.com",),
    "datacenterdynamics": ("datacenterdynamics.com",),
    "dcd": ("datacenterdynamics.com",),
}
#: Hosts where a filing lives at home, whoever filed it.
FILING_HOSTS = ("sec.gov",)
_STOP = {"the", "inc", "corp", "co", "ltd", "plc", "news", "and", "of", "group", "llc"}


def url_host(url: str) -> str:
    """The lower-case host of a URL without ``www.``.

    >>> url_host("https://www.Reuters.com/x")
    'reuters.com'
    """
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def host_belongs_to(host: str, outlet: str) -> bool:
    """Whether ``host`` is plausibly the outlet's (or company's) own site.

    Known sites first, then the outlet's name: a word of four letters or more, the words
    run together, or the initials (``ft`` for Financial Times) found in one of the host's
    labels.

    >>> host_belongs_to("ft.com", "Financial Times"), host_belongs_to("reuters.com", "Reuters")
    (True, True)
    >>> host_belongs_to("nvidianews.nvidia.com", "Nvidia"), host_belongs_to("hn.jakechampion.name", "Financial Times")
    (True, False)
    >>> host_belongs_to("microsoft.com", "Financial Times")
    False
    """
    host = host.lower()
    if not host or not outlet.strip():
        return False
    name = outlet.strip().lower()
    for site in _KNOWN_SITES.get(name, ()):
        if host == site or host.endswith("." + site):
            return True
    labels = host.split(".")[:-1] or [host]  # drop the top-level domain
    words = [w for w in re.split(r"[^a-z0-9]+", name) if w]
    keys = {w for w in words if len(w) >= 4 and w not in _STOP}
    if len(words) > 1:
        keys.add("".join(words))
        keys.add("".join(w for w in words if w not in _STOP))
        initials = "".join(w[0] for w in words if w not in _STOP)
        if len(initials) >= 2:
            if any(label == initials or (len(initials) >= 3 and label.startswith(initials)) for label in labels):
                return True
    elif words and len(words[0]) >= 2:
        keys.add(words[0])
    return any(k and k in label for k in keys for label in labels)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: a URL, or an outlet, title and date, or both; its kind and ``via``.

    The one-cell text form is ``outlet | title | date | url | kind | via`` (trailing parts
    may be left out) or a bare URL.

    Examples
    --------
    >>> s = Source.parse("Reuters | Microsoft and OpenAI sign new deal | 2025-10-28 | https://example.com/a")
    >>> s.outlet, str(s.date), s.url, s.kind
    ('Reuters', '2025-10-28', 'https://example.com/a', None)
    >>> Source.parse("https://example.com/b").url
    'https://example.com/b'
    >>> str(Source(outlet="Microsoft 10-Q"))
    'Microsoft 10-Q'
    >>> ft = Source.parse("Financial Times | Title | 2025 | https://hn.jakechampion.name/x | outlet | hn.jakechampion.name")
    >>> ft.label
    'Financial Times via hn.jakechampion.name'
    >>> str(ft).split(" | ")[4:]
    ['outlet', 'hn.jakechampion.name']
    >>> Source(url="javascript:alert(1)")
    Traceback (most recent call last):
    ...
    ValueError: source url 'javascript:alert(1)' does not start with http:// or https://
    """

    outlet: str = ""
    title: str = ""
    date: PartialDate | None = None
    url: str = ""
    kind: SourceKind | None = None
    via: str = ""

    def __post_init__(self) -> None:
        # Every way in (parse, from_dict, the constructor) keeps the same rule, so a source that
        # could not be read back (or would be a script link on the map) never reaches the store.
        if self.url and not _URL.match(self.url):
            raise ValueError(_bad_url(self.url))
        if self.kind is not None and not isinstance(self.kind, SourceKind):
            object.__setattr__(self, "kind", _source_kind(str(self.kind)))
        if isinstance(self.date, str):
            object.__setattr__(self, "date", PartialDate.parse(self.date) if self.date else None)

    @property
    def label(self) -> str:
        """How to name the source to a reader: ``"Financial Times via hn.jakechampion.name"``."""
        name = self.outlet or url_host(self.url) or self.title
        return f"{name} via {self.via}" if self.via else name

    @property
    def host(self) -> str:
        """The URL's host without ``www.`` (empty without a URL)."""
        return url_host(self.url) if self.url else ""

    @classmethod
    def parse(cls, text: str) -> Source:
        """Read the one-cell text form; raises :class:`ValueError` naming the broken rule."""
        text = text.strip()
        if not text:
            raise ValueError("a source is empty")
        if "|" not in text:
            return cls(url=text) if re.match(r"^https?://", text) else cls(outlet=text)
        parts = [p.strip() for p in text.split("|")]
        if len(parts) > len(_PARTS):
            raise ValueError(f"a source has {len(parts)} '|'-separated parts; at most 6 "
                             "(outlet | title | date | url | kind | via)")
        parts += [""] * (len(_PARTS) - len(parts))
        outlet, title, date, url, kind, via = parts
        if url and not _URL.match(url):
            raise ValueError(_bad_url(url))
        return cls(outlet, title, PartialDate.parse(date) if date else None, url,
                   _source_kind(kind) if kind else None, via)

    def __str__(self) -> str:
        if not (self.outlet or self.title or self.date or self.kind or self.via):
            return self.url
        parts = [self.outlet, self.title, str(self.date) if self.date else "", self.url,
                 self.kind.value if self.kind else "", self.via]
        while parts and not parts[-1]:
            parts.pop()
        return " | ".join(parts)

    def is_empty(self) -> bool:
        return not (self.outlet or self.title or self.url)

    def to_dict(self) -> dict[str, str]:
        """The JSON form ``{"outlet", "title", "date", "url", "kind", "via"}`` (empty text for none)."""
        return {"outlet": self.outlet, "title": self.title, "date": str(self.date) if self.date else "",
                "url": self.url, "kind": self.kind.value if self.kind else "", "via": self.via}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        """Read the JSON form, by the same rules as :meth:`parse`; ``kind`` and ``via`` may be absent."""
        text = {k: str(data.get(k) or "").strip() for k in _PARTS}
        if text["url"] and not _URL.match(text["url"]):
            raise ValueError(_bad_url(text["url"]))
        source = cls(text["outlet"], text["title"], PartialDate.parse(text["date"]) if text["date"] else None,
                     text["url"], _source_kind(text["kind"]) if text["kind"] else None, text["via"])
        if source.is_empty():
            raise ValueError("a source is empty")
        return source


def _source_kind(text: str) -> SourceKind:
    try:
        return SourceKind(text.strip().lower())
    except ValueError:
        raise ValueError(f"source kind {text!r} is not one of: {', '.join(k.value for k in SourceKind)}") from None
