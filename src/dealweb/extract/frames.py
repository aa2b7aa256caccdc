"""Verb frames: which side of the money the grammatical subject is on.

A deal sentence names two companies; the verb says which of them pays. "Nebius will supply
Meta" and "Meta will buy from Nebius" describe the same cash flow (Meta → Nebius) with
opposite subjects. This module holds those verbs as **data**, one row per frame, so a reader
can check or extend the rules without following a chain of conditions.

Each :class:`Frame` says, for the kinds it applies to, whether the subject **pays**
(``payer``) or **is paid** (``recipient``), and which roles name the counterparty, in order
of preference (``from`` "raised … from X", ``by`` a passive agent, ``poss`` "X's
investment", ``to``/``dative``/``with``/``for``/``in``). The frame is found in the text
right after the subject (its verb group): the first row whose pattern matches within the
first few words wins, so a verb of the subject beats one in a later purpose clause.

Direction follows the ledger's table (docs/data-model.md): equity investor → company;
customer → provider for compute, chips and leases; lender → borrower; licensee →
licensor; warrant issuer → holder; acquirer → seller (or target).

=========================== ========= =====================================================
frame                       subject   examples
=========================== ========= =====================================================
order_won                   recipient win / land / book an order or contract from X; secure / receive / disclose an order
                                      from X;
                                      book / win / receive $N from X
supply                      recipient provide / supply / sell / deliver / rent out / lease … to /
                                      build … for / license … to
buy                         payer     buy / purchase / order / rent / lease … from / commit to
                                      spend / sign to use / pay / license (from)
invest                      payer     invest in / back / fund / lead a round / put … into
receive_investment          recipient receive X's investment / raise … from / get funding from
shares_sold                 recipient sell / issue stock or shares … to X
passive_paid                recipient was acquired / funded / backed / financed / bought by X
passive_lent                recipient (a loan) was arranged / underwritten / provided / extended by X
lend                        payer     lend / provide a loan / extend credit / finance X
borrow                      recipient borrow / receive financing / take a loan … from
warrant_holder              recipient receive / obtain / be granted warrants (holder is paid in shares)
warrant_issuer              payer     issue / grant warrants to X
=========================== ========= =====================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dealweb.model.vocab import DealKind

__all__ = ["FRAMES", "Frame", "frame_of"]

_EQ, _DEBT, _WAR = DealKind.EQUITY_INVESTMENT, DealKind.DEBT, DealKind.WARRANT
_PROVIDED = frozenset({DealKind.COMPUTE_COMMITMENT, DealKind.CHIP_PURCHASE, DealKind.LEASE, DealKind.LICENSING})
_AUX = (r"(?:(?:will|would|could|has|have|had|is|are|was|were|be|been|to|also|now|then|has agreed to|agreed to|plans to|"
        r"(?:sign\w*|struck|inked|reached|entered(?: into)?|secur\w*|won|land\w*|clinch\w*)\s+"
        r"(?:an?\s+)?[^;]{0,40}?\b(?:deal|contract|agreement|pact|"
        r"partnership|intent|understanding|MOUs?)\b[^;]{0,50}?\bto|is set to|expects to)\s+)*")


@dataclass(frozen=True, slots=True)
class Frame:
    """One verb frame: the verbs, the kinds they apply to, the subject's side, the counterparty's roles."""

    name: str
    kinds: frozenset[DealKind]
    subject: str  # "payer" or "recipient"
    counter: tuple[str, ...]
    pattern: re.Pattern[str]


def _f(name: str, kinds: frozenset[DealKind], subject: str, counter: tuple[str, ...], verbs: str) -> Frame:
    return Frame(name, kinds, subject, counter, re.compile(r"^\W*(?:[\w.'-]+\s+){0,2}?" + _AUX + r"(?:" + verbs + r")",
                                                           re.I))


#: The frames, most specific first (a passive before the active verbs it shares words with).
FRAMES: tuple[Frame, ...] = (
    _f("passive_paid", frozenset({_EQ, _DEBT, DealKind.ACQUISITION, *_PROVIDED}), "recipient", ("by",),
       r"(?:acquired|bought|purchased|funded|backed|financed|capitali[sz]ed|taken over)\s+by\b"),
    # "xAI's $5 billion loan package was arranged by Morgan Stanley": the arranger lends.
    _f("passive_lent", frozenset({_DEBT}), "recipient", ("by",),
       r"(?:arranged|underwritten|provided|extended|lent|syndicated|structured|committed)\s+by\b"),
    _f("warrant_holder", frozenset({_WAR}), "recipient", ("from", "by", "of", "in", "poss", "with"),
       r"(?:receiv\w*|gets?|got|obtain\w*|secur\w*|earn\w*|acquir\w*|buy\w*|bought|purchas\w*|"
       r"(?:was|were|be|been) (?:granted|issued|given))\b"),
    _f("warrant_issuer", frozenset({_WAR}), "payer", ("to", "dative", "with", "other"),
       r"(?:issu\w*|grant\w*|gave|give\w*)\b"),
    _f("borrow", frozenset({_DEBT}), "recipient", ("from", "by", "poss", "with"),
       r"(?:borrow\w*|(?:receiv\w*|gets?|got|secur\w*|obtain\w*|land\w*|raised?|raises|took|takes?|taking)\b"
       r"[^;]{0,60}?\b(?:financing|loan|credit|debt|facility)\b[^;]{0,40}?\bfrom)\b"),
    _f("lend", frozenset({_DEBT}), "payer", ("to", "dative", "for", "other", "with"),
       r"(?:lend\w*|lent|financ(?:e|es|ed|ing)\b(?!\s+(?:from|by))|(?:provid|extend|offer|arrang|commit)\w*\s+"
       r"(?:an?\s+|the\s+)?(?:[$€£][\w.,\s-]{1,25}?\s+)?(?:[\w-]+\s+){0,3}?(?:loan|credit|financing|debt))\b"),
    _f("receive_investment", frozenset({_EQ}), "recipient", ("poss", "from", "by", "led", "with"),
       r"(?:receiv\w*|gets?|got|secur\w*|land\w*|win|wins|won|accept\w*|rais\w*|clos\w*|took|takes?)\b"
       r"(?:[^;]{0,80}?\bfrom\b|\s+(?:an?\s+|the\s+)?[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)*'s?\s)"),
    # "Microsoft agreed to sell $8 billion of its stock to SoftBank", "Intel will issue new shares to SoftBank": the
    # buyer of the shares invests.
    _f("shares_sold", frozenset({_EQ}), "recipient", ("to", "dative", "other"),
       r"(?:sell|sells|sold|selling|issu(?:e|es|ed|ing))\b[^;]{0,50}?\b(?:stock|shares|equity)\b[^;]{0,40}?\bto\b"),
    _f("invest", frozenset({_EQ}), "payer", ("in", "dative", "obj", "poss", "to", "with", "other", "for"),
       r"(?:invest\w*|back(?:s|ed|ing)?|fund(?:s|ed|ing)?|(?:co-)?le(?:d|ads?|ading)\b[^;]{0,40}?\b(?:round|financing|funding|raise|investment)|"
       r"put\w*\b[^;]{0,40}?\binto|pour\w*|inject\w*|made (?:an?\s+)?[^;]{0,30}?investment|"
       # "dropped $5 billion into X", "pledged $100 billion toward X", "wrote checks for $500 million to X"
       r"(?:drop\w*|sank|sinks?|sinking|plunk\w*|pump\w*)\b[^;]{0,40}?\binto|pledg\w*\b[^;]{0,40}?\btowards?|"
       r"(?:wr[io]te|writ\w*)\b[^;]{0,20}?\b(?:checks?|cheques?))\b"),
    _f("share_received", frozenset({DealKind.REVENUE_SHARE}), "recipient", ("from", "poss", "of", "with", "by"),
       r"(?:earn\w*|receiv\w*|gets?|got|collect\w*|takes?|took|keeps?|kept|expect\w*\b[^;]{0,40}?\bfrom)\b"),
    _f("share_paid", frozenset({DealKind.REVENUE_SHARE}), "payer", ("dative", "to", "with", "other"),
       r"(?:pa(?:y|ys|id|ying)|giv\w*|gave|hand\w*|shar\w*\b(?!\s+(?:from|of)\b))\b"),
    # "Samsung won an order from Tesla", "Nscale landed a €1.3 billion order from Microsoft": the winner sells.
    _f("order_won", _PROVIDED, "recipient", ("from", "poss", "with", "other"),
       r"(?:(?:won|wins|win|winning|land\w*|bag\w*|clinch\w*|book\w*|snag\w*)\b[^;]{0,50}?\b(?:orders?|contracts?|deals?|"
       r"tenders?)\b|(?:secur\w*|receiv\w*|gets?|got|obtain\w*|disclos\w*|announc\w*|reveal\w*|unveil\w*|report\w*|"
       r"confirm\w*)\b[^;]{0,50}?\borders?\b)[^;]{0,40}?\bfrom\b|"
       # "Le Monde will receive a one-time payment from Anthropic", "collects royalties from X": paid by X
       r"(?:receiv\w*|gets?|got|collect\w*|earn\w*)\b[^;]{0,40}?\b(?:payments?|fees?|royalt(?:y|ies)|compensation)\b"
       r"[^;]{0,30}?\bfrom\b|"
       # "IREN booked $9.7 billion from Microsoft": money got from X (not "$5 billion of chips from X")
       r"(?:book\w*|won|wins?|land\w*|bag\w*|secur\w*|receiv\w*|gets?|got|collect\w*|earn\w*)\s+(?:about\s+|roughly\s+|"
       r"nearly\s+|more than\s+|over\s+|up to\s+|as much as\s+)?(?:[A-Z]{0,3}[$€£]|₩|¥)\s?[\d.,]+\s*(?:billion|million|"
       r"trillion|bn|m)?\s+(?:a\s+year\s+|annually\s+)?(?:(?:in|of)\s+(?:[\w-]+\s+){0,2}?(?:business|revenue|contracts?|"
       r"orders?|bookings?|fees?|payments?|royalt(?:y|ies))\s+)?from\b"),
    _f("supply", _PROVIDED, "recipient", ("to", "dative", "for", "with", "other"),
       r"(?:suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|sell(?:s|ing)?|sold|deliver\w*|rent\w* out|"
       r"(?:rent|lease|licen[cs]e)(?:s|d|ing)?\b[^;]{0,50}?\bto\b(?!\s+(?:use|buy|rent|run|power|access))|"
       r"build(?:s|ing)?\b[^;]{0,50}?\bfor\b|built\b[^;]{0,50}?\bfor\b|host(?:s|ed|ing)?)\b"),
    _f("buy", _PROVIDED, "payer", ("from", "with", "dative", "on", "poss", "to", "other"),
       r"(?:buy\w*|bought|purchas\w*|order\w*|(?:rent|lease|licen[cs]e)\w*|commit\w* to (?:spend|buy|purchase|use)|"
       r"sign\w* (?:up )?to (?:use|buy|rent)|pay(?:s|ing)?|paid|spend\w*|spent|tap\w*|us(?:e|es|ing))\b"),
)


def frame_of(head: str, kind: DealKind) -> Frame | None:
    """The frame of the subject's verb group ``head`` (the text right after the subject) for a deal of ``kind``.

    >>> frame_of(" will supply Meta with GPUs", DealKind.COMPUTE_COMMITMENT).subject
    'recipient'
    >>> frame_of(" agreed to buy chips from AMD", DealKind.CHIP_PURCHASE).subject
    'payer'
    >>> frame_of(" was acquired by Cognition", DealKind.ACQUISITION).name
    'passive_paid'
    >>> frame_of(" reported revenue", DealKind.EQUITY_INVESTMENT) is None
    True
    """
    for f in FRAMES:
        if kind in f.kinds and f.pattern.match(head):
            return f
    return None
