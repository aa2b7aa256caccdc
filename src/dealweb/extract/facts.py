"""Financial facts in a sentence: valuations, earlier valuations, stakes, revenue, backlog.

These become candidate :class:`~dealweb.model.records.FinancialSnapshot` rows. The figure's
role comes from :func:`~dealweb.extract.amounts.context_role`; the company it is about is
the possessor ("Anthropic's valuation"), the subject ("Mistral AI was valued at"), the
object of *values* ("values the firm at" → the last company named) or the recipient of
the deal in the same sentence. A stake's holder is the sentence's subject and the company
held the one after "in"/"of".

Metrics (:class:`~dealweb.model.vocab.Metric`): ``valuation`` (post-money unless the text
says pre-money or implied), ``stake_value``, ``stake_pct``, ``revenue``,
``revenue_quarter``, ``revenue_run_rate``, ``backlog_rpo``. "up from $183 billion" gives
a second snapshot of the same metric, dated by "as of September" or "a year earlier" when
the text says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from dealweb.extract.amounts import Money, context_role, find_money
from dealweb.extract.clauses import Context, mask_background
from dealweb.extract.parties import Directory, PartyRef
from dealweb.model.dates import PartialDate
from dealweb.model.vocab import Metric, Qualifier

__all__ = ["SentenceFact", "facts_in_sentence"]

_PCT = re.compile(r"(?P<q>about|around|roughly|nearly|almost|some|approximately|~)?\s*(?P<n>\d{1,2}(?:\.\d+)?)\s?"
                  r"(?:%|per ?cent\b|percent\b)", re.I)
_STAKE_WORDS = re.compile(r"\b(?:stake|holding|shareholding|owns|own|ownership|hold|holds)\b", re.I)
_FOR_PCT = re.compile(r"\bfor\s+(?:about\s+|around\s+|roughly\s+|nearly\s+)?$", re.I)
_ANAPHORA = re.compile(r"\b(?:the|this)\s+(?:[\w-]+\s+)?(?:startup|start-up|company|firm|lab|group|maker|business|"
                       r"developer)\b|\bit\b|\bits\b", re.I)
_VALUES = re.compile(r"\bvalu(?:es|ed|ing)\s+(?P<obj>.{0,60}?)\s+at\s*(?:about|around|roughly|some)?\s*$", re.I)
_WAS_VALUED = re.compile(r"(?:was|is|were|are|been|being)\s+valued\s+at\s*(?:about|around|roughly|some)?\s*$", re.I)
_ESTIMATE_WORDS = re.compile(r"\b(?:about|around|roughly|nearly|approximately|some|reportedly|estimated)\b", re.I)


@dataclass(frozen=True, slots=True)
class SentenceFact:
    """A fact found in a sentence; offsets are sentence offsets."""

    entity: PartyRef
    metric: Metric
    value: Decimal
    currency: str
    qualifier: Qualifier
    counterparty: PartyRef | None
    start: int
    end: int
    date: PartialDate | None
    confidence: float


def _resolve(text: str, directory: Directory, context: Context, exclude: set[str]) -> PartyRef | None:
    found = directory.mentions(text)
    if found:
        return found[-1].party
    if _ANAPHORA.search(text):
        if context.topic is not None and context.topic.id not in exclude:
            return context.topic
        return context.last_other(exclude)
    return None


def _subject(sentence: str, directory: Directory, masked: list[tuple[int, int]]) -> PartyRef | None:
    for m in directory.mentions(sentence):
        if not any(a <= m.start < b for a, b in masked):
            return m.party
    return None


def _revenue_metric(before: str) -> Metric:
    low = before.lower()
    if re.search(r"annuali[sz]ed|run[- ]rate|\barr\b", low):
        return Metric.REVENUE_RUN_RATE
    if "quarter" in low:
        return Metric.REVENUE_QUARTER
    return Metric.REVENUE


def facts_in_sentence(sentence: str, directory: Directory, context: Context, published: PartialDate | None,
                      deal_recipient: PartyRef | None = None) -> list[SentenceFact]:
    """Valuation, stake and revenue figures in one sentence.

    Examples
    --------
    >>> from dealweb.model import Entity
    >>> d = Directory([Entity("microsoft", "Microsoft", "cloud_provider"), Entity("openai", "OpenAI", "ai_lab")])
    >>> s = "Microsoft holds a stake in OpenAI valued at $135 billion, or roughly 27 per cent of the company."
    >>> [(f.entity.id, f.metric.value, str(f.value), f.qualifier.value, f.counterparty.id)
    ...  for f in facts_in_sentence(s, d, Context(), None)]
    [('microsoft', 'stake_value', '135000000000', 'exact', 'openai'), ('microsoft', 'stake_pct', '27', 'estimate', 'openai')]
    """
    masked = mask_background(sentence)
    out: list[SentenceFact] = []
    subject = _subject(sentence, directory, masked)
    stake_holder: PartyRef | None = None
    stake_company: PartyRef | None = None
    if _STAKE_WORDS.search(sentence) and subject is not None:
        after = sentence[_STAKE_WORDS.search(sentence).end():]  # type: ignore[union-attr]
        m = re.search(r"\b(?:in|of)\s+", after)
        if m:
            held = [x for x in directory.mentions(after[m.end():m.end() + 60]) if x.party.id != subject.id]
            stake_company = held[0].party if held else None
        stake_holder = subject
    last_metric: Metric | None = None
    last_entity: PartyRef | None = None
    last_counterparty: PartyRef | None = None
    for money in find_money(sentence):
        role = context_role(sentence, money)
        before = sentence[max(0, money.start - 80):money.start]
        entity: PartyRef | None = None
        counterparty: PartyRef | None = None
        metric: Metric | None = None
        date = None
        if role == "deal":
            continue
        if role == "valuation":
            if stake_holder is not None and stake_company is not None and re.search(
                    r"\b(?:stake|holding)\b[^$]{0,60}$", before, re.I):
                entity, counterparty, metric = stake_holder, stake_company, Metric.STAKE_VALUE
            else:
                metric = Metric.VALUATION
                if re.search(r"pre-money", sentence[money.end:money.end + 30] + before[-30:], re.I):
                    metric = Metric.VALUATION_PRE_MONEY
                vm = _VALUES.search(before)
                if vm:
                    entity = _resolve(vm.group("obj"), directory, context, set())
                    if re.search(r"\bdeal\b", before[:vm.start()][-30:]):
                        metric = Metric.VALUATION_IMPLIED
                poss = re.search(r"(?P<who>[\w .&-]{2,40}?)'s\s+(?:[\w-]+\s+){0,2}valuation\b", before)
                if entity is None and poss:
                    entity = _resolve(poss.group("who"), directory, context, set())
                if entity is None and _WAS_VALUED.search(before):
                    entity = subject
                if entity is None:
                    entity = deal_recipient or subject
        elif role == "previous" and last_metric is not None:
            entity, counterparty, metric = last_entity, last_counterparty, last_metric
            tail = sentence[money.end:money.end + 60]
            m = re.search(r"\bas of (\w+)", tail) or re.search(r"\bin (\w+)\b", tail)
            if m is not None and published is not None:
                from dealweb.extract.dates import sentence_date

                date, _ = sentence_date("as of " + m.group(1), published)
                date = None if date == published else date
            elif re.search(r"a year (?:earlier|ago|before)", tail) and published is not None:
                date = PartialDate(published.year - 1, published.month, published.day)
        elif role == "revenue":
            metric = _revenue_metric(before)
            poss = re.search(r"(?P<who>[\w .&-]{2,40}?)'s\s+(?:[\w-]+\s+){0,3}(?:revenue|sales)", before)
            entity = _resolve(poss.group("who"), directory, context, set()) if poss else subject
        elif role == "backlog":
            metric = Metric.BACKLOG_RPO
            poss = re.search(r"(?P<who>[\w .&-]{2,40}?)'s\s+(?:[\w-]+\s+){0,2}(?:backlog|remaining)", before)
            entity = _resolve(poss.group("who"), directory, context, set()) if poss else subject
        if entity is None or metric is None:
            continue
        qualifier = money.qualifier if money.qualifier is not Qualifier.UP_TO else Qualifier.ESTIMATE
        out.append(_fact(entity, metric, money, qualifier, counterparty, date))
        last_metric, last_entity, last_counterparty = metric, entity, counterparty
    out += _stakes(sentence, directory, stake_holder, stake_company, subject, deal_recipient)
    return out


def _fact(entity: PartyRef, metric: Metric, money: Money, qualifier: Qualifier, counterparty: PartyRef | None,
          date: PartialDate | None) -> SentenceFact:
    confidence = 0.7 if entity.known else 0.45
    return SentenceFact(entity, metric, money.amount, money.currency, qualifier, counterparty, money.start, money.end,
                        date, confidence)


def _stakes(sentence: str, directory: Directory, holder: PartyRef | None, company: PartyRef | None,
            subject: PartyRef | None, deal_recipient: PartyRef | None) -> list[SentenceFact]:
    out: list[SentenceFact] = []
    for m in _PCT.finditer(sentence):
        before = sentence[max(0, m.start() - 120):m.start()]
        stake_word = _STAKE_WORDS.search(before + sentence[m.end():m.end() + 20])
        for_pct = _FOR_PCT.search(before) and re.search(r"\b(?:invest|put|paid|pay|bought|buy)\w*\b", sentence, re.I)
        if not (stake_word or for_pct) or re.search(r"\bwarrants?\b", before, re.I):
            continue
        who = holder or subject
        held = company or deal_recipient
        if who is None or held is None or who.id == held.id:
            continue
        value = Decimal(m.group("n"))
        qualifier = Qualifier.ESTIMATE if (m.group("q") or _ESTIMATE_WORDS.search(before[-25:])) else Qualifier.EXACT
        out.append(SentenceFact(who, Metric.STAKE_PCT, value, "", qualifier, held, m.start(), m.end(), None,
                                0.65 if who.known and held.known else 0.4))
    return out
