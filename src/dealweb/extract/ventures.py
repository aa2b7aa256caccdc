"""Joint ventures and consortia described rather than formed: who the partners of a vehicle are.

A venture is often told as a fact about the vehicle, not as an act of its partners:

* "Stargate UAE is a joint venture of G42 and OpenAI"; "V, a joint venture between A and B, …";
* "Hyperion … will be jointly owned by Meta and Blue Owl";
* "The venture is owned by SoftBank and Oracle" after a sentence naming the vehicle (or after the
  venture was agreed);
* "The AI Infrastructure Partnership, whose members include A, B and C, …"; "a consortium called
  V, made up of A, B and C";
* "A and B have joined the AI Infrastructure Partnership" (a vehicle the ledger or its name says is
  a consortium or venture);
* "A, B and C unveiled Stargate, a joint venture to …".

Each gives one figureless ``jv`` deal per partner into the vehicle (a partner's own figure comes
from "each"/"apiece"/"respectively", see :func:`~dealweb.extract.links._venture_contribution`);
the vehicle is remembered (:attr:`~dealweb.extract.roles.Context.venture`) so that "the partners",
"the two companies" and "the venture" in the next sentences stand for them. Talks, memoranda of
understanding and plans "to explore" a venture give nothing. Signal ``venture``.
"""

from __future__ import annotations

import re

from dealweb.extract.parties import Directory, Mention, PartyRef
from dealweb.extract.phrases import _TALKS
from dealweb.extract.roles import ClauseDeal, Context
from dealweb.model.vocab import DealKind, Qualifier

__all__ = ["NOT_A_VENTURE", "venture_readings"]

#: Words that make a venture a plan, not one agreed: memoranda, letters of intent, exploring, studying.
NOT_A_VENTURE = re.compile(r"\b(?:memorandum|memorandums|memoranda|MoU|MOU|letter of intent|LOI|non-binding|explor\w*|"
                           r"stud(?:y|ies|ying)|feasibility|consider\w*|could|might|may|potential|possible|proposed|"
                           r"would like|hopes? to|aims? to|in talks|discuss\w*|negotiat\w*)\b")
_VEHICLE_WORD = r"(?:joint[- ]venture|JV|consortium|coalition)"
# "V, a joint venture between A and B": the vehicle, then in apposition or after a copula, its partners.
_DESCRIBED_AS = re.compile(rf"\s*(?:,\s*|\s+(?:is|was|will be|would be|becomes|became)\s+)(?:a|an|the)\s+"
                           rf"(?:[\w-]+\s+){{0,3}}?{_VEHICLE_WORD}\s+(?:between|of|by|from|owned by|formed by|"
                           rf"comprising|made up of|that includes|which includes|including)\s+", re.I)
_JOINTLY_OWNED = re.compile(r"\s*(?:,[^,;]{1,80},\s*)?(?:is|was|will be|would be|are|to be)\s+(?:jointly|equally|co-)\s*"
                            r"owned\s+by\s+|\s*(?:,[^,;]{1,80},\s*)?(?:is|was|will be|would be)\s+owned\s+jointly\s+by\s+",
                            re.I)
# "The AI Infrastructure Partnership, whose members include …", "a consortium called V, made up of …".
_MEMBERS = re.compile(r"\s*,\s*(?:whose\s+(?:members|partners|founding members|participants)\s+(?:include|includes|included|"
                      r"are|were|comprise)|(?:which|that)\s+(?:includes|included|comprises)|made up of|comprising|"
                      r"formed by|set up by|founded by)\s+", re.I)
_CALLED = re.compile(rf"\b{_VEHICLE_WORD}\s+(?:called|named|dubbed|known as)\s+$", re.I)
_CONSORTIUM_NAME = re.compile(r"\b(?:Partnership|Consortium|Alliance|Coalition|Venture|Ventures|JV)\b")
# "Nvidia and xAI have joined the AI Infrastructure Partnership".
_JOINED = re.compile(r"\s+(?:have\s+|has\s+|had\s+|will\s+|formally\s+|also\s+)*(?:joined|join|joins|joining|became "
                     r"(?:members|partners) of|become (?:members|partners) of)\s+(?:the\s+)?$", re.I)
# "A, B and C unveiled Stargate, a joint venture to …": the vehicle set up by the subjects.
_SET_UP = re.compile(r"\b(?:formed|form|forms|forming|created|create|creates|creating|set up|sets up|setting up|established|"
                     r"establish|establishes|launched|launch|launches|launching|unveiled|unveil|unveils|announced|"
                     r"announce|announces|started|start)\s+$", re.I)
_SET_UP_AS = re.compile(rf"\s*,\s*(?:a|an|their|the)\s+(?:new\s+|[\w-]+\s+){{0,2}}?{_VEHICLE_WORD}\b", re.I)
# "The venture is owned by SoftBank and Oracle": a vehicle told of before, by reference.
_VEHICLE_REF = re.compile(rf"^(?:The|This|That|Its|Their)\s+(?:new\s+|joint\s+|50-50\s+|[\w-]+\s+)?(?:venture|JV|"
                          rf"consortium|vehicle)\s+(?:is|was|will be|would be)\s+(?:(?:jointly|equally|co-)\s*)?"
                          rf"(?:owned\s+by|held\s+by|a\s+(?:[\w-]+\s+)?{_VEHICLE_WORD}\s+(?:of|between|by))\s+", re.I)
_LIST_GLUE = re.compile(r"\s*(?:,\s*and|,|and|&)\s+(?:the\s+)?$|\s*(?:,\s*and|,|and|&)\s*$")
#: How far back (sentences) "the venture" looks for its vehicle.
_WINDOW = 3


def _every(sentence: str, mentions: list[Mention], directory: Directory) -> list[Mention]:
    extra = directory.unknown_orgs(sentence, [(m.start, m.end) for m in mentions])
    return sorted([*mentions, *extra], key=lambda m: m.start)


def _name_list(sentence: str, start: int, every: list[Mention], *, limit: int = 6) -> list[Mention]:
    """The companies listed from ``start`` on ("BlackRock, Microsoft, MGX and Nvidia"): names joined by commas or
    "and", the first within a few characters of ``start``; the list ends at the first gap that is not glue."""
    out: list[Mention] = []
    at = start
    for m in every:
        if m.start < at:
            continue
        gap = sentence[at:m.start]
        if not out and not re.fullmatch(r"\s*(?:the\s+)?", gap):
            break
        if out and not _LIST_GLUE.fullmatch(gap):
            break
        out.append(m)
        at = m.end
        if len(out) >= limit:
            break
    return out


def _deals(partners: list[PartyRef], vehicle: PartyRef, start: int, end: int, note: str,
           signals: frozenset[str] = frozenset()) -> list[ClauseDeal]:
    distinct = [p for p in {p.id: p for p in partners}.values() if p.id != vehicle.id]
    return [ClauseDeal(p, vehicle, DealKind.JV, None, Qualifier.UNDISCLOSED, start, end, 0.5, (note,),
                       frozenset({"strong_kind", "venture"}) | signals) for p in distinct]


def _is_consortium(party: PartyRef, directory: Directory) -> bool:
    entity = directory.entities.get(party.id) if party.known else None
    text = " ".join([party.name, *(entity.aliases if entity else ()), (entity.notes or "") if entity else ""])
    return bool(_CONSORTIUM_NAME.search(party.name) or re.search(r"\b(?:joint venture|consortium|JV)\b", text, re.I))


def _previous_vehicle(context: Context, directory: Directory, exclude: set[str]) -> PartyRef | None:
    """The vehicle "the venture" stands for: the venture told at most three sentences back, else the first company
    the sentence before named (the subject of "Crystal Grid will build …")."""
    if context.venture is not None and context.venture[2] < _WINDOW and context.venture[0].id not in exclude:
        return context.venture[0]
    if not context.earlier:
        return None
    _, text = context.earlier[-1]
    first = _every(text, directory.mentions(text), directory)
    first = [m for m in first if m.party.id not in exclude]
    return first[0].party if first and first[0].start < 40 else None


def venture_readings(sentence: str, mentions: list[Mention], out: list[ClauseDeal], context: Context,
                     directory: Directory) -> list[ClauseDeal]:
    """The partners of a vehicle the sentence describes (see the module notes): one figureless ``jv`` deal each."""
    if any(x.kind is DealKind.JV for x in out) or len(sentence) > 600 or _TALKS.search(sentence) or \
            NOT_A_VENTURE.search(sentence):
        return []
    every = _every(sentence, mentions, directory)
    found = _described(sentence, every, context, directory)
    if not found:
        return []
    vehicle = found[0].recipient
    # The same sentence read as a deal between the vehicle and a partner with no figure is this venture again.
    out[:] = [x for x in out if x.money is not None or vehicle.id not in (x.payer.id, x.recipient.id)]
    context.venture = (vehicle, [x.payer for x in found], 0)
    return found


def _described(sentence: str, every: list[Mention], context: Context, directory: Directory) -> list[ClauseDeal]:
    ref = _VEHICLE_REF.match(sentence)
    if ref is not None:
        partners = _name_list(sentence, ref.end(), every)
        vehicle = _previous_vehicle(context, directory, {m.party.id for m in partners})
        if vehicle is not None and len(partners) >= 2:
            return _deals([m.party for m in partners], vehicle, 0, ref.end(),
                          "the venture is the one told in a sentence before; its owners are named here",
                          frozenset({"linked"}))
    for i, m in enumerate(every):
        after = sentence[m.end:m.end + 200]
        before = sentence[max(0, m.start - 40):m.start]
        for pattern, note in ((_DESCRIBED_AS, "the venture and its partners are told in apposition"),
                              (_JOINTLY_OWNED, "the vehicle is jointly owned by its partners")):
            hit = pattern.match(after)
            if hit is not None:
                partners = _name_list(sentence, m.end + hit.end(), every)
                if len(partners) >= 2 or (pattern is _DESCRIBED_AS and partners):
                    return _deals([p.party for p in partners], m.party, m.start, partners[-1].end, note)
        hit = _MEMBERS.match(after)
        if hit is not None and (_CALLED.search(before) or _is_consortium(m.party, directory)):
            partners = _name_list(sentence, m.end + hit.end(), every)
            if len(partners) >= 2:
                return _deals([p.party for p in partners], m.party, m.start, partners[-1].end,
                              "the members of a named consortium")
        joined = _JOINED.search(before)
        if joined is not None and _is_consortium(m.party, directory):
            joiners = _members_before(sentence, every[:i], m.start - len(joined.group()))
            if joiners:
                return _deals(joiners, m.party, 0, m.end, "companies joining a named consortium")
        verb = _SET_UP.search(before)
        if verb is not None and _SET_UP_AS.match(after) and (not m.party.known or _is_consortium(m.party, directory)):
            joiners = _members_before(sentence, every[:i], m.start - len(verb.group()))
            if len(joiners) >= 2:
                return _deals(joiners, m.party, 0, m.end, "the partners set up the named venture")
    return []


def _members_before(sentence: str, before: list[Mention], end: int) -> list[PartyRef]:
    """The subject list that ends right before ``end`` ("Nvidia and xAI have"): names joined by commas or "and"."""
    out: list[Mention] = []
    at = end
    for m in reversed(before):
        gap = sentence[m.end:at]
        if not out and not re.fullmatch(r"\s*(?:have|has|had|will|would|also|formally|jointly|\s)*", gap):
            break
        if out and not _LIST_GLUE.fullmatch(gap + " "):
            break
        out.insert(0, m)
        at = m.start
    return [m.party for m in out]
