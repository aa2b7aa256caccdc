"""What the clause rules share: the context carried between sentences, a found deal, a party's role.

:class:`Context` is what earlier sentences tell later ones; :class:`ClauseDeal` is a deal read
from one sentence (before dates and records); :data:`SIGNALS` are the features each reading
records for :mod:`~dealweb.extract.confidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dealweb.extract.amounts import Money
from dealweb.extract.parties import Mention, PartyRef
from dealweb.model.vocab import DealKind, Qualifier

__all__ = ["SIGNALS", "ClauseDeal", "Context", "OpenDeal"]

#: The general features a candidate's confidence is calibrated on (:mod:`~dealweb.extract.confidence`):
#: ``frame`` the direction came from the verb frame table or a role word before a party ("from",
#: "by", "in", "to", a dative), not from entity kinds or word order alone; ``in_sentence`` both
#: parties are named in the sentence (not "it", "the startup", the reporting company or an
#: earlier sentence); ``one_figure`` the clause has exactly one deal figure (or the figures pair
#: up by "respectively"/"each"/gapping); ``strong_kind`` the kind's deal words weigh 5 or more
#: (a "loan", a "joint venture"; not only "capacity" or the seller's entity kind); ``gapped`` one of
#: several deals of one sentence paired by gapping ("and Nvidia up to $10 billion"), "respectively" or
#: "each"; ``itemised`` one of a list of figures each named with its party ("including $800 million
#: from Nvidia and …") or a tranche listed inside a total; ``split_verb`` a second deal of a sentence
#: with its own verb after "and" ("… and lease $2 billion of space from X"); ``linked`` a party or the
#: figure came from another sentence (:mod:`~dealweb.extract.links`: "The customer is X", "The contract is
#: worth $Y", the headline); ``vehicle`` the recipient is a joint venture the text never names, proposed as
#: "<partner>-<partner>-jv"; ``nominal`` the deal was read from a noun phrase with no verb frame
#: (:mod:`~dealweb.extract.nominal`): the direction came from the noun, its preposition or the parties' entity kinds;
#: ``bound`` the figure stands outside the reading's clause (an opening phrase, a parenthesis, a clause of its own)
#: and measures the deal, or a first tranche gave way to the deal's ceiling (:mod:`~dealweb.extract.binding`);
#: ``venture`` partners of a vehicle the text describes rather than forms ("V is a joint venture of A and B", "whose
#: members include", "jointly owned by", "joined V") (:mod:`~dealweb.extract.ventures`); ``collective`` a party was
#: written out from "the two companies", "the pair", "the partners" or a descriptive subject ("the chip giant")
#: (:func:`~dealweb.extract.coref.collective`);
#: ``far_party`` the other party was named two or three sentences away (:func:`~dealweb.extract.followups.pair_named_before`);
#: ``backoff`` nothing else read the sentence and the last-resort reading of two named companies and one deal figure
#: did (:mod:`~dealweb.extract.backoff`): the direction came from prepositions, role words or entity kinds;
#: ``new_org`` a party the ledger does not hold was recognised only by its spelling ("d-Matrix", "B Capital", "Bank of
#: America") or from a weaker position ("a loan for X", "in X" after X was shown to be a company).
SIGNALS = ("frame", "in_sentence", "one_figure", "strong_kind", "gapped", "itemised", "split_verb", "linked", "vehicle",
           "nominal", "bound", "venture", "collective", "far_party", "backoff", "new_org")
_EXPLICIT = frozenset({"from", "by", "in", "to", "dative", "led", "poss", "named", "obj", "on"})

@dataclass(frozen=True, slots=True)
class OpenDeal:
    """A deal a sentence left one-sided: the party named, which side it is on when the words say so, kind, figure."""

    party: PartyRef
    #: "payer", "recipient", or "" when neither the verb nor the party's kind says.
    side: str
    kind: DealKind
    money: Money | None
    #: Sentences since it was told (forgotten after two).
    age: int = 0


@dataclass
class Context:
    """What earlier sentences tell later ones: the companies named, latest last."""

    recent: list[PartyRef] = field(default_factory=list)
    #: The company the text is about at this point: the last deal recipient or reporting company.
    topic: PartyRef | None = None
    #: The payer of the last lease or compute deal: the party a later backstop stands behind.
    tenant: PartyRef | None = None
    #: The last company said to raise money, or to receive an investment: the one "X put in $500 million" funds.
    funded: PartyRef | None = None
    #: A raise whose investors are not named yet ("CoreWeave raised $7.5 billion"): the company, figure and kind,
    #: for a next sentence that names the lead ("Blackstone led the financing").
    open_raise: tuple[PartyRef, Money, DealKind] | None = None
    #: A deal whose counterparty is only described so far ("invests $1.5 billion in a technology firm based in
    #: Abu Dhabi"): payer, figure, kind and the description, for a next sentence that names the firm.
    open_party: tuple[PartyRef, Money | None, DealKind, str] | None = None
    #: Partners of a joint venture agreed before the venture is named ("… agreed to form a joint venture. The new
    #: venture, named X, …"): the next named venture is theirs.
    venture_partners: list[PartyRef] = field(default_factory=list)
    #: A sale whose buyer the sentence did not name ("Samsung has secured a contract to supply chips"): seller,
    #: kind, figure and how many sentences ago; a later sentence naming the buyer completes it.
    pending_sale: tuple[PartyRef, DealKind, Money | None, int] | None = None
    #: The last joint venture the text told of (named, or proposed for partners who never name it) and how many
    #: sentences ago: "Blue Owl will put $4 billion into the venture" pays into it.
    venture: tuple[PartyRef, list[PartyRef], int] | None = None
    #: A deal with one party named and the other left to a later sentence ("Anthropic said it would buy $21
    #: billion of chips." … "The supplier, Broadcom, …"): see :func:`~dealweb.extract.followups.complete_open_deal`.
    open_deal: OpenDeal | None = None
    #: Figureless readings of the last sentence with no verb of doing a deal ("Morgan Stanley arranged a loan for
    #: xAI"): too weak alone, kept only if a next sentence gives the figure ("The financing comes to $5 billion").
    tentative: list[ClauseDeal] = field(default_factory=list)
    #: The companies named in the sentence before this one and in this one, in order of mention.
    previous: list[PartyRef] = field(default_factory=list)
    current: list[PartyRef] = field(default_factory=list)
    #: Money from a named company with no word of its kind ("A is set to receive $X from B"): payer, recipient,
    #: figure and the sentence.
    kindless: tuple[PartyRef, PartyRef, Money, str] | None = None
    #: The companies named in each of the last few sentences and their text (at most 600 characters), latest last:
    #: what a collective reference ("the two companies") or a party named further back is looked up in.
    earlier: list[tuple[list[PartyRef], str]] = field(default_factory=list)
    #: The text of the sentence before (at most 600 characters).
    previous_text: str = ""
    current_text: str = ""

    def note(self, party: PartyRef) -> None:
        self.recent = [*[p for p in self.recent if p.id != party.id][-20:], party]

    def last_other(self, exclude: set[str]) -> PartyRef | None:
        for p in reversed(self.recent):
            if p.id not in exclude and p.known:
                return p
        return None


@dataclass(frozen=True, slots=True)
class ClauseDeal:
    """A deal found in a sentence, before dates and records: offsets are sentence offsets."""

    payer: PartyRef
    recipient: PartyRef
    kind: DealKind
    money: Money | None
    qualifier: Qualifier
    start: int
    end: int
    confidence: float
    notes: tuple[str, ...] = ()
    #: What the reading rests on, for :mod:`~dealweb.extract.confidence` (see :data:`SIGNALS`).
    signals: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Role:
    mention: Mention
    role: str  # subj, from, by, in, to, with, on, of, dative, poss, other
    anaphora: bool = False



def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _pick(roles: list[_Role], order: tuple[str, ...], exclude: set[str]) -> _Role | None:
    for want in order:
        for r in roles:
            if r.role == want and r.mention.party.id not in exclude:
                return r
    return None
