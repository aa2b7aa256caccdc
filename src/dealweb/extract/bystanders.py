"""Companies a deal sentence names that are not the deal's parties: a product's maker, the adviser who arranged a loan.

**A product's maker.** News names chips and systems by their maker: "access to Nvidia's GB300 GPUs", "a cluster of Nvidia
H100 GPUs", "AMD Instinct GPUs". The maker is a party when its product is what is bought ("18,000
Nvidia chips" in an order, "will deploy Cerebras accelerators"), but not when:

* the reading is not a sale of the product at all (an investment, a loan, a takeover; a warrant stays, since the
  chip's maker may issue it to its buyer): a startup
  that "plans to build the largest Nvidia H100 cluster" with money it raised takes no money from
  Nvidia, and a buyer that "will deploy AMD GPUs while acquiring a stake" does not acquire AMD;
* the maker would pay for its own product (named only as the maker of what is delivered: "Nscale will
  deliver 100,000 Nvidia graphics processing units to the campus");
* the product is what a customer gets **access to** (rented capacity) and its maker is not itself a
  cloud: the cloud that gives access is paid, not the company that made its chips ("a cloud contract
  with IREN that gives Microsoft access to Nvidia's GPUs").

:func:`without_product_makers` drops such readings when every mention of the party in the sentence
is a product's maker. The clause reader already prefers another named counterparty over a maker
(``sides.drop_makers``); this step handles the readings where the maker was the only one left.

**An arranger.** A broker or adviser that "arranged a $2 billion construction loan" (also *structured*,
*brokered*, *placed*, *advised on*) does not borrow it: the borrower is the company the loan is arranged
"for" or "on behalf of" (the first one named there), and with no such company the reading is dropped.

**An example of the paying side.** "customers such as Nvidia have committed $22 billion", "lenders such as
Macquarie", "backers such as Fidelity": the company named as an example of the customers, lenders or investors
is on the paying side. A reading that makes it the one paid is turned round, or dropped when its payer is
already a pooled group of the same side (the lender group, the pooled investors).

**A source.** "According to Tech Ledger Weekly, Google signed …", "…, people close to the deal told CNBC": a company
the ledger does not hold, named only as the one reporting or quoted, is an outlet or a source, never a party; a
reading with it is dropped. A ledger company named that way ("…, according to Nebius") is often a party telling its
own deal, and stays.

:func:`without_bystanders` applies all four.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dealweb.extract.parties import Directory, Mention, PartyRef
from dealweb.extract.phrases import _CLOUDS, _MAKER_OF_PRODUCT
from dealweb.extract.roles import ClauseDeal
from dealweb.model.vocab import DealKind

__all__ = ["without_bystanders", "without_product_makers"]

# Kinds in which money buys a company, a share of it or a loan: the product's maker is no party to them. (A warrant
# may be the sweetener of an order and is issued by the chip's maker itself: "AMD GPUs … and warrants for shares".)
_NOT_A_SALE = frozenset({DealKind.EQUITY_INVESTMENT, DealKind.ACQUISITION, DealKind.DEBT})
# "access to (some 50,000 of) Nvidia's …": capacity a customer uses, not a sale by the maker.
_ACCESS = re.compile(r"\baccess\s+to\s+(?:(?:the|its|their|some|roughly|about|around|approximately|up to|more than|"
                     r"[\d,.]+|units|of|thousands|hundreds|tens)\s+){0,6}$", re.I)

# Money raised before, spent on a maker's products: "will spend much of it on Nvidia GPUs", "plans to use the funding to
# build …", "the proceeds will buy …". With no figure of its own, such a reading tells how the proceeds are used, not a
# deal with the maker (an order with its own figure stays).
_PROCEEDS = re.compile(r"\b(?:much|most|part|some|all|half|the bulk|a portion|a (?:large|big) (?:part|share))\s+of\s+"
                       r"(?:it|the (?:money|funds|proceeds|capital|cash|funding|new funding))\b|\b(?:the|its) proceeds\b|"
                       r"\b(?:spend|use|utili[sz]e|put|deploy|pour)\w*\s+(?:(?:much|most|part|some|all|half|the\s+bulk|"
                       r"a\s+(?:large\s+|big\s+)?(?:portion|share|chunk))\s+of\s+)?(?:it|the\s+(?:new\s+)?(?:money|funds|funding|"
                       r"proceeds|capital|cash)|this\s+(?:funding|money|capital|cash))\b", re.I)


# "Nvidia GB300 graphics processing units": the product's name spelled out.
_SPELLED_OUT = re.compile(r"(?:'s|’s)?\s+(?:[\w.-]+\s+){0,3}?(?:graphics|tensor|neural)\s+processing\s+units?\b", re.I)


# "Humain's chip agreement", "AMD's GPU deal": the product word describes a deal, not a product.
_DEAL_AFTER = re.compile(r"\s*(?:deals?|agreements?|contracts?|orders?|pacts?|purchases?|supply|partnerships?|sales|"
                         r"accords?|commitments?)\b", re.I)


def _makes(sentence: str, m: Mention) -> bool:
    product = _MAKER_OF_PRODUCT.match(sentence[m.end:m.end + 40]) or _SPELLED_OUT.match(sentence[m.end:m.end + 60])
    return product is not None and not _DEAL_AFTER.match(sentence, m.end + product.end())



def _only_maker(sentence: str, party_id: str, mentions: list[Mention]) -> tuple[bool, bool]:
    """Whether every mention of the party is a product's maker, and whether one of them is after "access to"."""
    named = [m for m in mentions if m.party.id == party_id]
    if not named or not all(_makes(sentence, m) for m in named):
        return False, False
    return True, any(_ACCESS.search(sentence[max(0, m.start - 60):m.start]) for m in named)


def without_product_makers(sentence: str, out: list[ClauseDeal], mentions: list[Mention],
                           directory: Directory) -> list[ClauseDeal]:
    """The readings of a sentence without those whose payer or recipient is only a product's maker (see the notes).

    Examples
    --------
    >>> from dealweb.extract.parties import Directory
    >>> from dealweb.model import Entity
    >>> from dealweb.model.vocab import Qualifier
    >>> from dealweb.extract.parties import PartyRef
    >>> d = Directory([Entity("nvidia", "Nvidia", "chipmaker"), Entity("lambda", "Lambda", "neocloud")])
    >>> s = "Lambda will use the money to build a cluster of Nvidia H100 GPUs."
    >>> x = ClauseDeal(PartyRef("lambda", "Lambda", "Lambda"), PartyRef("nvidia", "Nvidia", "Nvidia"),
    ...                DealKind.EQUITY_INVESTMENT, None, Qualifier.UNDISCLOSED, 0, len(s), 0.3)
    >>> without_product_makers(s, [x], d.mentions(s), d)
    []
    """
    kept = []
    for x in out:
        dropped = False
        for party in (x.payer, x.recipient):
            maker, access = _only_maker(sentence, party.id, mentions)
            if maker and (x.kind in _NOT_A_SALE or (access and directory.kind(party.id) not in _CLOUDS) or
                          (party is x.payer and x.kind is not DealKind.WARRANT) or
                          (x.money is None and _PROCEEDS.search(sentence))):
                dropped = True
        if not dropped:
            kept.append(x)
    return kept


# "Harbor Advisory (Group) has arranged a $2 billion building loan": the subject's verb (after the rest of its name), then
# the loan noun within a few words.
_ARRANGED = re.compile(r"(?:,?\s+(?-i:[A-Z])[\w&.-]*){0,3}\s*(?:(?:has|have|had|also|recently|successfully)\s+){0,2}"
                       r"(?:arrang(?:ed|es|ing)|"
                       r"structur(?:ed|es|ing)|broker(?:ed|s|ing)|placed|advised\s+on)\s+(?:[^\s;]+\s+){0,8}?"
                       r"(?:loans?|financing|facilit(?:y|ies)|debt|credit|notes|bonds)\b", re.I)
# "… on behalf of Blue Owl" / "… for Blue Owl, Crusoe and …": the borrower, right after the words.
_FOR = re.compile(r"\b(?:on behalf of|for)\s+(?:the\s+)?$", re.I)
# "… for a data center project", "for the $15 billion development": a project's loan, whose borrower is its owner.
_FOR_PROJECT = re.compile(r"\b(?:on behalf of|for)\s+(?:a|an|the|its)\s+(?:[^\s;]+\s+){0,6}?(?:project|development|"
                          r"campus|data cent(?:er|re)s?|facility|site|build-?out)\b", re.I)


def _borrower_arranged_for(sentence: str, x: ClauseDeal, mentions: list[Mention]) -> ClauseDeal | None:
    """A debt reading whose borrower only arranged the loan, given its real borrower, or ``None`` to drop it."""
    if x.kind is not DealKind.DEBT or not x.recipient.surface:
        return x
    at = [m.end() for m in re.finditer(re.escape(x.recipient.surface), sentence)]
    arranged = next((_ARRANGED.match(sentence, e) for e in at if _ARRANGED.match(sentence, e)), None)
    if arranged is None:
        return x
    after = arranged.end()
    for m in mentions:
        if after <= m.start < after + 160 and m.party.id not in (x.payer.id, x.recipient.id) and \
                _FOR.search(sentence[max(after, m.start - 20):m.start]):
            return replace(x, recipient=m.party, notes=(*x.notes, "the subject arranged the loan for the borrower"))
    if _FOR_PROJECT.search(sentence, after, after + 160):
        return None
    return x  # "OpenAI arranged a credit facility with banks": its own loan


# "customers such as", "lenders like", "backers including" (and the rest of a list after it).
_PAYING_SIDE = re.compile(r"\b(?:customers|clients|buyers|tenants|lenders|banks|creditors|investors|backers|"
                          r"shareholders)\s+(?:such\s+as|like|including)\s+[^;:()]{0,80}$", re.I)
_POOLED_PAYERS = frozenset({"bank-lenders", "venture-investors", "bond-investors", "various-counterparties"})


def _paying_example(sentence: str, x: ClauseDeal, mentions: list[Mention]) -> ClauseDeal | None:
    """A reading whose recipient is named only as an example of the paying side, turned round (or ``None``)."""
    named = [m for m in mentions if m.party.id == x.recipient.id]
    if not named or not all(_PAYING_SIDE.search(sentence[max(0, m.start - 100):m.start]) for m in named):
        return x
    if x.payer.id in _POOLED_PAYERS or x.kind in (DealKind.JV, DealKind.ACQUISITION, DealKind.WARRANT):
        return None
    return replace(x, payer=x.recipient, recipient=x.payer,
                   notes=(*x.notes, "a company named as one of the customers, lenders or investors pays"))


# "according to The Ledger", "citing Bloomberg", "told Reuters": the name after it is who reports.
_SOURCE_BEFORE = re.compile(r"\b(?:according to|as reported by|reported by|citing|cited by|told)\s+(?:the\s+|The\s+)?$", re.I)


def _only_a_source(sentence: str, party: PartyRef) -> bool:
    """``party`` is a company the ledger does not hold, and every mention of it in the sentence comes right after
    "according to", "citing" or "told".

    A ledger company is left alone: "…, according to Nebius" is as often the provider telling its own deal as an
    outlet reporting it, and the ledger holds the deals' companies, not the press.
    """
    surface = party.surface or party.name
    if party.known or not surface or len(sentence) > 2000:
        return False
    spots = [m.start() for m in re.finditer(re.escape(surface), sentence)]
    return bool(spots) and all(_SOURCE_BEFORE.search(sentence[max(0, i - 30):i]) for i in spots)


def without_bystanders(sentence: str, out: list[ClauseDeal], mentions: list[Mention],
                       directory: Directory) -> list[ClauseDeal]:
    """The readings of a sentence without a product's maker or a loan's arranger as a party (see the notes).

    Examples
    --------
    >>> from dealweb.extract.parties import Directory, PartyRef
    >>> from dealweb.model import Entity
    >>> from dealweb.model.vocab import Qualifier
    >>> d = Directory([Entity("crusoe", "Crusoe", "data_center"), Entity("bank-lenders", "bank lenders", "bank")])
    >>> s = "Cushman arranged a $3 billion loan on behalf of Crusoe."
    >>> x = ClauseDeal(PartyRef("bank-lenders", "bank lenders", "banks"), PartyRef("cushman", "Cushman", "Cushman"),
    ...                DealKind.DEBT, None, Qualifier.UNDISCLOSED, 0, len(s), 0.3)
    >>> [y.recipient.id for y in without_bystanders(s, [x], d.mentions(s), d)]
    ['crusoe']
    """
    kept = []
    for x in without_product_makers(sentence, out, mentions, directory):
        y = _borrower_arranged_for(sentence, x, mentions)
        if y is not None:
            y = _paying_example(sentence, y, mentions)
        if y is not None and (_only_a_source(sentence, y.payer) or _only_a_source(sentence, y.recipient)):
            y = None
        if y is not None:
            kept.append(y)
    return kept
