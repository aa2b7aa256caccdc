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

from dealweb.extract.parties import Directory, Mention, PartyRef, slug
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
# "… agreed to set up SB OpenAI Japan, a joint venture to …": the whole capitalised name is the vehicle, even with a
# partner's name inside it.
_SET_UP_NAMED = re.compile(rf"\b(?:form|forms|formed|forming|create|creates|created|creating|set up|sets up|setting up|"
                           rf"establish|establishes|established|launch|launches|launched|unveil|unveils|unveiled)\s+"
                           rf"(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){{1,4}})(?=\s*,\s*(?:a|an|their|the)\s+(?:new\s+|"
                           rf"[\w-]+\s+){{0,2}}?{_VEHICLE_WORD}\b)")
# "… formed a consortium called Global AI Power Partners".
_SET_UP_CALLED = re.compile(rf"\b(?:form|forms|formed|forming|create|creates|created|creating|set up|sets up|setting up|"
                            rf"establish|establishes|established|launch|launches|launched|unveil|unveils|unveiled)\s+"
                            rf"(?:a|an)\s+(?:new\s+|[\w-]+\s+){{0,2}}?(?:{_VEHICLE_WORD}|alliance|partnership)\s+(?:called|"
                            rf"named|dubbed|known as)\s+[\"“']?(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){{0,5}})")
_SET_UP_AS = re.compile(rf"\s*,\s*(?:a|an|their|the)\s+(?:new\s+|[\w-]+\s+){{0,2}}?{_VEHICLE_WORD}\b", re.I)
# "The venture is owned by SoftBank and Oracle", "The project is a joint venture between …", "The consortium includes
# A, B and C": a vehicle told of before, by reference. Words that name a venture take any of these predicates; words
# that may name any company ("the project", "the company") only the ones that say it is a joint venture.
_VENTURE_NOUN = r"(?:venture|JV|joint venture|consortium|vehicle|partnership|alliance)"
_ANY_NOUN = r"(?:project|company|entity|business|group|firm)"
_PCT = r"(?:\d{1,3}(?:\.\d+)?\s?(?:%|per\s?cent)[\s-]+)"
_OWNED = rf"{_PCT}?(?:(?:jointly|equally|co-)\s*)?(?:owned|held)\s+{_PCT}?by"
_VENTURE_PRED = rf"(?:{_OWNED}|a\s+(?:[\w-]+\s+)?{_VEHICLE_WORD}\s+(?:of|between|by)|made up of|comprised of|" \
                r"(?:includes|comprises|counts)|(?:has|will have)\s+(?:\w+\s+)?(?:members|partners|owners|shareholders)" \
                r"(?:\s*:|,?\s+(?:including|namely)))"
_ANY_PRED = rf"(?:(?:jointly|equally|co-)\s*owned\s+by|a\s+(?:[\w-]+\s+)?{_VEHICLE_WORD}\s+(?:of|between|by))"
_VEHICLE_REF = re.compile(rf"^(?:The|This|That|Its|Their)\s+(?:new\s+|joint\s+|50-50\s+|[\w-]+\s+)?"
                          rf"(?:{_VENTURE_NOUN}\s+(?:is|was|will be|would be|includes|comprises|counts|has|will have)?"
                          rf"\s*(?P<pred>{_VENTURE_PRED})|{_ANY_NOUN}\s+(?:is|was|will be|would be)\s+(?P<any>{_ANY_PRED}))"
                          r"\s+", re.I)
# "Crusoe and Blue Owl will each own half of the venture", "SoftBank will hold 51% of the venture, with OpenAI
# holding the rest", "The partners will hold equal stakes in the new company".
_OWNS = re.compile(r"(?:\s*(?:will|would|are to|is to|each|also|jointly|,))*\s+(?:own|owns|hold|holds|take|takes|"
                   r"have|has|get|gets|receive|receives)\s+(?:[\w%.-]+\s+){0,4}?(?:of|in)\s+the\s+(?:(?:new|joint|50-50)\s+)?"
                   r"(?:venture|JV|joint venture|vehicle)\b|"
                   r"(?:\s*(?:will|would|each|also|jointly|,))*\s+(?:own|owns|hold|holds|take|takes|have|has)\s+"
                   r"(?:[\w%.-]+\s+){0,4}?(?:of|in)\s+the\s+new\s+(?:company|entity|business)\b", re.I)
_REST = re.compile(r",?\s+(?:with|and|while)\s+$", re.I)
_REST_AFTER = re.compile(r"\s+(?:(?:holding|owning|taking|having|to hold|to own|will hold|will own|holds|owns)\s+(?:the\s+)?"
                         r"(?:rest|remainder|remaining|balance|other)\b|(?:(?:holding|owning|taking|having|with|will hold|"
                         r"will own|holds|owns)\s+)?(?:a\s+|the\s+other\s+)?\d{1,3}(?:\.\d+)?\s?(?:%|per\s?cent))", re.I)
_OWNERS_PCT = re.compile(r"^\s*(?:,|and|, and)?\s*(?:\d{1,3}(?:\.\d+)?\s?(?:%|per\s?cent)\s+)?by\s+$", re.I)
_LIST_GLUE = re.compile(r"\s*(?:,\s*and|,|and|&)\s+(?:the\s+)?$|\s*(?:,\s*and|,|and|&)\s*$")
# A consortium or alliance that sets standards, studies safety or lobbies is no venture anyone pays into.
_NO_MONEY_GROUP = re.compile(r"\b(?:standards?|safety|research|open[- ]source|interoperab\w*|lobby\w*|advoca\w*|"
                             r"best practices|guidelines|specifications?|benchmarks?|non-?profit|trade (?:group|body|"
                             r"association)|industry (?:group|body|association))\b", re.I)
_VENTURE_TALK = re.compile(r"\b(?:joint[- ]venture|JV|venture|consortium|coalition|alliance|partnership|owned|own|owns|"
                           r"hold|holds|stakes?|members|joined|join|joins|includes|comprises)\b", re.I)
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
    if not _VENTURE_TALK.search(sentence):
        return []  # most sentences: no word of a venture, its owners or its members
    if _NO_MONEY_GROUP.search(sentence) and not re.search(r"\bjoint[- ]venture\b|\bJV\b", sentence):
        return []  # an industry group for standards, safety or research: members, but no money into a vehicle
    every = _every(sentence, mentions, directory)
    found = _described(sentence, every, context, directory)
    if not found:
        return []
    vehicle = found[0].recipient
    # The same sentence read as a deal between the vehicle and a partner with no figure is this venture again.
    out[:] = [x for x in out if x.money is not None or vehicle.id not in (x.payer.id, x.recipient.id)]
    context.venture = (vehicle, [x.payer for x in found], 0)
    return found


def _owners(sentence: str, start: int, every: list[Mention]) -> list[Mention]:
    """The owners listed from ``start``: a list of names ("A, B and C"), or owners each with a share ("Nvidia and
    40% by Samsung", "GIC and 25% by Equinix")."""
    out = _name_list(sentence, start, every)
    if not out:
        return out
    for m in every:
        if m.start > out[-1].end and _OWNERS_PCT.match(sentence[out[-1].end:m.start]):
            out.append(m)
    return out


def _vehicle_for(partners: list[PartyRef], context: Context, directory: Directory, *,
                 from_before: bool) -> PartyRef | None:
    """The vehicle "the venture" stands for; with no venture or vehicle named before, a proposed one."""
    from dealweb.extract.links import proposed_vehicle

    ids = {p.id for p in partners}
    vehicle = _previous_vehicle(context, directory, ids) if from_before else None
    if vehicle is not None and ((context.venture is not None and vehicle.id == context.venture[0].id)
                                or not vehicle.known or _is_consortium(vehicle, directory)):
        return vehicle
    return proposed_vehicle(list({p.id: p for p in partners}.values())) if len(ids) >= 2 else None


def _described(sentence: str, every: list[Mention], context: Context, directory: Directory) -> list[ClauseDeal]:
    ref = _VEHICLE_REF.match(sentence)
    if ref is not None:
        partners = _owners(sentence, ref.end(), every)
        if len(partners) >= 2:
            vehicle = _vehicle_for([m.party for m in partners], context, directory, from_before=True)
            if vehicle is not None:
                return _deals([m.party for m in partners], vehicle, 0, partners[-1].end,
                              "the venture is the one told in a sentence before; its owners are named here",
                              frozenset({"linked"}))
    named = _SET_UP_NAMED.search(sentence) or _SET_UP_CALLED.search(sentence)
    if named is not None:
        a, b = named.span("name")
        inside = [m for m in every if a <= m.start and m.end <= b]
        vehicle = inside[0].party if len(inside) == 1 and (inside[0].start, inside[0].end) == (a, b) else \
            PartyRef(slug(named.group("name")), named.group("name"), named.group("name"), known=False)
        verb_at = named.start()
        setters = _members_before(sentence, [m for m in every if m.end <= verb_at], _verb_start(sentence, verb_at))
        if len(setters) >= 2:
            return _deals(setters, vehicle, 0, b, "the partners set up the named venture")
    owned = _owned_venture(sentence, every, context, directory)
    if owned:
        return owned
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


def _verb_start(sentence: str, at: int) -> int:
    """Where the verb group before ``at`` begins ("agreed to set up" → "agreed"): auxiliaries and "agreed to",
    "plan to", "will" go with the verb, so the subject list ends before them."""
    head = re.search(r"(?:\s+(?:have|has|had|will|would|also|jointly|formally|agreed to|agree to|agrees to|plan to|plans "
                     r"to|planned to|are to|is to|said they would|said they will|on \w+))*\s*$", sentence[:at])
    return head.start() if head is not None else at


def _owned_venture(sentence: str, every: list[Mention], context: Context, directory: Directory) -> list[ClauseDeal]:
    """"A and B will each own half of the venture", "A will hold 51% of the venture, with B holding the rest"."""
    for i, m in enumerate(every):
        hit = _OWNS.match(sentence, m.end)
        if hit is None:
            continue
        owners = _members_before(sentence, every[:i + 1], m.end)
        rest = next((x for x in every[i + 1:] if _REST.search(sentence[hit.end():x.start]) is not None
                     and x.start - hit.end() < 40 and _REST_AFTER.match(sentence, x.end)), None)
        if rest is not None:
            owners = [*owners, rest.party]
        told = context.venture[0] if context.venture is not None and context.venture[2] < _WINDOW else None
        shares = re.search(r"\beach\b|\bequal\b|\bhalf\b|\d\s?%|\bstake\b", sentence[m.end:hit.end()])
        if shares is None and rest is None:
            return []
        if len({p.id for p in owners}) < 2 and told is None:
            return []  # one owner's share of a venture the text has not told of: a stake, not a venture
        vehicle = told or _vehicle_for(owners, context, directory, from_before=False)
        if vehicle is None:
            return []
        return _deals(owners, vehicle, 0, hit.end(), "the partners' shares of the venture", frozenset({"linked"}))
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
