"""One sentence → the deals it states: clauses, the parties' roles, direction, amount.

The steps, each a small rule a reader can check against a sentence:

1. **Background is masked.** Non-restrictive clauses (", which is also backed by C,"),
   appositives (", a rival of OpenAI,"), "X-backed" and a trailing ", Microsoft said" name
   companies that are not parties to the deal at hand.
2. **Reporting verbs are peeled.** In "Broadcom disclosed that Anthropic had ordered …"
   the deal is Anthropic's; Broadcom is kept only as the fallback counterparty, and "it"
   right after the verb ("Anthropic said it would purchase …") is the reporter.
3. **Clauses.** ";", ", while", ", and <Name>" and "and <verb>" split a sentence; a clause
   that starts with a verb keeps the previous clause's subject ("… and bought $1 billion of
   its shares").
4. **Roles.** Each named party gets the word before it: ``from``, ``by`` (passive only),
   ``in``/``into``, ``to``, ``with``, ``on``, a dative after *pay/lend/grant*, a possessive,
   or none (a subject when it stands before the deal word). "the startup", "the company"
   and the like point back to the last company named that is not already a party.
5. **Direction** by kind: the subject pays, except that in equity and debt "from X"
   names the payer ("raised $2 billion from X", "a loan from X") and in a passive "by X"
   does; in compute, chip and lease deals the provider (cloud, neocloud, data centre,
   chipmaker) receives, so "CoreWeave expanded its contract with OpenAI" reads OpenAI →
   CoreWeave.
6. **Amount.** The first figure of the clause that is not a valuation, revenue, total,
   price or earlier figure (:func:`~dealweb.extract.amounts.context_role`); several
   subjects with as many figures and "respectively" pair up in order; several subjects
   with one figure are an aggregate and give no candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dealweb.extract.amounts import Money, context_role, find_money, has_vague_billions, sentence_qualifier
from dealweb.extract.coref import refer, unnamed_counterparty
from dealweb.extract.frames import frame_of
from dealweb.extract.gazetteer import guess_kind
from dealweb.extract.parties import Directory, Mention, PartyRef, slug
from dealweb.extract.patterns import cues, kind_of
from dealweb.extract.phrases import (
    _ANAPHORA,
    _BACKGROUND,
    _BOND_SALE,
    _BORROW,
    _BUY_OBJECT,
    _CLOUDS,
    _CUE_ONLY,
    _DATIVE,
    _DEAL_NOUN,
    _DESCRIBED,
    _EACH,
    _EXPLICIT_ROLES,
    _FOLLOW_WORTH,
    _FROM_PAYS,
    _HOLDER_VERB,
    _ISSUE,
    _KIND_BY_PROVIDER,
    _NAMED,
    _OWNS_DEAL,
    _PASSIVE_BY,
    _PREP,
    _PRODUCT_AFTER,
    _PROVIDER_DEALS,
    _RAISE,
    _RECEIVE,
    _REFUSED,
    _REPORTING,
    _SELLER_RANK,
    _SOLD,
    _SPEND,
    _SPLIT,
    _SUPPLIER_VERB,
    _TALKS,
    _TENANT_VERB,
    _UNKNOWN_ROLES,
)
from dealweb.model.vocab import DealKind, Qualifier

__all__ = ["ClauseDeal", "Context", "deals_in_sentence", "mask_background", "split_clauses"]

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


@dataclass(frozen=True, slots=True)
class _Role:
    mention: Mention
    role: str  # subj, from, by, in, to, with, on, of, dative, poss, other
    anaphora: bool = False


def mask_background(sentence: str) -> list[tuple[int, int]]:
    """Character spans that name companies in passing, not as parties.

    >>> s = "Thinking Machines Lab, which is also backed by Nvidia, agreed to buy Nvidia systems."
    >>> [s[a:b] for a, b in mask_background(s)]
    [', which is also backed by Nvidia,']
    """
    spans: list[tuple[int, int]] = []
    for pattern in _BACKGROUND:
        for m in pattern.finditer(sentence):
            if pattern.pattern.startswith(r"\((?:") and re.fullmatch(r"\([A-Z]{2,6}\)", m.group()):
                continue  # "(AWS)" repeats a name; it is not background
            spans.append((m.start(), m.end()))
    return spans


def split_clauses(sentence: str, start: int = 0) -> list[tuple[int, int]]:
    """Clause spans of ``sentence[start:]``.

    >>> s = "Jane Street signed a $6 billion contract with CoreWeave and bought $1 billion of its shares."
    >>> [s[a:b] for a, b in split_clauses(s)]
    ['Jane Street signed a $6 billion contract with CoreWeave', 'bought $1 billion of its shares.']
    """
    spans, pos = [], start
    for m in _SPLIT.finditer(sentence, start):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(sentence):
        spans.append((pos, len(sentence)))
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _roles(sentence: str, a: int, b: int, mentions: list[Mention], first_cue: int,
           masked: list[tuple[int, int]] = []) -> list[_Role]:  # noqa: B006 (read only)
    out: list[_Role] = []
    for m in mentions:
        before = sentence[max(a, m.start - 40):m.start]
        after = re.sub(r"^\s+(?:Inc|Corp|Co|Ltd|LLC|PLC|Group)\.?(?=')", "", sentence[m.end:m.end + 50])
        if re.search(r"\b(?:co-)?led by\s*$|\bled by\s+(?:[\w-]+\s+){1,3}$", before, re.I):
            role = "led"
        elif _NAMED.search(before):
            role = "named"
        elif _BUY_OBJECT.search(before) and not _PRODUCT_AFTER.match(sentence[m.end:m.end + 40]):
            role = "obj"
        elif _OWNS_DEAL.match(after) and (m.start >= first_cue or _PREP.search(before)):
            role = "poss"
        elif _PASSIVE_BY.search(before):
            role = "by"
        elif (p := _PREP.search(before)) is not None:
            role = p.group(1).lower()
            role = {"into": "in", "by": "by_other"}.get(role, role)
        elif _DATIVE.search(before):
            role = "dative"
        elif m.start < first_cue:
            role = "pre"
        elif after.startswith("'s"):
            role = "poss"
        else:
            role = "other"
        out.append(_Role(m, role))
    # The subject: the last name before the deal word, with the names joined to it by "and" or a
    # comma ("Amazon and Google will invest"); "banks including JPMorgan and Goldman" is the banks.
    pre = [i for i, r in enumerate(out) if r.role == "pre"]
    chain: list[int] = []
    if pre:
        chain = [pre[-1]]
        while chain[0] > 0 and out[chain[0] - 1].role == "pre":
            gap = _unmasked(sentence[:out[chain[0]].mention.start], out[chain[0] - 1].mention.end, masked)
            if re.fullmatch(r"(?:'s)?\s*(?:,|and|, and|&)\s*(?:[a-z][\w-]*\s+){0,4}?", gap):  # "and AI giant OpenAI"
                chain.insert(0, chain[0] - 1)
            elif re.fullmatch(r"\s*(?:,\s*)?(?:including|such as|led by|among them)\s*", gap):
                chain = [chain[0] - 1]
            else:
                break
    return [_Role(r.mention, "subj" if i in chain else ("other" if r.role == "pre" else r.role))
            for i, r in enumerate(out)]


_VEHICLE = re.compile(r"\b(?:named|called|dubbed|known as)\s+[\"“']?([A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|&))*)")
_OWN_COMPANY = re.compile(r"\b(?:his|her|their|our)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|group|business|conglomerate)\b",
                          re.I)
_VENTURE_NAMED = re.compile(r"\b(?:venture|JV|joint company|entity|vehicle)\b[^.;]{0,40}?\b(?:named|called|dubbed|known as)\s",
                            re.I)
# Verbs of putting money into a venture already named ("Oracle and MGX would contribute $7 billion apiece").
_CONTRIBUTE = re.compile(r"\b(?:contribut\w*|commit\w*|put\w* (?:up|in)|chip\w* in)\b", re.I)


def _named_vehicles(sentence: str, mentions: list[Mention], directory: Directory) -> list[Mention]:
    """A name after "named"/"called" is one party, even when it contains a partner's name ("SB OpenAI Japan")."""
    out = mentions
    for m in _VEHICLE.finditer(sentence):
        a, b = m.span(1)
        name = m.group(1)
        if any(x.start == a and x.end == b for x in out) or len(name.split()) < 2:
            continue
        out = [x for x in out if not (a <= x.start and x.end <= b)]
        out.append(Mention(a, b, PartyRef(slug(name), name, name, known=False)))
        out.sort(key=lambda x: x.start)
    return out


def _venture_deals(sentence: str, mentions: list[Mention], context: Context, start: int, end: int) -> list[ClauseDeal]:
    """The venture agreed in an earlier sentence is named here: one figureless deal per partner."""
    if not context.venture_partners or not _VENTURE_NAMED.search(sentence):
        return []
    named = next((m for m in mentions if _NAMED.search(sentence[max(0, m.start - 20):m.start])), None)
    if named is None:
        return []
    partners, context.venture_partners = context.venture_partners, []
    return [ClauseDeal(p, named.party, DealKind.JV, None, Qualifier.UNDISCLOSED, start, end, 0.5,
                       ("the venture is named in a later sentence than the one agreeing it",))
            for p in partners if p.id != named.party.id]


_BUYER_WORD = re.compile(r"\b(?:buyer|customer|client|purchaser)s?\b", re.I)


def _buyer_named_later(sentence: str, mentions: list[Mention], out: list[ClauseDeal],
                       context: Context, directory: Directory) -> list[ClauseDeal]:
    """Complete a sale whose buyer an earlier sentence left out (see :attr:`Context.pending_sale`).

    The buyer is the payer of a deal with the same seller in this sentence ("Meta is committing
    $15 billion to buy more capacity from Nebius" after "Nebius is providing $12 billion of
    compute"), or the company named after "the buyer"/"the customer" ("identified the buyer:
    Tesla"). The pending sale is forgotten after two sentences.
    """
    if context.pending_sale is None:
        return []
    seller, kind, money, age = context.pending_sale
    if out and out[0].money is None and out[0].payer.id == seller.id and out[0].kind is kind:
        return []
    buyer = next((x.payer for x in out if x.recipient.id == seller.id and x.payer.id != seller.id), None)
    if buyer is not None and any(x.money is not None and money is not None and x.money.amount == money.amount
                                 for x in out if x.recipient.id == seller.id):
        buyer = None  # the same deal told again
    cue = _BUYER_WORD.search(sentence)
    if buyer is None and cue is not None:
        buyer = next((m.party for m in mentions if m.start > cue.start() and m.party.id != seller.id), None)
        if buyer is None:  # a buyer the ledger does not hold yet
            rest = directory.unknown_orgs(sentence[cue.end():], [])
            buyer = rest[0].party if rest and rest[0].party.id != seller.id else None
    if buyer is None:
        context.pending_sale = None if age >= 2 else (seller, kind, money, age + 1)
        return []
    context.pending_sale = None
    if kind is DealKind.CHIP_PURCHASE and directory.kind(seller.id) in _CLOUDS:
        kind = DealKind.COMPUTE_COMMITMENT  # GPUs from a cloud are rented capacity
    qualifier = money.qualifier if money is not None else Qualifier.UNDISCLOSED
    return [ClauseDeal(buyer, seller, kind, money, qualifier, 0, len(sentence), 0.5,
                       ("the buyer is named in a later sentence than the sale",))]


def _unmasked(sentence: str, start: int, masked: list[tuple[int, int]]) -> str:
    """``sentence[start:]`` with the background spans cut out (the subject's verb group, not a clause about it)."""
    out, pos = [], start
    for a, b in sorted(masked):
        if b <= pos:
            continue
        if a > pos:
            out.append(sentence[pos:a])
        pos = max(pos, b)
    out.append(sentence[pos:])
    return "".join(out)


def _subject_by_verb(sentence: str, roles: list[_Role], kind: DealKind | None,
                     masked: list[tuple[int, int]]) -> list[_Role]:
    """The subject is the name before the deal's verb, not the last name before the deal word.

    In "Amazon backed Anthropic with a $4 billion investment" the name nearest the deal word
    is the object; a verb frame right after an earlier name makes that name the subject, and
    the old subject becomes the verb's object (``dative``).
    """
    subjects = [r for r in roles if r.role == "subj"]
    if kind is None or not subjects:
        return roles
    first = subjects[0].mention.start
    earlier = [r for r in roles if r.role == "other" and r.mention.end <= first]
    for r in earlier:
        head = sentence[r.mention.end:r.mention.end + 90]
        if _unmasked(sentence, r.mention.end, masked)[:90] != head:
            continue  # background between the name and the verb: not this name's verb
        frame = frame_of(head, kind)
        if frame is None:
            continue
        verb_at = r.mention.end + frame.pattern.match(head).end()  # type: ignore[union-attr]
        if verb_at > first:
            continue
        new = {id(x) for x in roles if r.mention.start <= x.mention.start and x.mention.end <= verb_at
               and x.role in ("other", "subj") and x.mention.start < first}
        return [_Role(x.mention, "subj", x.anaphora) if id(x) in new else
                (_Role(x.mention, "dative", x.anaphora) if x.role == "subj" else x) for x in roles]
    return roles


def _pick(roles: list[_Role], order: tuple[str, ...], exclude: set[str]) -> _Role | None:
    for want in order:
        for r in roles:
            if r.role == want and r.mention.party.id not in exclude:
                return r
    return None


def deals_in_sentence(sentence: str, directory: Directory, context: Context) -> list[ClauseDeal]:
    """The deals one sentence states (see the module notes for the rules).

    Examples
    --------
    >>> from dealweb.model import Entity
    >>> d = Directory([Entity("microsoft", "Microsoft", "cloud_provider"), Entity("nvidia", "Nvidia", "chipmaker"),
    ...                Entity("anthropic", "Anthropic", "ai_lab")])
    >>> s = "Microsoft will invest up to $5 billion into Anthropic, while Nvidia will invest up to $10 billion into the startup."
    >>> for x in deals_in_sentence(s, d, Context()):
    ...     print(x.payer.id, x.recipient.id, x.kind.value, x.money.amount, x.qualifier.value)
    microsoft anthropic equity_investment 5000000000 up_to
    nvidia anthropic equity_investment 10000000000 up_to
    """
    masked = mask_background(sentence)
    all_mentions = directory.mentions(sentence)
    # A caption glued to the first word ("AnthropicMicrosoft") leaves two names with no space between.
    all_mentions = [m for i, m in enumerate(all_mentions)
                    if not (i + 1 < len(all_mentions) and all_mentions[i + 1].start == m.end)]
    all_mentions = _named_vehicles(sentence, all_mentions, directory)
    reporter: PartyRef | None = None
    body_start = 0
    rep = _REPORTING.match(sentence)
    if rep and re.match(r"(?:a|an|the|its|their|plans|details)\b", sentence[rep.end():], re.I):
        rep = None  # "Akamai disclosed a $1.8 billion contract": Akamai is a party, not a reporter
    if rep:
        who_end = rep.end("who")
        inside = [m for m in all_mentions if m.end <= who_end]
        if not inside:
            # An unknown name: the last one is the head ("Alternative asset manager Blackstone").
            inside = directory.unknown_orgs(sentence[:who_end], [(m.start, m.end) for m in all_mentions])[-1:]
        if inside:
            reporter = inside[0].party
        elif _DESCRIBED.fullmatch(rep.group("who").strip()):
            reporter = refer(context, rep.group("who"), directory, prefer_topic=True)  # "The AI cloud startup said it …"
        if reporter is not None:
            body_start = rep.end()
            context.topic = reporter
    mentions = [m for m in all_mentions if m.start >= body_start and not _inside(m.start, masked)]
    taken = [(m.start, m.end) for m in all_mentions]
    money_all = [m for m in find_money(sentence) if not _inside(m.start, masked)]
    hearsay = sentence_qualifier(sentence)
    if _REFUSED.search(sentence):
        return []  # refusals, denials and deals called off are not deals
    talks = _TALKS.search(sentence) is not None
    out: list[ClauseDeal] = []
    prev_subject: list[_Role] = []
    for a, b in split_clauses(sentence, body_start):
        clause = sentence[a:b]
        quiet = masked + [(x.start() + a, x.end() + a) for pattern in _CUE_ONLY for x in pattern.finditer(clause)]
        clause_mentions = [m for m in mentions if a <= m.start < b]
        extra = [x for x in directory.unknown_orgs(clause, [(s - a, e - a) for s, e in taken])
                 if not _inside(x.start + a, masked)]
        clause_mentions += [Mention(x.start + a, x.end + a, x.party) for x in extra]
        if reporter is not None and not any(m.party.id == reporter.id for m in clause_mentions):
            # "SoftBank's CEO said his company and OpenAI agreed …": the speaker's own company is the reporter.
            clause_mentions += [Mention(x.start() + a, x.end() + a, reporter) for x in _OWN_COMPANY.finditer(clause)
                                if not _inside(x.start() + a, masked)][:1]
        clause_mentions.sort(key=lambda m: m.start)
        # Deal words inside a name ("Public Sector Pension Investment Board") do not vote on the kind.
        names_here = [(m.start, m.end) for m in clause_mentions] + [(x.start, x.end) for x in all_mentions]
        every = [c for c in cues(clause) if not _inside(c.start + a, names_here)]
        found = [c for c in every if not _inside(c.start + a, quiet)]
        # A deal word right after the figure names what it buys ("$30 billion debt offering"): it counts double.
        near = [(m.end - a, m.end - a + 15) for m in money_all if a <= m.start < b]
        kind = kind_of(found + [c for c in found if _inside(c.start, near)])
        if kind is None:
            # Only a purpose clause names a kind ("will pay Fluidstack $3 billion to build data centres").
            purpose = [(x.start() + a, x.end() + a) for x in _CUE_ONLY[-1].finditer(clause)]
            found = [c for c in every if not _inside(c.start + a, [q for q in quiet if q not in purpose])]
            kind = kind_of(found)
        first_cue = a + (min((c.start for c in found), default=len(clause)))
        roles = [r for r in _roles(sentence, a, b, clause_mentions, first_cue, masked)
                 if r.mention.party.known or r.role in _UNKNOWN_ROLES or
                 (r.role == "in" and kind is DealKind.EQUITY_INVESTMENT)]
        roles = _subject_by_verb(sentence, roles, kind, masked)
        subjects = [r for r in roles if r.role == "subj"]
        if any(r.role == "obj" for r in roles) and kind in (None, DealKind.COMPUTE_COMMITMENT, DealKind.LEASE,
                                                            DealKind.ACQUISITION):
            kind = DealKind.ACQUISITION  # "agreed to buy Aligned Data Centers from Macquarie"
        lead = clause[:40].lower()
        if not subjects and reporter is not None and re.match(r"\s*(?:it|they|the company)\b", lead):
            subjects = [_Role(Mention(a, a + 2, reporter), "subj", anaphora=True)]
        if not subjects and (d := _DESCRIBED.match(clause.lstrip())) is not None:
            # "The Google parent is marketing …", "It also agreed …": the company the text is about.
            ref = refer(context, d.group(), directory, prefer_topic=True)
            if ref is not None and not any(r.mention.party.id == ref.id for r in roles):
                subjects = [_Role(Mention(a, a + d.end(), ref), "subj", anaphora=True)]
        if not subjects and prev_subject and not re.match(r"\s*(?:the|a|an|its)\b", lead):
            subjects = prev_subject
        if subjects:
            prev_subject = subjects
        for r in roles:
            context.note(r.mention.party)
        if kind is None and out and out[-1].money is None and _FOLLOW_WORTH.match(clause):
            figure = next((m for m in money_all if a <= m.start < b and context_role(sentence, m) == "deal"), None)
            if figure is not None:
                last = out[-1]
                out[-1] = ClauseDeal(last.payer, last.recipient, last.kind, figure, figure.qualifier, last.start, b,
                                     last.confidence, (*last.notes, "the amount comes from the next clause"))
            continue
        if kind is None and (_DEAL_NOUN.search(clause) or _SPEND.search(clause)):
            kind = _kind_by_provider([r.mention.party.id for r in [*roles, *subjects]], directory)
        if kind is None:
            continue
        money = [m for m in money_all if a <= m.start < b and context_role(sentence, m) == "deal"]
        if not money and not has_vague_billions(clause) and not any(c.action for c in found):
            continue
        # "the startup", "it" in a party position: the last company named that is not a party yet.
        for m in _ANAPHORA.finditer(clause):
            word = m.group().lower()
            if any(x.mention.start <= m.start() + a < x.mention.end for x in roles):
                continue
            before = sentence[max(a, a + m.start() - 25):a + m.start()]
            p = _PREP.search(before)
            if p is None and not _DATIVE.search(before):
                continue
            if word in ("it", "its") and p is not None and p.group(1).lower() not in ("in", "into", "with", "from", "of"):
                continue
            ref = refer(context, m.group(), directory, {s.mention.party.id for s in subjects})
            if ref is not None:
                role = (p.group(1).lower() if p else "dative")
                roles.append(_Role(Mention(a + m.start(), a + m.end(), ref), "in" if role == "into" else role, True))
        others = [r for r in roles if r.role != "subj"]
        if kind is DealKind.DEBT and not subjects and not others:
            continue
        head = _unmasked(sentence, subjects[-1].mention.end, masked)[:90] if subjects else ""
        pairs = _pairs(kind, subjects, others, money, clause, head, reporter, directory, context, sentence)
        pairs += _gapped(sentence, pairs, money, clause_mentions, directory)
        for payer, recipient, mon, conf_bits in pairs:
            if _is_lender(payer.id, directory) and _is_lender(recipient.id, directory):
                continue  # "JPMorgan and MUFG are among the banks leading …": the borrower is not named here
            deal_kind = kind
            if kind in (DealKind.EQUITY_INVESTMENT, DealKind.COMPUTE_COMMITMENT) and _is_venture(recipient.id, directory):
                deal_kind = DealKind.JV  # money put into a joint venture the ledger knows
            if kind is DealKind.CHIP_PURCHASE and directory.kind(recipient.id) in _CLOUDS:
                deal_kind = DealKind.COMPUTE_COMMITMENT  # GPUs from a cloud are rented capacity
            if talks:
                conf_bits = [*conf_bits, "talks, not a signed deal: a ledger holds it as rumored"]
            qualifier = mon.qualifier if mon is not None else Qualifier.UNDISCLOSED
            if mon is not None and qualifier is Qualifier.EXACT and (hearsay is not None or talks):
                qualifier = Qualifier.ESTIMATE
            confidence = 0.55 + (0.15 if mon is not None else 0) + (0.1 if payer.known and recipient.known else -0.15)
            confidence -= 0.1 * len(conf_bits)
            out.append(ClauseDeal(payer, recipient, deal_kind, mon, qualifier, a, b, round(max(0.05, min(confidence, 0.95)), 2),
                                  tuple(conf_bits)))
        for x in out:
            context.note(x.recipient)
            context.topic = x.recipient
            if x.kind is DealKind.EQUITY_INVESTMENT:
                context.funded = x.recipient
            if x.kind in (DealKind.LEASE, DealKind.COMPUTE_COMMITMENT):
                context.tenant = x.payer
    if not any(x.kind is DealKind.JV for x in out):
        out += _venture_deals(sentence, mentions, context, body_start, len(sentence))
    out += _buyer_named_later(sentence, mentions, out, context, directory)
    return _backstop_takes_figure(out)


def _backstop_takes_figure(out: list[ClauseDeal]) -> list[ClauseDeal]:
    """"X placed a $6.3 billion order with Y and must buy any capacity Y cannot sell": one backstop with the figure."""
    for i, x in enumerate(out):
        if x.kind is DealKind.BACKSTOP and x.money is None:
            twin = next((y for y in out if y is not x and y.money is not None and y.payer.id == x.payer.id
                         and y.recipient.id == x.recipient.id), None)
            if twin is not None:
                out[i] = ClauseDeal(x.payer, x.recipient, x.kind, twin.money, twin.qualifier, twin.start, x.end,
                                    x.confidence, (*x.notes, "the figure is the order the backstop stands behind"))
                return [y for y in out if y is not twin]
    return out


# A raise from the public (an IPO, a listing, a share sale on the market) has no lead investor to name.
_IPO = re.compile(r"\b(?:IPO|initial public offering|listing|flotation|went public|public offering)\b", re.I)


def _kind_by_provider(ids: list[str], directory: Directory) -> DealKind | None:
    """What is sold, from the most specific seller named: a chipmaker sells chips, a landlord space, a cloud compute."""
    kinds = {k.value for k in (directory.kind(eid) for eid in ids) if k is not None}
    for seller in ("chipmaker", "data_center", "neocloud", "cloud_provider", "ai_lab"):
        if seller in kinds:
            return _KIND_BY_PROVIDER[seller]
    return None


_Pair = tuple[PartyRef, PartyRef, Money | None, list[str]]


def _pairs(kind: DealKind, subjects: list[_Role], others: list[_Role], money: list[Money], clause: str, head: str,
           reporter: PartyRef | None, directory: Directory, context: Context, sentence: str = "") -> list[_Pair]:
    """Payer and recipient of a clause's deal. ``head`` is the text right after the subject (its verb)."""
    notes: list[str] = []
    by = [r for r in others if r.role == "by"]
    if kind is DealKind.EQUITY_INVESTMENT:
        recipient_order: tuple[str, ...] = ("in", "poss", "dative", "to", "with", "of", "other", "on", "at", "for")
    else:
        recipient_order = ("from", "dative", "on", "poss", "with", "to", "in", "of", "other", "at", "for", "through")
    payers: list[_Role] = []
    special = _frame_pairs(kind, subjects, others, money, clause, directory, context, notes)
    if special is not None:
        return special
    frame = frame_of(head, kind) if subjects and kind in (DealKind.EQUITY_INVESTMENT, DealKind.DEBT) else None
    if frame is not None and frame.subject == "recipient":
        # "xAI was funded by Nvidia", "CoreWeave received financing from Blackstone": the subject is paid.
        counter = _pick(others, frame.counter, {s.mention.party.id for s in subjects})
        listed = counter is not None and any(
            re.fullmatch(r"\s*(?:,|and|, and|&)\s*", sentence[counter.mention.end:r.mention.start])
            for r in others if r.mention.start > counter.mention.end)
        if counter is not None and listed and kind is DealKind.EQUITY_INVESTMENT:
            return []  # "from Microsoft and Nvidia" with one figure: an aggregate, not one investor's deal
        if counter is not None and not listed and sum(r.role == counter.role for r in others) == 1:
            return _single(counter.mention.party, subjects[0].mention.party, money, [*notes, f"verb frame: {frame.name}"])
    poss = next((r for r in others if r.role == "poss"), None)
    if subjects and poss is not None and kind not in _PROVIDER_DEALS:
        at = head.find(poss.mention.party.surface)
        if at >= 0 and _RECEIVE.match(head[:at]):
            # "Anthropic will receive Google's $2 billion investment": the possessor pays the subject.
            return _single(poss.mention.party, subjects[0].mention.party, money, notes)
    led = [r for r in others if r.role == "led"]
    if led and kind in _FROM_PAYS:
        # "a $4 billion credit facility led by J.P. Morgan", "a round led by General Catalyst": the lead pays.
        target = subjects[0] if subjects else _pick(others, ("in", "to", "for", "poss", "with"), {led[0].mention.party.id})
        if target is None:
            return []
        return _single(led[0].mention.party, target.mention.party, money, notes)
    issuer = subjects[0] if subjects else next((r for r in others if r.role == "poss"), None)
    if kind is DealKind.DEBT and issuer is not None and _BOND_SALE.search(clause) and _ISSUE.search(clause) \
            and not any(r.role in ("from", "by") for r in others) and not _is_lender(issuer.mention.party.id, directory):
        group = directory.entities.get("bond-investors")
        if group is not None:
            return _single(PartyRef(group.id, group.name, "bonds"), issuer.mention.party, money, notes)
    if kind is DealKind.DEBT and _BORROW.search(clause) and subjects and not any(r.role in ("from", "by", "with")
                                                                                 for r in others):
        group = directory.entities.get("bank-lenders")
        if group is None:
            return []
        return _single(PartyRef(group.id, group.name, "lenders"), subjects[0].mention.party, money,
                       ["no lender named; entered as the lender group"])
    if kind in (DealKind.EQUITY_INVESTMENT, DealKind.DEBT) and subjects and _RAISE.match(head) \
            and not any(r.role in ("from", "by", "led") for r in others):
        context.funded = subjects[0].mention.party
        if money and not _IPO.search(clause):
            context.open_raise = (subjects[0].mention.party, money[0], kind)
    if kind is DealKind.EQUITY_INVESTMENT and _RAISE.match(head) and not any(r.role in ("from", "by") for r in others):
        return []  # "raised $75 billion in its IPO": the investors are not named
    if kind is DealKind.EQUITY_INVESTMENT and _SOLD.search(head) and subjects:
        buyer = next((r for r in others if r.role == "to"), None)
        if buyer is None:
            return []
        return _single(buyer.mention.party, subjects[0].mention.party, money, notes)  # "Intel sold a stake to X"
    if by:
        payers = by[:1]
    elif kind in _FROM_PAYS and any(r.role == "from" for r in others):
        payers = [r for r in others if r.role == "from"]
        if subjects:
            others = [*subjects, *[r for r in others if r.role != "from"]]
            recipient_order = ("subj", *recipient_order)
    else:
        payers = subjects
    # Bond sales and bank loans without named lenders: the group stands in for them.
    if kind is DealKind.DEBT and not payers and not subjects:
        return []
    if kind is DealKind.DEBT and _BOND_SALE.search(clause) and not any(r.role == "from" for r in others):
        group = directory.entities.get("bond-investors")
        if group is not None and subjects and re.search(r"\b(?:sold|sells|sell|issued|issues|raised|raises|priced)\b",
                                                        clause, re.I):
            return _single(PartyRef(group.id, group.name, "bonds"), subjects[0].mention.party, money, notes)
    if not payers:
        return []
    exclude = {p.mention.party.id for p in payers}
    if len(payers) == 2 and kind in (*_PROVIDER_DEALS, DealKind.LICENSING) and not others and _DEAL_NOUN.search(clause):
        # "Tesla and Samsung have entered into a contract worth …": one deal between the two; the seller by its kind.
        one, two = payers[0].mention.party, payers[1].mention.party
        if _rank(kind, one, directory) > _rank(kind, two, directory):
            one, two = two, one
        if _rank(kind, one, directory) == _rank(kind, two, directory):
            return []
        return _single(one, two, money, [*notes, "two parties as joint subject; the seller by its kind"])
    if len(payers) > 1:
        recipient = _pick(others, recipient_order, exclude) or _context_venture(kind, clause, context, exclude, directory)
        if recipient is None:
            return []
        if "respectively" in clause.lower() and len(money) == len(payers):
            return [(p.mention.party, recipient.mention.party, m, []) for p, m in zip(payers, money, strict=True)]
        if _EACH.search(clause) and len(money) == 1:
            return [(p.mention.party, recipient.mention.party, money[0], []) for p in payers]
        group = directory.entities.get("bank-lenders")
        if kind is DealKind.DEBT and group is not None:
            # Several named lenders and one figure: a syndicate, entered as one loan from the group.
            return _single(PartyRef(group.id, group.name, "lenders"), recipient.mention.party, money,
                           ["several lenders named; entered as the lender group"])
        return []  # several payers, one figure: an aggregate, not one deal per payer
    recipient = _pick([r for r in others if r not in payers], recipient_order, exclude)
    if recipient is None and reporter is not None and reporter.id not in exclude:
        recipient = _Role(Mention(0, 0, reporter), "reporter", anaphora=True)
        notes.append("counterparty is the company reporting the deal")
    if recipient is None and kind is DealKind.BACKSTOP:
        # "Google … providing a backstop totaling $1.3 billion": for the tenant the text is about.
        ref = next((p for p in (context.tenant, context.topic) if p is not None and p.id not in exclude), None) \
            or context.last_other(exclude)
        if ref is not None:
            recipient = _Role(Mention(0, 0, ref), "context", anaphora=True)
    if recipient is None:
        recipient = _context_venture(kind, clause, context, exclude, directory)
    if recipient is None and kind in _PROVIDER_DEALS and len(payers) == 1 and payers[0].role == "subj" and \
            (frame := frame_of(head, kind)) is not None and frame.subject == "recipient":
        # The supplier as subject with no buyer named: a later sentence may name the buyer.
        context.pending_sale = (payers[0].mention.party, kind, money[0] if money else None, 0)
        return []
    if recipient is None and kind in _PROVIDER_DEALS:
        # "OpenAI will buy six gigawatts of Instinct chips": the vendor named just before.
        vendor = next((p for p in reversed(context.recent) if p.id not in exclude and directory.is_provider(p.id)), None)
        if vendor is not None:
            recipient = _Role(Mention(0, 0, vendor), "context", anaphora=True)
    if recipient is None and money and kind is DealKind.EQUITY_INVESTMENT and payers[0].role == "subj" \
            and context.funded is not None and context.funded.id not in exclude:
        # "SoftBank put in about $500 million": the company whose raise the text is about.
        ref = context.funded
        if ref is not None:
            recipient = _Role(Mention(0, 0, ref), "context", anaphora=True)
            notes.append("the company invested in is named in an earlier sentence")
    if recipient is None and kind is DealKind.EQUITY_INVESTMENT and payers[0].role == "subj" \
            and (described := unnamed_counterparty(clause)) is not None:
        context.open_party = (payers[0].mention.party, money[0] if money else None, kind, described)
    if recipient is None:
        return []
    payer = payers[0]
    if payer.anaphora or recipient.anaphora:
        notes.append("a party was named by reference ('the startup', 'it')")
    pay, rec = payer.mention.party, recipient.mention.party
    if kind in _PROVIDER_DEALS and _seller_first(kind, pay, rec, payer, recipient, head, directory):
        pay, rec = rec, pay
    if kind is DealKind.DEBT and recipient.role in ("with", "poss", "other", "context", "reporter") \
            and _financier(rec, directory) and not _financier(pay, directory):
        # "X closed a debt financing with Macquarie": no verb says who lends, and a bank or fund lends to a company.
        pay, rec = rec, pay
        notes.append("the lender is the bank or fund; no verb said who lends")
    return _single(pay, rec, money, notes)


def _financier(party: PartyRef, directory: Directory) -> bool:
    kind = directory.kind(party.id)
    if kind is not None:
        return kind.value in ("bank", "investor")
    return bool(re.search(r"\b(?:Capital|Bank|Credit|Lending|Finance|Financial|Partners|Asset Management|Investments?)\b",
                          party.name))


def _frame_pairs(kind: DealKind, subjects: list[_Role], others: list[_Role], money: list[Money], clause: str,
                 directory: Directory, context: Context, notes: list[str]) -> list[_Pair] | None:
    """Kinds whose direction the verb frame decides: acquisitions, joint ventures, warrants taken by the holder.

    ``None`` when the generic rules apply.
    """
    by = [r for r in others if r.role == "by"]
    if kind is DealKind.ACQUISITION:
        # Acquirer → seller when "from X" names one, else → the target.
        buyer = by[0] if by else (subjects[0] if subjects else next((r for r in others if r.role == "poss"), None))
        if buyer is None:
            return []
        rest = [r for r in others if r is not buyer]
        if by and subjects:
            rest = [*subjects, *rest]
        seller = next((r for r in rest if r.role == "from"), None) or _pick(
            rest, ("obj", "subj", "other", "of", "dative", "poss", "for", "in", "with", "to"), {buyer.mention.party.id})
        if seller is None:
            return []
        return _single(buyer.mention.party, seller.mention.party, money, notes)
    if kind is DealKind.JV:
        # Partners → the venture, when the venture has a name ("a joint venture named SB OpenAI Japan").
        venture = next((r for r in others if r.role == "named" or _is_venture(r.mention.party.id, directory)), None)
        joined = [r for r in others if r is not venture and r.role in ("with", "between")]
        if joined:  # "with GIC and CPP Investments": the names listed after the first partner are partners too
            joined += [r for r in others if r.role == "other" and r.mention.start > joined[0].mention.start
                       and r is not venture and r not in joined]
        partners = [*subjects, *joined]
        if venture is None and partners:
            context.venture_partners = [p.mention.party for p in partners]  # the venture may be named later
        if venture is None or not partners:
            return []
        if len(partners) > 1 and len(money) == 1 and not _EACH.search(clause):
            money = []  # one figure for several partners is the venture's total, not each partner's part
        if len(partners) > 1 and "respectively" in clause.lower() and len(money) == len(partners):
            return [(p.mention.party, venture.mention.party, m, []) for p, m in zip(partners, money, strict=True)]
        return [(p.mention.party, venture.mention.party, money[0] if money else None, list(notes))
                for p in partners if p.mention.party.id != venture.mention.party.id]
    if kind is DealKind.WARRANT and subjects and _HOLDER_VERB.search(clause):
        # "Google received warrants …": the subject holds them; the issuer is "from X" or the company just named.
        holder = subjects[0].mention.party
        issuer = next((r.mention.party for r in others if r.role in ("from", "by", "in", "of", "poss")), None) \
            or context.last_other({holder.id})
        if issuer is None:
            return []
        return _single(issuer, holder, money, [*notes, "the warrant holder is the subject"])
    return None


def _gapped(sentence: str, pairs: list[_Pair], money: list[Money], mentions: list[Mention],
            directory: Directory) -> list[_Pair]:
    """Gapping: "A will invest up to $10 billion and B up to $5 billion in C" — B's deal shares A's verb and C."""
    if len(pairs) != 1 or len(money) != 2 or pairs[0][2] is not money[0]:
        return []
    payer, recipient = pairs[0][0], pairs[0][1]
    for m in mentions:
        if money[0].end <= m.start < money[1].start and m.party.id not in (payer.id, recipient.id) \
                and re.fullmatch(r"\s*,?\s*(?:and|while|with)\s+", sentence[money[0].end:m.start]) \
                and re.fullmatch(r"\s*(?:would|will|could)?\s*", sentence[m.end:money[1].start]):
            return [(m.party, recipient, money[1], ["the verb and counterparty are shared with the clause before"])]
    return []


def _context_venture(kind: DealKind, clause: str, context: Context, exclude: set[str],
                     directory: Directory) -> _Role | None:
    """"Oracle and MGX would contribute $7 billion apiece": the money goes to the joint venture the text just named."""
    if kind is not DealKind.EQUITY_INVESTMENT or not _CONTRIBUTE.search(clause):
        return None
    venture = next((p for p in reversed(context.recent[-8:]) if p.id not in exclude and _is_venture(p.id, directory)),
                   None)
    return None if venture is None else _Role(Mention(0, 0, venture), "context", anaphora=True)


def _is_lender(entity_id: str, directory: Directory) -> bool:
    kind = directory.kind(entity_id)
    return entity_id in ("bank-lenders", "bond-investors") or (kind is not None and kind.value == "bank")


def _is_venture(entity_id: str, directory: Directory) -> bool:
    e = directory.entities.get(entity_id)
    if e is None:
        return False
    text = " ".join([e.name, *e.aliases, getattr(e, "notes", "") or ""])
    return bool(re.search(r"\bjoint venture\b|\bJV\b", text, re.I))


def _rank(kind: DealKind, party: PartyRef, directory: Directory) -> int:
    ek = directory.kind(party.id)
    value = ek.value if ek is not None else guess_kind(party.name)
    return _SELLER_RANK[kind].get(value or "", 0)


def _seller_first(kind: DealKind, pay: PartyRef, rec: PartyRef, payer: _Role, recipient: _Role, head: str,
                  directory: Directory) -> bool:
    """Whether the party taken as payer is really the seller (so the two swap)."""
    frame = frame_of(head, kind) if payer.role == "subj" else None
    if frame is not None:
        return frame.subject == "recipient"  # "Nscale will supply Microsoft"; "Nvidia will rent servers from Lambda"
    if payer.role == "subj" and _SUPPLIER_VERB.search(head):
        return True  # "Nscale will supply Microsoft with GPUs"
    if payer.role == "subj" and _TENANT_VERB.search(head):
        return False  # "Nvidia agreed to lease servers from Lambda": the subject rents
    if recipient.role in _EXPLICIT_ROLES or not rec.known:
        return False
    return _rank(kind, pay, directory) > _rank(kind, rec, directory)


def _single(payer: PartyRef, recipient: PartyRef, money: list[Money], notes: list[str]) -> list[_Pair]:
    if payer.id == recipient.id:
        return []
    return [(payer, recipient, money[0] if money else None, notes)]

