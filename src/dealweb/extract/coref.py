"""Coreference: which company "the chipmaker", "the ChatGPT maker", "the startup" or "it" stands for.

Two sources of descriptions:

* **Named descriptions** point at one entity. Besides the built-in
  :data:`~dealweb.extract.gazetteer.DESCRIPTORS`, :func:`ledger_descriptions` reads them off
  the ledger: an entity whose notes say "Maker of ChatGPT" or "Maker of the Claude models"
  is also "the ChatGPT maker", "the maker of ChatGPT", "the ChatGPT developer" and
  "ChatGPT-maker". They are matched like names, by :class:`~dealweb.extract.parties.Directory`.
* **Typed descriptions** ("the chipmaker", "the cloud provider", "the lender", "the startup")
  name a sort of company. :func:`description_kinds` maps the description's head noun to the
  entity kinds it fits, and :func:`refer` picks the most recent company of such a kind: the
  company the text is about first when asked (a subject), then the companies named, latest
  first. "The company", "the firm" and "it" fit any company.

A description that fits no company named so far resolves to nothing: a wrong party is worse
than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dealweb.model.records import Entity
from dealweb.model.vocab import EntityKind

if TYPE_CHECKING:
    from dealweb.extract.clauses import Context
    from dealweb.extract.parties import Directory, PartyRef

__all__ = ["description_kinds", "lead_of_raise", "ledger_descriptions", "named_later", "refer", "unnamed_counterparty"]

_K = EntityKind
# Head nouns of typed descriptions → the entity kinds they fit. Longest phrases first.
_TYPED: tuple[tuple[re.Pattern[str], frozenset[EntityKind]], ...] = tuple(
    (re.compile(rf"\b(?:{words})$", re.I), frozenset(kinds)) for words, kinds in (
        (r"chip ?maker|chip designer|chip giant|chip company|semiconductor (?:company|firm|giant|maker)|gpu maker|"
         r"gpu giant|foundry|memory maker", (_K.CHIPMAKER,)),
        (r"cloud (?:provider|giant|company|unit|business|firm)|hyperscaler|cloud", (_K.CLOUD_PROVIDER, _K.NEOCLOUD)),
        (r"neocloud|gpu cloud|ai cloud (?:provider|company|firm|startup)|rent-a-gpu outfit", (_K.NEOCLOUD,)),
        (r"data[- ]cent(?:er|re) (?:operator|developer|company|firm|owner|landlord)|landlord|(?:bitcoin |crypto )?miner|"
         r"developer of data cent(?:er|re)s", (_K.DATA_CENTER, _K.NEOCLOUD)),
        (r"bank|investment bank", (_K.BANK,)),
        (r"lender|creditor", (_K.BANK, _K.INVESTOR)),
        (r"investor|asset manager|fund|investment firm|investment group|private equity firm|buyout firm|"
         r"sovereign (?:wealth )?fund|conglomerate|venture (?:capital )?firm|vc firm", (_K.INVESTOR,)),
        (r"ai lab|lab|ai (?:startup|company|firm|developer)|model (?:maker|developer)|chatbot maker",
         (_K.AI_LAB,)),
        (r"startup|start-up|upstart|newcomer", (_K.AI_LAB, _K.NEOCLOUD, _K.OTHER, _K.CHIPMAKER, _K.DATA_CENTER)),
        (r"tech giant|technology giant|software giant|software maker", (_K.CLOUD_PROVIDER, _K.AI_LAB, _K.CHIPMAKER,
                                                                         _K.OTHER)),
    ))
_ANY = re.compile(r"\b(?:it|its|they|their|company|companies|firm|group|business|giant|outfit|maker|developer|"
                  r"provider|operator|owner|parent|player|platform|unit|rival|challenger|partner)$", re.I)


def description_kinds(phrase: str) -> frozenset[EntityKind] | None:
    """The entity kinds a description fits; ``None`` when it fits any company ("the company", "it").

    >>> sorted(k.value for k in description_kinds("the chipmaker"))
    ['chipmaker']
    >>> sorted(k.value for k in description_kinds("the Redmond-based cloud giant"))
    ['cloud_provider', 'neocloud']
    >>> description_kinds("the company") is None, description_kinds("it") is None
    (True, True)
    """
    text = re.sub(r"['’]s$", "", phrase.strip().rstrip(".,;:"))
    for pattern, kinds in _TYPED:
        if pattern.search(text):
            return kinds
    return None


def refer(context: Context, phrase: str, directory: Directory, exclude: Iterable[str] = (), *,
          prefer_topic: bool = False) -> PartyRef | None:
    """The company a description stands for: the most recent one that fits and is not excluded.

    ``prefer_topic`` tries the company the text is about (the last recipient or reporting company)
    first, as for a description in subject position.
    """
    kinds = description_kinds(phrase)
    skip = set(exclude)
    order = [*([context.topic] if prefer_topic and context.topic is not None else []), *reversed(context.recent)]
    if prefer_topic and context.previous:
        # A description or "it" as subject continues the previous sentence's subject when it fits ("Poolside signs
        # deal with CoreWeave. The AI coding startup agreed to buy …"); a typed one only when the kind fits.
        order.insert(0, context.previous[0])
    for p in order:
        if p.id in skip or not p.known:
            continue
        if kinds is None or directory.kind(p.id) in kinds:
            return p
    return None


_MAKER_OF = re.compile(r"\b(?i:maker|developer|creator|owner|operator) of (?:the )?((?:[A-Z][\w.+-]*)(?:\s+[A-Z][\w.+-]*)*)")
_GENERIC_PRODUCT = frozenset({"AI", "GPU", "GPUs", "CPU", "CPUs", "The", "A", "An"})


def ledger_descriptions(entities: Iterable[Entity]) -> dict[str, str]:
    """Descriptions that name one entity, read from the ledger's notes ("Maker of ChatGPT" → "the ChatGPT maker").

    >>> d = ledger_descriptions([Entity("anthropic", "Anthropic", notes="Maker of the Claude models.")])
    >>> d["the Claude maker"], d["the maker of Claude"], d["Claude-maker"]
    ('anthropic', 'anthropic', 'anthropic')
    """
    out: dict[str, str] = {}
    for e in entities:
        for m in _MAKER_OF.finditer(e.notes or ""):
            product = m.group(1)
            if product in _GENERIC_PRODUCT or len(product) < 3:
                continue
            for noun in ("maker", "developer", "creator", "owner"):
                for form in (f"the {product} {noun}", f"{product} {noun}", f"the {product}-{noun}", f"{product}-{noun}",
                             f"the {noun} of {product}"):
                    out.setdefault(form, e.id)
    return out


# "Blackstone led the financing", "The round was led by Thrive Capital": the lead of a raise named just before.
_LED = re.compile(r"\b(?:led|co-led|headed|anchored|arranged|underwrote|provided|supplied)\s+"
                  r"(?:the|that|this)\s+(?:[\w-]+\s+){0,2}(?:round|financing|"
                  r"transaction|deal|raise|fundraise|fundraising|investment|funding|offering|facility|loan)\b", re.I)
_LED_BY = re.compile(r"^(?:The|That|This)\s+(?:[\w-]+\s+){0,2}(?:round|financing|transaction|deal|raise|fundraising|"
                     r"investment|funding|offering|facility|loan)\s+(?:was|is|were)\s+(?:(?:co-)?led|arranged|"
                     r"underwritten|provided)\s+by\b", re.I)


def lead_of_raise(sentence: str, directory: Directory) -> PartyRef | None:
    """The company a sentence names as the lead of a raise told before ("Blackstone led the financing").

    The lead is the last company named before "led the …", or the first one after "was led by".
    """
    m = _LED.search(sentence)
    if m is not None:
        named = [x for x in directory.mentions(sentence[:m.start()])]
        named += directory.unknown_orgs(sentence[:m.start()], [(x.start, x.end) for x in named])
        named.sort(key=lambda x: x.start)
        if named and not sentence[named[-1].end:m.start()].strip(" ,").count(" ") > 2:
            return named[-1].party
        return None
    m = _LED_BY.match(sentence)
    if m is not None:
        rest = sentence[m.end():]
        named = directory.mentions(rest)
        named += directory.unknown_orgs(rest, [(x.start, x.end) for x in named])
        named.sort(key=lambda x: x.start)
        if named and named[0].start < 60:
            return named[0].party
    return None


# "in a technology firm based in the UAE", "into an Abu Dhabi AI company": a counterparty described, not named.
_UNNAMED = re.compile(r"\b(?:in|into|with)\s+an?\s+((?:[\w.'-]+\s+){0,4}?(?:firm|company|startup|start-up|group|"
                      r"lab|developer|maker|provider|operator|business|conglomerate|fund|investor|bank))\b", re.I)
_ANNOUNCES = re.compile(r"\b(?:deal|agreement|investment|partnership|transaction|stake|announc\w*|confirm\w*)\b",
                        re.I)


def unnamed_counterparty(clause: str) -> str | None:
    """The description of a counterparty the clause does not name ("a technology firm"), else ``None``.

    >>> unnamed_counterparty("Acme is investing $1 billion in a technology firm based in Oslo")
    'technology firm'
    """
    m = _UNNAMED.search(clause)
    return m.group(1) if m else None


def named_later(sentence: str, directory: Directory, description: str, exclude: Iterable[str]) -> PartyRef | None:
    """The company a sentence names for a counterparty described before: the first known company, not excluded,
    whose kind fits the description, in a sentence about the deal ("Microsoft and G42 announced the deal")."""
    if not _ANNOUNCES.search(sentence):
        return None
    kinds = description_kinds(description)
    skip = set(exclude)
    for m in directory.mentions(sentence):
        if m.party.id in skip or not m.party.known:
            continue
        if kinds is None or directory.kind(m.party.id) in kinds:
            return m.party
    return None
