"""Who pays whom in a clause: payer and recipient from the subjects, the other parties' roles and the kind.

The verb frame (:mod:`~dealweb.extract.frames`) decides when it matches; otherwise the
preposition before each party, the named lender or bond groups, and for compute, chips and
leases the seller's entity kind.
"""

from __future__ import annotations

import re
from itertools import pairwise

from dealweb.extract.amounts import Money
from dealweb.extract.coref import unnamed_counterparty
from dealweb.extract.frames import frame_of
from dealweb.extract.gazetteer import guess_kind
from dealweb.extract.links import _CONTRIBUTE, new_story, unnamed_venture
from dealweb.extract.parties import Directory, Mention, PartyRef
from dealweb.extract.phrases import (
    _BOND_SALE,
    _BORROW,
    _DEAL_NOUN,
    _EACH,
    _EXPLICIT_ROLES,
    _FROM_PAYS,
    _HOLDER_VERB,
    _ISSUE,
    _KIND_BY_PROVIDER,
    _PROVIDER_DEALS,
    _RAISE,
    _RECEIVE,
    _SELLER_RANK,
    _SOLD,
    _SUPPLIER_VERB,
    _TALKS,
    _TENANT_VERB,
)
from dealweb.extract.roles import ClauseDeal, Context, _pick, _Role
from dealweb.model.vocab import DealKind

__all__: list[str] = []

_SUBJECT_ASIDE = re.compile(r"^\s*,[^,;$€£]{1,100},")
_LANDED = re.compile(r"^\s*(?:has\s+|have\s+|had\s+|just\s+|also\s+|now\s+){0,2}(?:secured|landed|bagged|snagged|pulled\s+in|"
                     r"raked\s+in|garnered|attracted|drew|closed)\s+(?:an?\s+|its\s+)?(?:[\w-]+\s+){0,2}?"
                     r"(?:[$€£]|(?:US|A|C|S)\$|(?:USD|EUR|GBP)\s)", re.I)
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
    special = _frame_pairs(kind, subjects, others, money, clause, directory, context, notes, sentence)
    if special is not None:
        return special
    frame = frame_of(head, kind) if subjects and kind in (DealKind.EQUITY_INVESTMENT, DealKind.DEBT,
                                                          DealKind.REVENUE_SHARE) else None
    if frame is not None and frame.subject == "recipient":
        # "xAI was funded by Nvidia", "CoreWeave received financing from Blackstone": the subject is paid.
        counter = _pick(others, frame.counter, {s.mention.party.id for s in subjects})
        listed = counter is not None and any(
            re.fullmatch(r"\s*(?:,|and|, and|&)\s*", sentence[counter.mention.end:r.mention.start])
            for r in others if r.mention.start > counter.mention.end)
        if counter is not None and listed and kind is DealKind.EQUITY_INVESTMENT:
            # "raised $1.38 billion from Valor and Mubadala": one figure from several investors is the round, paid by
            # the pooled investor group (the dev set's "Funding rounds"), not one investor's deal.
            # Investments from several investors given together ("received investments totaling $15 billion from
            # Microsoft and Nvidia") stay an aggregate: each is a deal of its own, told elsewhere.
            if "venture-investors" not in directory.entities or not money or \
                    not re.search(r"\b(?:rais\w*|round|funding|Series [A-Z])\b", clause) or \
                    re.search(r"\b(?:total\w*|combined)\b", clause, re.I) or \
                    (re.search(r"\binvestments\b", clause, re.I) and not re.search(r"\b(?:rais\w*|Series [A-Z])\b", clause)):
                return []
            pooled = PartyRef("venture-investors", directory.entities["venture-investors"].name,
                              counter.mention.party.surface)
            return _single(pooled, subjects[0].mention.party, money, [*notes, "several investors, one figure: the round"])
        if counter is not None and not listed and len({r.mention.party.id for r in others if r.role == counter.role}) == 1:
            return _single(counter.mention.party, subjects[0].mention.party, money, [*notes, f"verb frame: {frame.name}"])
    poss = next((r for r in others if r.role == "poss"), None)
    if subjects and poss is not None and kind not in _PROVIDER_DEALS:
        at = head.find(poss.mention.party.surface)
        if at >= 0 and _RECEIVE.match(head[:at]):
            # "Anthropic will receive Google's $2 billion investment": the possessor pays the subject.
            return _single(poss.mention.party, subjects[0].mention.party, money, notes)
    led = [r for r in others if r.role == "led"]
    if len({r.mention.party.id for r in led}) > 1 and kind in _FROM_PAYS:
        # "a loan from lenders led by Morgan Stanley and MUFG": several leads with one figure are the group.
        group = directory.entities.get("bank-lenders" if kind is DealKind.DEBT else "venture-investors")
        target = subjects[0] if subjects else None
        if group is None or target is None:
            return []
        return _single(PartyRef(group.id, group.name, group.name), target.mention.party, money,
                       [*notes, "several leads named; entered as the group"])
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
    if kind is DealKind.DEBT and _BORROW.search(clause) and subjects and \
            not _financier(subjects[0].mention.party, directory) and not any(r.role in ("from", "by", "with")
                                                                             for r in others):
        group = directory.entities.get("bank-lenders")
        if group is None:
            return []
        return _single(PartyRef(group.id, group.name, "lenders"), subjects[0].mention.party, money,
                       ["no lender named; entered as the lender group"])
    # "Acme, set up by two former engineers, raised $500 million": the verb after an aside about the subject.
    # "Quillwave secured $120 million in Series A funding", "landed a $505 million investment": raised, in other words.
    bare = _SUBJECT_ASIDE.sub("", head, count=1)
    raising = _RAISE.match(head) or _RAISE.match(bare) or (kind is DealKind.EQUITY_INVESTMENT and _LANDED.match(bare))
    if kind in (DealKind.EQUITY_INVESTMENT, DealKind.DEBT) and subjects and raising \
            and not any(r.role in ("from", "by", "led") for r in others):
        context.funded = subjects[0].mention.party
        if money and not _IPO.search(clause):
            context.open_raise = (subjects[0].mention.party, money[0], kind)
    if kind is DealKind.EQUITY_INVESTMENT and raising and not any(r.role in ("from", "by") for r in others):
        return []  # "raised $75 billion in its IPO": the investors are not named
    if kind is DealKind.EQUITY_INVESTMENT and _SOLD.search(head) and subjects:
        buyer = next((r for r in others if r.role == "to"), None)
        if buyer is None:
            return []
        return _single(buyer.mention.party, subjects[0].mention.party, money, notes)  # "Intel sold a stake to X"
    if by:
        payers = by[:1]
        if subjects and kind in _FROM_PAYS:
            # "xAI's $5 billion loan package was arranged by Morgan Stanley": the subject is the one paid.
            others = [*subjects, *[r for r in others if r.role != "by"]]
            recipient_order = ("subj", *recipient_order)
    elif kind in _FROM_PAYS and any(r.role == "from" for r in others):
        payers = [r for r in others if r.role == "from"]
        # "from Pimco and Blue Owl": the names listed after the first giver give too.
        for r in sorted(others, key=lambda r: r.mention.start):
            if r.role == "other" and payers[-1].mention.end <= r.mention.start and \
                    re.fullmatch(r"\s*(?:,|and|, and|&)\s*", sentence[payers[-1].mention.end:r.mention.start]):
                payers.append(r)
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
    if len(payers) == 2 and kind in (*_PROVIDER_DEALS, DealKind.LICENSING) and \
            not any(r.mention.party.id not in exclude for r in others) and _DEAL_NOUN.search(clause):
        # "Tesla and Samsung have entered into a contract worth …": one deal between the two; the seller by its kind.
        one, two = payers[0].mention.party, payers[1].mention.party
        allowed = _ALLOWED.search(clause)
        if kind is DealKind.LICENSING and allowed is not None:
            # "… a licensing agreement that will allow OpenAI to use …": the one allowed is the licensee, who pays.
            after = clause[allowed.end():allowed.end() + 60]
            licensee = next((p for p in (one, two) if p.surface and after.startswith(p.surface)), None)
            if licensee is not None:
                licensor = two if licensee is one else one
                return _single(licensee, licensor, money, [*notes, "the licensee is the party allowed to use"])
        if _rank(kind, one, directory) > _rank(kind, two, directory):
            one, two = two, one
        if _rank(kind, one, directory) == _rank(kind, two, directory):
            return []
        return _single(one, two, money, [*notes, "two parties as joint subject; the seller by its kind"])
    if len(payers) > 1:
        recipient = _pick(others, recipient_order, exclude) or _context_venture(kind, clause, context, exclude, directory)
        if recipient is None:
            return []
        if len(money) == len(payers) and ("respectively" in clause.lower() or _FIGURE_LIST.search(clause)):
            # "A and B invested $5 billion and $10 billion in C": as many figures, listed together, as payers.
            return [(p.mention.party, recipient.mention.party, m, [PAIRED]) for p, m in zip(payers, money, strict=True)]
        if _EACH.search(clause) and len(money) <= 1:
            # "A and B are each investing $2 billion"; "A and B have each poured billions into C" (undisclosed each)
            return [(p.mention.party, recipient.mention.party, money[0] if money else None, [PAIRED]) for p in payers]
        if not money and kind in _PROVIDER_DEALS and (sold := frame_of(head, kind)) is not None and \
                sold.name in ("supply", "buy") and not re.search(r"\b(?:combined|total\w*|talks|billions)\b", clause, re.I) \
                and len({r.mention.party.id for r in others} - exclude) == 1:
            # "A and B signed deals to supply memory chips to C" (one customer, no figure to share out): one deal each.
            counter = _pick(others, sold.counter, exclude) or recipient  # "to supply chips for C's data centres"
            each = [(p.mention.party, counter.mention.party, p) for p in payers]
            return [(rec, pay, None, [PAIRED]) if _seller_first(kind, pay, rec, p, counter, head, directory)
                    else (pay, rec, None, [PAIRED])
                    for pay, rec, p in each]
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
        # Only a vendor named in this sentence or the one before; after "Separately," (a new story) this one only.
        near = {p.id for p in (*(() if new_story(sentence) else context.previous), *context.current)}
        vendor = next(
            (p for p in reversed(context.recent) if p.id not in exclude and p.id in near and directory.is_provider(p.id)),
            None)
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
    if kind is DealKind.LICENSING and payer.role == "subj" and (lic := frame_of(head, kind)) is not None and \
            lic.subject == "recipient":
        # "Character.AI will receive $2.7 billion from Google", "X will license its models to Y": the licensor is paid.
        pay, rec = rec, pay
    if kind is DealKind.REVENUE_SHARE and frame_of(head, kind) is None and not recipient.anaphora and \
            (recipient.role == "from" or _REVENUE_OF.match(sentence, recipient.mention.end)):
        # "Microsoft's revenue share from OpenAI", "entitled to 20% of OpenAI's revenue": whose revenue it is pays.
        pay, rec = rec, pay
    return _single(pay, rec, money, notes)


_REVENUE_OF = re.compile(r"(?:'s?|’s?)\s+(?:[\w-]+\s+){0,2}?(?:revenues?|sales|income|profits?)\b", re.I)


def _financier(party: PartyRef, directory: Directory) -> bool:
    kind = directory.kind(party.id)
    if kind is not None:
        return kind.value in ("bank", "investor")
    return bool(re.search(r"\b(?:Capital|Bank|Credit|Lending|Finance|Financial|Partners|Asset Management|Investments?)\b",
                          party.name))


_CONSORTIUM = re.compile(r"\b(?:consortium|group of (?:investors|buyers)|investor group)\s+(?:that\s+)?(?:including|includes|"
                         r"led by|of|comprising|made up of)\s+", re.I)
# Figures listed together: "$5 billion and $10 billion", "$1 billion, $2 billion and $3 billion".
_FIGURE_LIST = re.compile(r"(?:up to\s+)?[$€£]\s?[\d.,]+\s*(?:billion|million|bn|m)?(?:\s*,\s*(?:up to\s+)?[$€£]\s?[\d.,]+\s*"
                          r"(?:billion|million|bn|m)?)*,?\s+and\s+(?:up to\s+)?[$€£]\s?[\d.,]+", re.I)
# Takeover talk that is no agreement: talks, speculation, an approach, a possible or rumoured bid.
# A takeover bid that is no agreement: an approach, an offer, a possible or rumoured bid. Together with talks
# (:data:`~dealweb.extract.phrases._TALKS`) it is takeover talk.
_BID = re.compile(r"\b(?:talks to|nearing|(?:bid|move|attempt|effort|offer|tried|sought|seeks?|seeking|wants?|wanted|hopes?|"
                  r"aims?)\s+to\s+(?:\w+\s+)?(?:acquire|buy|purchase|take over)|speculat\w*|rumou?r\w*|"
                  r"(?:could|might|(?-i:may))\s+(?:\w+\s+)?(?:acquire|buy|purchase|take over|merge|bid|pursue|make an offer)|"
                  r"considering|weighing|exploring|mulling|potential|possible|approach(?:ed|es|ing)|bid for|offer for|"
                  r"pursu\w*|interested in)\b", re.I)
_RUMOUR = re.compile(f"{_TALKS.pattern}|{_BID.pattern}", re.I)


def _frame_pairs(kind: DealKind, subjects: list[_Role], others: list[_Role], money: list[Money], clause: str,
                 directory: Directory, context: Context, notes: list[str], sentence: str = "") -> list[_Pair] | None:
    """Kinds whose direction the verb frame decides: acquisitions, joint ventures, warrants taken by the holder.

    ``None`` when the generic rules apply.
    """
    by = [r for r in others if r.role == "by"]
    if kind is DealKind.ACQUISITION:
        if _RUMOUR.search(clause):
            return []  # "is in talks to acquire", "could buy": a takeover that has not been agreed
        # Acquirer → seller when "from X" names one, else → the target.
        buyer = by[0] if by else (subjects[0] if subjects else next((r for r in others if r.role == "poss"), None))
        if (group := _CONSORTIUM.search(sentence)) is not None and not by:
            # "a consortium including BlackRock's GIP, KIA and MGX is acquiring …": the first member named leads it.
            members = sorted((r for r in [*subjects, *others] if group.end() <= r.mention.start < group.end() + 60
                              and r.role in ("subj", "other", "pre", "led")), key=lambda r: r.mention.start)
            if members:
                buyer = members[0]
                others = [r for r in others if r.role not in ("other", "pre", "led") or r.mention.start < group.end()]
                subjects = [buyer]
                notes = [*notes, "a consortium buys; its first member named stands for it"]
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
            # "Microsoft is teaming up with BlackRock and MGX in a joint venture": a name before every partner found
            # is a partner too; all in order of mention.
            first = min(p.mention.start for p in partners)
            ahead = [r for r in others if r.role == "other" and r.mention.end <= first]
            ordered = sorted([*ahead, *partners], key=lambda r: r.mention.start)
            return unnamed_venture([p.mention.party for p in ordered], clause, money, context)
        if venture is None or not partners:
            return []
        if len(partners) > 1 and len(money) == 1 and not _EACH.search(clause):
            money = []  # one figure for several partners is the venture's total, not each partner's part
        if len(partners) > 1 and "respectively" in clause.lower() and len(money) == len(partners):
            return [(p.mention.party, venture.mention.party, m, [PAIRED]) for p, m in zip(partners, money, strict=True)]
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


#: Notes that mark a deal read from a sentence holding several (recorded as the ``gapped`` or ``itemised`` signal).
GAPPED = "the verb and counterparty are shared with the clause before"
ITEMISED = "one of several figures, each named with its own party"
TRANCHE = "a tranche or facility given separately inside the total"
PAIRED = "figures and parties paired up by 'respectively' or 'each'"

# Between a figure and the next payer of a gapped clause: "… $5 billion [in Poolside] and AMD $200 million".
_GAP_BEFORE = re.compile(r"(?:\s+(?:in|into|to|from|for|with|of)\s+(?:the\s+)?\x00)?\s*,?\s*(?:and|while|whereas)\s+")
_GAP_AFTER = re.compile(r"\s*,?\s*(?:would|will|could|has|had|is|was)?\s*(?:another|a further|an additional)?\s*")


def gapped_mentions(sentence: str, money: list[Money], mentions: list[Mention]) -> list[tuple[Mention, Money]]:
    """Gapping: the names that stand, verb-less, before a later figure of the clause, with that figure.

    In "A will invest up to $10 billion and B up to $5 billion in C" and "A invested $500 million in C and
    B $200 million", B shares A's verb and C. The counterparty may stand between the first figure and B.
    """
    out: list[tuple[Mention, Money]] = []
    for prev, cur in pairwise(money):
        between = [m for m in mentions if prev.end <= m.start and m.end <= cur.start]
        if not between or len(between) > 2:
            continue
        m = between[-1]
        gap = sentence[prev.end:m.start]
        for o in between[:-1]:
            gap = gap.replace(sentence[o.start:o.end], "\x00")
        if _GAP_BEFORE.fullmatch(gap) and _GAP_AFTER.fullmatch(sentence[m.end:cur.start]):
            out.append((m, cur))
    return out


def _gapped(pairs: list[_Pair], subject: PartyRef | None, gaps: list[tuple[Mention, Money]]) -> list[_Pair]:
    """The deals of gapped names: the first deal's verb and counterparty, each with its own figure."""
    if len(pairs) != 1 or subject is None or not gaps:
        return []
    payer, recipient = pairs[0][0], pairs[0][1]
    out: list[_Pair] = []
    for m, money in gaps:
        if m.party.id in (payer.id, recipient.id):
            continue
        if payer.id == subject.id:
            out.append((m.party, recipient, money, [GAPPED]))
        elif recipient.id == subject.id:
            out.append((payer, m.party, money, [GAPPED]))
    return out


DATED = "one of several figures of the same two parties, each for its own year"
_YEAR_AFTER = re.compile(r"\s+(?:in|for|during|through)\s+(?:fiscal\s+(?:year\s+)?|FY\s?)?(?:19|20)\d\d\b|"
                         r"\s+(?:this|next|last)\s+year\b|\s+(?:in|for)\s+(?:the\s+)?(?:first|second|third|following)\s+year\b|"
                         # "$866 million in the first nine months of 2025", "through the first three quarters of 2025"
                         r"\s+(?:in|for|during|through|over)\s+(?:the\s+)?(?:first|second|third|fourth|last|past)\s+"
                         r"(?:[\w-]+\s+)?(?:months|quarters?|half)\s+of\s+(?:fiscal\s+)?(?:19|20)\d\d\b|"
                         r"\s+(?:in|for|during)\s+(?:Q[1-4]|H[12])\s+(?:of\s+)?(?:19|20)\d\d\b",
                         re.I)


_OBJECT_AFTER = re.compile(r"\s+(?:in|into|to|from|for|with)\s+(?:the\s+)?")


def object_gapped(sentence: str, pairs: list[_Pair], money: list[Money], mentions: list[Mention]) -> list[_Pair]:
    """"Nvidia will invest $1 billion in Nokia and $2 billion in Synopsys": the subject and verb are shared, each
    figure has its own counterparty ("$2 billion each in A and B" is read in :mod:`~dealweb.extract.binding`)."""
    if len(pairs) != 1 or len(money) < 2 or pairs[0][2] is not money[0]:
        return []
    by_start = {m.start: m for m in mentions}
    out: list[_Pair] = []
    prev_end, first = money[0].end, None
    for i, cur in enumerate(money):
        hit = _OBJECT_AFTER.match(sentence, cur.end)
        named = by_start.get(hit.end()) if hit else None
        if named is None or (i and not re.fullmatch(r"\s*,?\s*(?:and|plus|as well as)\s+", sentence[prev_end:cur.start])):
            break
        if i == 0:
            first = named
        elif first is not None and named.party.id != first.party.id:
            if pairs[0][1].id == first.party.id:
                out.append((pairs[0][0], named.party, cur, [GAPPED]))
            elif pairs[0][0].id == first.party.id:
                out.append((named.party, pairs[0][1], cur, [GAPPED]))
        prev_end = named.end
    return out


def dated(sentence: str, pairs: list[_Pair], money: list[Money]) -> list[_Pair]:
    """"OpenAI will pay Broadcom $4 billion in 2026 and $6 billion in 2027": one deal per figure and year."""
    if len(pairs) != 1 or len(money) < 2 or pairs[0][2] is not money[0]:
        return []
    out: list[_Pair] = []
    for prev, cur in pairwise(money):
        year = _YEAR_AFTER.match(sentence, prev.end)
        if year is None or _YEAR_AFTER.match(sentence, cur.end) is None or \
                not re.fullmatch(r"\s*,?\s*(?:and|then|plus|followed by)?\s*", sentence[year.end():cur.start]):
            break
        out.append((pairs[0][0], pairs[0][1], cur, [DATED]))
    return out


# What follows a figure and names who gives it: "$800 million from Nvidia", "$9.6 billion of debt from JPMorgan",
# "$38 billion in project loans led by JPMorgan"; the words between say the figure's kind.
_SOURCE_AFTER = re.compile(r"\s+(?:(?:of|in)\s+(?P<what>(?:[\w-]+\s+){0,3}?))?(?:(?:will\s+)?(?:come|came|coming)\s+)?"
                           r"(?:from|(?:led|arranged|provided|underwritten) by)\s+(?:the\s+)?")
# "$18 billion through a bond sale", "$5 billion in bonds": bought by bond investors.
_BONDS_AFTER = re.compile(r"\s+(?:through|via|in|of)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:bonds?|bond sale|notes|"
                          r"debt offering|bond offering|asset-backed securities|securiti[sz]ation)\b", re.I)
_LISTING = re.compile(r"\b(?:includ\w*|compris\w*|consist\w* of|made up of|among them|split (?:into|between)|"
                      r"in the form of)\b", re.I)
_FACILITY_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:loans?|facility|facilities|tranches?|notes|bonds?|credit line|"
                             r"revolver|revolving credit)\b", re.I)
_EQUITY_WHAT = re.compile(r"\b(?:equity|shares|stock|preferred|stake)\b", re.I)
_DEBT_WHAT = re.compile(r"\b(?:debt|loans?|credit|notes|bonds?|facilit\w+|financing)\b", re.I)
#: Kinds a listed figure may take (what its own words say), with the note that marks it.
ItemKind = tuple[PartyRef, PartyRef, Money | None, list[str], DealKind]


def itemised(sentence: str, kind: DealKind, money: list[Money], mentions: list[Mention], pairs: list[_Pair],
             company: PartyRef | None, directory: Directory) -> list[ItemKind]:
    """Figures listed each with the party who gives it, or tranches listed inside a total.

    "X raised $2 billion, including $800 million from Nvidia and $300 million from Blackstone" gives
    Nvidia → X and Blackstone → X (the total shared by all gives none here); "$2.3 billion of equity from
    A and $9.6 billion of debt from B" gives an investment and a loan; "$18 billion through a bond sale
    and $38 billion in loans led by C" a bond deal and C's loan. "… $12 billion of loans, made up of a
    $7 billion construction facility and a $5 billion term loan" gives both facilities with the total's
    lender and borrower (the README's "Components").
    """
    if kind not in (DealKind.EQUITY_INVESTMENT, DealKind.DEBT):
        return []
    by_start = {m.start: m for m in mentions}
    bonds = directory.entities.get("bond-investors")
    givers: list[tuple[PartyRef, Money, DealKind]] = []
    for i, f in enumerate(money):
        stop = money[i + 1].start if i + 1 < len(money) else len(sentence)
        hit = _SOURCE_AFTER.match(sentence, f.end, stop)
        giver = by_start.get(hit.end()) if hit else None
        what = (hit.group("what") or "") if hit else ""
        own = DealKind.EQUITY_INVESTMENT if _EQUITY_WHAT.search(what) else (
            DealKind.DEBT if _DEBT_WHAT.search(what) else kind)
        if giver is not None:
            givers.append((giver.party, f, own))
        elif bonds is not None and _BONDS_AFTER.match(sentence, f.end, stop):
            givers.append((PartyRef(bonds.id, bonds.name, "bonds"), f, DealKind.DEBT))
    listed = bool(givers) and _LISTING.search(sentence[max(0, givers[0][1].start - 40):givers[0][1].start]) is not None
    out: list[ItemKind] = []
    if len(givers) >= 2 or listed:
        if company is None or any(g.id == company.id for g, _, _ in givers):
            return []
        out = [(g, company, f, [ITEMISED], k) for g, f, k in givers]
    if kind is DealKind.DEBT and len(pairs) == 1 and pairs[0][2] is not None:
        total = pairs[0][2]
        parts = [f for f in money if f.start > total.end and f.amount < total.amount
                 and _FACILITY_AFTER.match(sentence[f.end:f.end + 50])]
        if len(parts) >= 2 and _LISTING.search(sentence[total.end:parts[0].start]):
            out += [(pairs[0][0], pairs[0][1], f, [TRANCHE], kind) for f in parts]
    return out


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
    return _SELLER_RANK.get(kind, {}).get(value or "", 0)


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


_ALLOWED = re.compile(r"\b(?:allow|allows|allowing|let|lets|letting|enable|enables|enabling|permit|permits|permitting)\s+"
                      r"(?:the\s+)?", re.I)


def _context_venture(kind: DealKind, clause: str, context: Context, exclude: set[str],
                     directory: Directory) -> _Role | None:
    """"Oracle and MGX would contribute $7 billion apiece": the money goes to the joint venture the text just named."""
    if kind is not DealKind.EQUITY_INVESTMENT or not _CONTRIBUTE.search(clause):
        return None
    venture = next((p for p in reversed(context.recent[-8:]) if p.id not in exclude and _is_venture(p.id, directory)),
                   None)
    return None if venture is None else _Role(Mention(0, 0, venture), "context", anaphora=True)


def parallel(last: ClauseDeal, subject: PartyRef, last_subject: str | None, money: Money) -> _Pair | None:
    """A clause in parallel with the one before, its counterparty left out: the new subject takes the old subject's side."""
    if subject.id in (last.payer.id, last.recipient.id) or last_subject is None:
        return None
    if last_subject == last.recipient.id:
        return (last.payer, subject, money, [GAPPED])
    if last_subject == last.payer.id:
        return (subject, last.recipient, money, [GAPPED])
    return None
