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

Direction lives in :mod:`~dealweb.extract.direction` (with the verb-frame table in
:mod:`~dealweb.extract.frames`), deals spread over sentences in :mod:`~dealweb.extract.links`,
and the shared types in :mod:`~dealweb.extract.roles`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dealweb.extract import backoff, nominal
from dealweb.extract.amounts import context_role, find_money, has_vague_billions, sentence_qualifier, takeover_price
from dealweb.extract.binding import bind_figures
from dealweb.extract.bystanders import without_bystanders
from dealweb.extract.coref import refer
from dealweb.extract.direction import (
    DATED,
    GAPPED,
    ITEMISED,
    PAIRED,
    TRANCHE,
    _gapped,
    _is_lender,
    _is_venture,
    _kind_by_provider,
    _pairs,
    dated,
    gapped_mentions,
    itemised,
    object_gapped,
    parallel,
)
from dealweb.extract.followups import (
    complete_open_deal,
    far_party_signal,
    kind_named_next,
    money_without_kind,
    open_deal_side,
    pair_named_before,
    remember_open_deal,
)
from dealweb.extract.frames import frame_of
from dealweb.extract.links import (
    _OWN_COMPANY,
    _backstop_takes_figure,
    _buyer_named_later,
    _named_vehicles,
    _relative_investments,
    _split_by_instrument,
    _venture_appositive,
    _venture_contribution,
    _venture_deals,
    is_proposed_vehicle,
)
from dealweb.extract.parties import Directory, Mention, PartyRef
from dealweb.extract.patterns import cues, kind_of
from dealweb.extract.phrases import (
    _ANAPHORA,
    _BACKGROUND,
    _BUY_OBJECT,
    _CLOUDS,
    _CUE_ONLY,
    _DATIVE,
    _DEAL_NOUN,
    _DESCRIBED,
    _FOLLOW_WORTH,
    _NAMED,
    _NAMED_APPOSED,
    _OPENER,
    _OWNS_DEAL,
    _PASSIVE_BY,
    _PREP,
    _PREP_DESCRIBED,
    _PRODUCT_AFTER,
    _REFUSED,
    _RELATIVE_TURN,
    _REPORTING,
    _SPEND,
    _SPLIT,
    _TALKS,
    _UNKNOWN_ROLES,
)
from dealweb.extract.roles import _EXPLICIT, SIGNALS, ClauseDeal, Context, _inside, _Role
from dealweb.extract.sides import company_of, descriptor_spans, drop_makers
from dealweb.extract.ventures import venture_readings
from dealweb.model.vocab import DealKind, Qualifier

# "Microsoft will pay CoreWeave $10 billion": with no kind word, the payee's entity kind says what is bought.
_PAY = re.compile(r"\b(?:pay|pays|paid|paying)\b", re.I)

# Rented compute, not space: "lease GPU capacity from CoreWeave" (README: renting GPUs from a cloud is compute).
_RENTED_COMPUTE = re.compile(r"\b(?:GPUs?|TPUs?|compute|computing|capacity|servers?|clusters?|chips?|accelerators?)\b", re.I)
_SPACE = re.compile(r"\b(?:space|power|site|campus|building|land|colocation|data[- ]cent(?:er|re)s?|facility|MW|megawatts?|"
                    r"gigawatts?|GW)\b", re.I)

# What an equity deal buys; without it a company bought is an acquisition ("agreed to buy Aligned Data Centers").
_STAKE = re.compile(r"\b(?:stakes?|shares|stock|holding|equity|round|invest(?:s|ed|ing)?)\b", re.I)

_BOUGHT_BY = re.compile(r"\s*(?:,[^,;]{0,60},\s*)?(?:(?:has |have |had )?(?:agreed|agrees|is set|are set|is expected)\s+)?"
                        r"(?:is|was|were|are|has been|have been|had been|will be|would be|to be)\s+"
                        r"(?:being\s+)?(?:acquired|bought|purchased|taken over|taken private)\s+by\b", re.I)
_INTRO = re.compile(r"\s*(?:under|as part of|in|through|per|with)\s+(?:the|this|that|its|their|a)\s+[^,;$€£]{0,60},\s*", re.I)

# "…, with AustralianSuper leading the raise", "with Intel Capital among the lead investors": the name leads the round.
_LEADS = re.compile(r"(?-i:\s+[A-Z][\w&-]*){0,2}?\s+(?:(?:co-)?lead(?:ing|s)?|(?:co-)?led)\s+(?:the|its|this)\s+"
                    r"(?:[\w-]+\s+){0,2}(?:raise|round|funding|financing|investment)\b|"
                    r"(?-i:\s+[A-Z][\w&-]*){0,2}?\s+(?:among|as|was among)\s+(?:the\s+|its\s+)?(?:co-)?lead\s+investors?\b", re.I)
# Buildings or sites bought outright from a company (not space rented): "buying three data centers from Axtel".
_ASSETS_BOUGHT = re.compile(r"\b(?:buy|buys|bought|buying|acquir\w*|purchas\w*)\s+(?:(?:the|its|their|a|an|two|three|four|"
                            r"five|six|several|\d+)\s+)?(?:[\w-]+\s+){0,2}?(?:data[- ]cent(?:er|re)s?|campus(?:es)?|"
                            r"facilit(?:y|ies)|sites?|buildings?|portfolio)\s+from\b", re.I)
_TAKE = re.compile(r"\b(?:take|takes|took|taking)\s+(?:(?-i:[a-z][\w.-]*)\s+){0,3}$", re.I)

_ONLY_USE = re.compile(r"\s+(?:(?:will|would|also|to|now|plans to|is|are)\s+)*us(?:e|es|ing)\b",
                       re.I)

__all__ = ["SIGNALS", "ClauseDeal", "Context", "deals_in_sentence", "mask_background", "split_clauses"]


_OPENING_PHRASE = re.compile(r"(?:(?:But|And|Yet|Still),?\s+)?(?i:in|on|at|during|earlier|later|last|this|separately|"
                             r"meanwhile|however|also|additionally|moreover|elsewhere|today|yesterday)\b[^,;$€£\d]{0,60}")


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
            if pattern.pattern.startswith(r",\s*(?:according to") and _OPENING_PHRASE.fullmatch(sentence[:m.start()]):
                continue  # "On Wednesday, Nvidia said it bought Groq": the sentence's own report, not a trailing one
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


def _roles(sentence: str, a: int, b: int, mentions: list[Mention], first_cue: int,
           masked: list[tuple[int, int]] = []) -> list[_Role]:  # noqa: B006 (read only)
    out: list[_Role] = []
    for m in mentions:
        before = sentence[max(a, m.start - 40):m.start]
        after = re.sub(r"^\s+(?:Inc|Corp|Co|Ltd|LLC|PLC|Group)\.?(?=')", "", sentence[m.end:m.end + 50])
        if re.search(r"\b(?:co-)?led by\s*$|\bled by\s+(?:[\w-]+\s+){1,3}$|\bled by\s+(?:[\w-]+\s+){0,3}(?:such as|"
                     r"including)\s+$", before, re.I) or _LEADS.match(after):
            role = "led"
        elif _NAMED.search(before) or (_NAMED_APPOSED.search(before) and not m.party.known):
            role = "named"
        elif (_BUY_OBJECT.search(before) and not _PRODUCT_AFTER.match(sentence[m.end:m.end + 40])) or \
                (_TAKE.search(before) and re.match(r"\s+private\b", sentence[m.end:m.end + 10])):  # "take X private"
            role = "obj"
        elif _OWNS_DEAL.match(after) and (m.start >= first_cue or _PREP.search(before)):
            role = "poss"
        elif _PASSIVE_BY.search(before):
            role = "by"
        elif (p := _PREP.search(before)) is not None:
            role = p.group(1).lower()
            role = {"into": "in", "by": "by_other", "toward": "to", "towards": "to"}.get(role, role)
        elif _DATIVE.search(before):
            role = "dative"
        elif (p := _PREP_DESCRIBED.search(sentence[max(a, m.start - 80):m.start])) is not None:
            role = {"into": "in"}.get(p.group(1).lower(), p.group(1).lower())  # "to data centre business Kao Data"
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
        if verb_at > first and not re.match(r"\s*['’]s?\s", sentence[subjects[0].mention.end:]):
            continue  # (the verb may reach past a possessive: "Nvidia led Groq's series B round")
        new = {id(x) for x in roles if r.mention.start <= x.mention.start and x.mention.end <= verb_at
               and x.role in ("other", "subj") and x.mention.start < first}
        return [_Role(x.mention, "subj", x.anaphora) if id(x) in new else
                (_Role(x.mention, "dative", x.anaphora) if x.role == "subj" else x) for x in roles]
    return roles


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
    context.tentative = []
    told = context.open_deal  # a one-sided deal of an earlier sentence
    kindless = context.kindless  # money with no kind in the sentence before
    masked = mask_background(sentence)
    all_mentions = directory.mentions(sentence)
    # A caption glued to the first word ("AnthropicMicrosoft") leaves two names with no space between.
    all_mentions = [m for i, m in enumerate(all_mentions)
                    if not (i + 1 < len(all_mentions) and all_mentions[i + 1].start == m.end)]
    all_mentions = _named_vehicles(sentence, all_mentions, directory)
    reporter: PartyRef | None = None
    body_start = 0
    rep = _REPORTING.match(sentence)
    if rep and (re.match(r"(?:a|an|the|its|their|plans|details)\b", sentence[rep.end():], re.I) or
                re.match(r"(?:[A-Z]{0,3}[$€£¥₹]|\d)", sentence[rep.end():])) and rep[0][-5:] != "that ":
        rep = None  # "Akamai disclosed a $1.8 billion contract", "… its previously announced $3.2 billion notes": a party
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
        # Gapping ("… and Nvidia up to $10 billion"): the verb-less second payer is set aside for its own deal.
        gaps = gapped_mentions(sentence, [m for m in money_all if a <= m.start < b and not m.is_price], clause_mentions)
        clause_mentions = [m for m in clause_mentions if not any(m is g for g, _ in gaps)]
        # Deal words inside a name ("Public Sector Pension Investment Board") do not vote on the kind.
        names_here = [(m.start, m.end) for m in clause_mentions] + [(x.start, x.end) for x in all_mentions]
        names_here += descriptor_spans(sentence, clause_mentions)  # "investment trust American Tower"
        every = [c for c in cues(clause) if not _inside(c.start + a, names_here)]
        found = [c for c in every if not _inside(c.start + a, quiet)]
        # A deal word right after the figure names what it buys ("$30 billion debt offering"): it counts double.
        near = [(m.end - a, m.end - a + 15) for m in money_all if a <= m.start < b]
        weighted = found + [c for c in found if _inside(c.start, near)]
        kind = kind_of(weighted)
        if kind is None:
            # Only a purpose clause names a kind ("will pay Fluidstack $3 billion to build data centres").
            purpose = [(x.start() + a, x.end() + a) for x in _CUE_ONLY[-1].finditer(clause)]
            found = [c for c in every if not _inside(c.start + a, [q for q in quiet if q not in purpose])]
            kind = kind_of(found)
        # "Under the licensing agreement, Nvidia will pay Groq …": an opening phrase names the deal, not the subject.
        intro = _INTRO.match(clause)
        opened = intro.end() if intro is not None else 0
        # "The partnership will see A and B each invest …": the modal is the deal's, A and B stand before the deal word.
        first_cue = a + (min((c.start for c in found if c.start >= opened and not (
            c.word == "will" and clause[c.end:c.end + 5] == " see ")), default=len(clause)))
        roles = [r for r in _roles(sentence, a, b, clause_mentions, first_cue, masked)
                 if r.mention.party.known or r.role in _UNKNOWN_ROLES or
                 (r.role == "in" and kind is DealKind.EQUITY_INVESTMENT) or
                 directory.admits(r.mention.party, r.role, kind is DealKind.DEBT)]
        roles = _subject_by_verb(sentence, roles, kind, masked)
        subjects = [r for r in roles if r.role == "subj"]
        if any(r.role == "obj" for r in roles) and (kind in (None, DealKind.COMPUTE_COMMITMENT, DealKind.LEASE,
                                                             DealKind.ACQUISITION) or
                                                    (kind is DealKind.EQUITY_INVESTMENT and not _STAKE.search(clause))):
            kind = DealKind.ACQUISITION  # "agreed to buy Aligned Data Centers from Macquarie"
        elif subjects and kind in (None, DealKind.COMPUTE_COMMITMENT, DealKind.LEASE, DealKind.EQUITY_INVESTMENT) and \
                _BOUGHT_BY.match(sentence, subjects[-1].mention.end) and not _STAKE.search(clause):
            kind = DealKind.ACQUISITION  # "Aligned Data Centers is being bought by AIP": the subject is the company sold
        elif kind in (None, DealKind.COMPUTE_COMMITMENT, DealKind.LEASE) and _ASSETS_BOUGHT.search(clause) and \
                any(r.role == "from" for r in roles):
            kind = DealKind.ACQUISITION  # "was buying three data centers from Axtel": sites bought outright
        lead = clause[:40].lower()
        if not subjects and reporter is not None and \
                re.match(r"\s*(?:(?:in|on|last|this|earlier)\s+\w+\s+)?(?:that\s+)?(?:it|they|the company)\b", lead):
            subjects = [_Role(Mention(a, a + 2, reporter), "subj", anaphora=True)]
        if not subjects and (d := _DESCRIBED.match(_OPENER.sub("", clause.lstrip()))) is not None:
            # "The Google parent is marketing …", "It also agreed …": the company the text is about.
            ref = refer(context, d.group(), directory, prefer_topic=True)
            if ref is not None and not any(r.mention.party.id == ref.id for r in roles):
                subjects = [_Role(Mention(a, a + d.end(), ref), "subj", anaphora=True)]
        if _RELATIVE_TURN.match(clause) and (antecedent := [m for m in all_mentions if m.end <= a]):
            # "Microsoft will buy … from IREN, which in turn will buy … from Dell": IREN's own deal.
            subjects = [_Role(antecedent[-1], "subj")]
            roles = [r for r in roles if r.mention.party.id != antecedent[-1].party.id]
        if not subjects and prev_subject and not re.match(r"\s*(?:the|a|an|its)\b", lead):
            subjects = prev_subject
        before_subject = prev_subject[0].mention.party.id if prev_subject else None
        prev_subject_before = prev_subject
        if subjects:
            prev_subject = subjects
        for r in roles:
            context.note(r.mention.party)
        if kind is None and out and out[-1].money is None and _FOLLOW_WORTH.match(clause):
            figure = next((m for m in money_all if a <= m.start < b and context_role(sentence, m) == "deal"), None)
            if figure is not None:
                last = out[-1]
                stated = Qualifier.ESTIMATE if figure.qualifier is Qualifier.EXACT and hearsay is not None \
                    else figure.qualifier
                out[-1] = ClauseDeal(last.payer, last.recipient, last.kind, figure, stated, last.start, b,
                                     last.confidence, (*last.notes, "the amount comes from the next clause"), last.signals)
            continue
        if kind is DealKind.EQUITY_INVESTMENT and nominal.stock_talk(clause):
            kind = None  # "Oracle's shares doubled after its $300 billion OpenAI contract": the stock, not an investment
        by_provider = kind is None  # no deal word: what is bought follows from who sells it
        if kind is None and out and subjects and subjects is not prev_subject_before and out[-1].start < a and \
                any(a <= m.start < b for m in money_all) and \
                frame_of(_unmasked(sentence, subjects[-1].mention.end, masked)[:90], out[-1].kind) is not None:
            kind = out[-1].kind  # "…, while SK Hynix will supply ₩15 trillion worth": the same verb, the same kind
        if kind is None and (_DEAL_NOUN.search(clause) or _SPEND.search(clause)):
            kind = _kind_by_provider([r.mention.party.id for r in [*roles, *subjects]], directory)
        elif kind is None and _PAY.search(clause):
            # The subject pays: only the payee's kind says what is bought.
            kind = _kind_by_provider([r.mention.party.id for r in roles if r.role in ("dative", "to")], directory)
        money = [m for m in money_all if a <= m.start < b and context_role(sentence, m) == "deal"]
        if not money and kind is DealKind.ACQUISITION:
            money = takeover_price(sentence, find_money(sentence), a, b, masked)
        if money and all(nominal.aggregate(sentence, m) for m in money):
            continue  # "contracts worth a combined $60 billion with A, B and C": no one deal
        money = [m for m in money if not nominal.not_a_deal_figure(sentence, m)]
        # A deal stated as a noun phrase ("X's $6.5 billion contract with Y"), for when the verb frame says nothing.
        named_here = [r.mention for r in roles] + [s.mention for s in subjects if s.anaphora and a <= s.mention.start]
        noms = [] if talks else nominal.read_all(sentence, a, b, named_here, money, None if by_provider else kind,
                                                 directory, lambda w, named: refer(context, w, directory, named))
        nom = noms[0] if noms else None
        if kind is None and nom is None:
            continue
        kind = kind or nom.kind  # type: ignore[union-attr]
        # No figure and no verb of doing a deal: a tentative reading, kept only if a next sentence gives the figure.
        if not money and any(a <= m.start < b and context_role(sentence, m) == "total" for m in money_all):
            continue  # "deals worth a combined $60 billion with A, B and C": the figure is shared, the split unknown
        if not money and not has_vague_billions(clause) and kind in (DealKind.CHIP_PURCHASE, DealKind.COMPUTE_COMMITMENT) \
                and subjects and _ONLY_USE.match(sentence, subjects[-1].mention.end):
            continue  # "Synopsys will use Nvidia's GPUs": using a product with no figure is no purchase
        tentative = not money and not has_vague_billions(clause) and not any(c.action for c in found) and nom is None
        if tentative and (talks or not subjects):
            continue
        ctx = replace(context) if tentative else context  # a tentative reading leaves no trace for later sentences
        linked = far = False
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
            taken_ids = {s.mention.party.id for s in subjects}
            if word in ("it", "its") and reporter is not None and reporter.id not in taken_ids:
                ref = reporter  # "Nscale said Microsoft would pay it …": the company speaking
            else:
                ref = refer(context, m.group(), directory, taken_ids)
            if ref is not None:
                role = (p.group(1).lower() if p else "dative")
                roles.append(_Role(Mention(a + m.start(), a + m.end(), ref), "in" if role == "into" else role, True))
        roles = drop_makers(sentence, roles)
        others = [r for r in roles if r.role != "subj"]
        if kind is DealKind.DEBT and not subjects and not others:
            continue
        head = _unmasked(sentence, subjects[-1].mention.end, masked)[:90] if subjects else ""
        if subjects and subjects[-1].mention.end <= a:
            head = " " + clause.lstrip()[:90]  # a subject carried over from the clause before: this clause's verb
        pairs = _pairs(kind, subjects, others, money, clause, head, reporter, directory, ctx, sentence)
        pairs += (_gapped(pairs, subjects[0].mention.party if subjects else None, gaps) or dated(sentence, pairs, money)
                  or object_gapped(sentence, pairs, money, clause_mentions))
        listed = itemised(sentence, kind, [m for m in money_all if a <= m.start < b and not m.is_price],
                          clause_mentions, pairs, company_of(subjects, reporter, sentence, all_mentions, context),
                          directory)
        own_kind: dict[int, DealKind] = {}
        if listed:
            used = {id(x[2]) for x in listed}
            givers = {x[0].id for x in listed if ITEMISED in x[3]}
            # A listed giver's own figure replaces the total the clause's frame would give it.
            pairs = [p for p in pairs if id(p[2]) not in used and p[0].id not in givers] + [x[:4] for x in listed]
            own_kind = {id(x[2]): x[4] for x in listed}
        if not pairs and money and subjects is prev_subject and out and out[-1].payer.id == subjects[0].mention.party.id \
                and not others and out[-1].kind is kind:
            # "… has invested $4 billion in Anthropic and will invest a further $2.75 billion": the same counterparty.
            pairs = [(out[-1].payer, out[-1].recipient, money[0], ["the counterparty is the one of the clause before"])]
        if not pairs and not tentative and len(subjects) == 1 and not others and ctx.pending_sale is None:
            # One party named: the sentence before may have named the pair, or a later one names the other by its
            # role ("The customer is Microsoft").
            side = open_deal_side(head, clause, kind)
            named_before = pair_named_before(subjects[0].mention.party, kind, side, clause, context, directory)
            if named_before is not None and len(money) <= 1:
                pairs = [(subjects[0].mention.party, named_before, money[0] if money else None,
                          ["the other party is named with this one in a sentence before"])]
                linked = True
                far = far_party_signal(subjects[0].mention.party, named_before, context)
            else:
                remember_open_deal(context, subjects[0].mention.party, kind, money[0] if len(money) == 1 else None,
                                   side)
        if not pairs and money and subjects and out and out[-1].kind is kind and subjects is not prev_subject_before \
                and (parallel_pair := parallel(out[-1], subjects[0].mention.party, before_subject, money[0])) is not None:
            # "Samsung will supply Nvidia …, while SK Hynix will supply ₩15 trillion worth": the counterparty is shared.
            pairs = [parallel_pair]
            if context.pending_sale is not None and context.pending_sale[0].id == subjects[0].mention.party.id:
                context.pending_sale = None
        role_of = {r.mention.party.id: r for r in roles}
        framed = bool(subjects) and frame_of(head, kind) is not None
        # A verb frame whose counterparty has a role word ("won an order from Alphabet") keeps its reading.
        said = framed and len(pairs) == 1 and any(
            role_of[p.id].role in ("from", "to", "by", "dative") for p in pairs[0][:2] if p.id in role_of)
        if nom is not None and len(pairs) <= 1 and not said and (not pairs or not framed or nom.start <=
                                                                 subjects[-1].mention.start < nom.end):
            # No verb of the subject says who pays (or the "subject" is a name inside the noun phrase).
            pairs, kind, framed = [(n.payer, n.recipient, n.money, []) for n in noms], nom.kind, False
        elif by_provider and not framed and kind in (DealKind.COMPUTE_COMMITMENT, DealKind.CHIP_PURCHASE) and not \
                nominal.plainly_sold(sentence, [x for p in pairs for x in p[:2]], directory, _DEAL_NOUN.findall(clause)[0]
                                     if _DEAL_NOUN.search(clause) else ""):
            pairs = []  # "Microsoft signed a $10 billion deal with OpenAI": no word says compute, chips or an investment
        strength = sum(c.weight for c in weighted if c.kind is kind)
        for payer, recipient, mon, conf_bits in pairs:
            if _is_lender(payer.id, directory) and _is_lender(recipient.id, directory):
                continue  # "JPMorgan and MUFG are among the banks leading …": the borrower is not named here
            deal_kind = own_kind.get(id(mon), kind)
            if kind in (DealKind.EQUITY_INVESTMENT, DealKind.COMPUTE_COMMITMENT) and _is_venture(recipient.id, directory):
                deal_kind = DealKind.JV  # money put into a joint venture the ledger knows
            if kind is DealKind.CHIP_PURCHASE and directory.kind(recipient.id) in _CLOUDS:
                deal_kind = DealKind.COMPUTE_COMMITMENT  # GPUs from a cloud are rented capacity
            if kind is DealKind.EQUITY_INVESTMENT and payer.id in ("bond-investors", "bank-lenders"):
                deal_kind = DealKind.DEBT  # "raised €6.75 billion from bond investors"
            if kind is DealKind.LEASE and directory.kind(recipient.id) in _CLOUDS and _RENTED_COMPUTE.search(clause) \
                    and not _SPACE.search(clause):
                deal_kind = DealKind.COMPUTE_COMMITMENT  # "lease GPU capacity from CoreWeave": rented compute
            if talks:
                conf_bits = [*conf_bits, "talks, not a signed deal: a ledger holds it as rumored"]
            qualifier = mon.qualifier if mon is not None else Qualifier.UNDISCLOSED
            if mon is not None and qualifier is Qualifier.EXACT and (hearsay is not None or talks):
                qualifier = Qualifier.ESTIMATE
            confidence = 0.55 + (0.15 if mon is not None else 0) + (0.1 if payer.known and recipient.known else -0.15)
            confidence -= 0.1 * len(conf_bits)
            pr, rr = role_of.get(payer.id), role_of.get(recipient.id)
            signals = {"frame": framed or any(r is not None and not r.anaphora and r.role in _EXPLICIT for r in (pr, rr)),
                       "in_sentence": all(r is not None and not r.anaphora for r in (pr, rr)) or
                       (_is_lender(payer.id, directory) and rr is not None and not rr.anaphora),
                       "one_figure": mon is not None and (len(money) == 1 or len(pairs) == len(money)),
                       "strong_kind": strength >= 5 or kind in (DealKind.JV, DealKind.ACQUISITION, DealKind.WARRANT),
                       "gapped": any(n in (GAPPED, PAIRED, DATED) for n in conf_bits),
                       "itemised": any(n in (ITEMISED, TRANCHE) for n in conf_bits),
                       "split_verb": bool(out) and bool(subjects) and subjects[-1].mention.end <= a,
                       "vehicle": is_proposed_vehicle(recipient),
                       "linked": linked,
                       "far_party": far,
                       "nominal": any((payer.id, recipient.id) == (n.payer.id, n.recipient.id) for n in noms),
                       # A new company recognised only by its shape or from a weaker position ("a loan for X").
                       "new_org": any(not p.known and (p.id in directory.shaped or (
                           r is not None and r.role not in _UNKNOWN_ROLES and r.role != "in"))
                                      for p, r in ((payer, pr), (recipient, rr)))}
            if signals["gapped"] or signals["itemised"]:
                signals["one_figure"] = mon is not None  # each figure is paired with its own party
            (context.tentative if tentative else out).append(
                ClauseDeal(payer, recipient, deal_kind, mon, qualifier, a, b, round(max(0.05, min(confidence, 0.95)), 2),
                           tuple(conf_bits), frozenset(k for k, v in signals.items() if v)))
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
    out += _venture_appositive(sentence, all_mentions, out, directory)
    out += venture_readings(sentence, all_mentions, out, context, directory)
    out += _split_by_instrument(sentence, all_mentions, out, money_all, directory)
    out += _relative_investments(sentence, all_mentions, out, context, find_money(sentence), directory)
    out += _venture_contribution(sentence, mentions, out, context, money_all)
    named = [*mentions, *directory.unknown_orgs(sentence, [(m.start, m.end) for m in mentions])]
    out += complete_open_deal(sentence, sorted(named, key=lambda m: m.start), out, context, told, directory)
    out += kind_named_next(sentence, out, kindless, context)
    money_without_kind(sentence, mentions, [m for m in money_all if context_role(sentence, m) == "deal"], out, context)
    if not out and not context.tentative and not talks and context.kindless is None:
        # Nothing above read the sentence: the back-off reading of two named companies and one deal figure.
        out = backoff.read(sentence, all_mentions, money_all, masked, directory)
        if out and context.open_deal is not told:
            context.open_deal = told  # the sentence named both sides after all
        for x in out:
            backoff.note(context, x)
    # A figure outside the reading's clause that measures its deal; a first tranche gives way to its ceiling.
    out = without_bystanders(sentence, _backstop_takes_figure(out), all_mentions, directory)
    return bind_figures(sentence, out, find_money(sentence), masked, all_mentions)
