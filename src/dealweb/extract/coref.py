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
    from dealweb.extract.parties import Directory, PartyRef
    from dealweb.extract.roles import Context

__all__ = ["collective", "described_subject", "description_country", "description_kinds", "investors_left_unnamed",
           "lead_of_raise", "ledger_descriptions", "lists_investors", "named_later", "refer", "unnamed_counterparty"]

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


# A country's words in a description ("the Australian company", "the British startup", "the Japanese group",
# "the UK-based neocloud") → the ISO code the ledger keeps in an entity's ``country``.
_COUNTRIES: dict[str, str] = {w: code for code, words in (
    ("US", "American US U.S."), ("GB", "British UK U.K. English Scottish"), ("JP", "Japanese Japan"),
    ("KR", "Korean Korea"), ("NL", "Dutch Netherlands"), ("FI", "Finnish Finland"), ("FR", "French France"),
    ("AU", "Australian Australia"), ("AE", "Emirati UAE"), ("SA", "Saudi"), ("CN", "Chinese China"),
    ("TW", "Taiwanese Taiwan"), ("DE", "German Germany"), ("IN", "Indian India"), ("CA", "Canadian Canada"),
    ("IL", "Israeli Israel"), ("NO", "Norwegian Norway"), ("SE", "Swedish Sweden"), ("CH", "Swiss Switzerland"),
    ("SG", "Singaporean Singapore"), ("IE", "Irish Ireland"), ("ES", "Spanish Spain"), ("IT", "Italian Italy"),
    ("DK", "Danish Denmark"), ("BR", "Brazilian Brazil"), ("QA", "Qatari Qatar")) for w in words.split()}
_COUNTRY_WORD = re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in sorted(_COUNTRIES, key=len, reverse=True)) +
                           r")(?:-(?:based|headquartered|listed|born))?(?![\w-])")


def description_country(phrase: str) -> str | None:
    """The country a description gives its company ("the Australian company" → ``"AU"``), else ``None``.

    >>> description_country("The Australian company"), description_country("the UK-based neocloud")
    ('AU', 'GB')
    >>> description_country("The South Korean tech giant"), description_country("the startup") is None
    ('KR', True)
    """
    m = _COUNTRY_WORD.search(phrase)
    return _COUNTRIES[m.group(1)] if m else None


def refer(context: Context, phrase: str, directory: Directory, exclude: Iterable[str] = (), *,
          prefer_topic: bool = False) -> PartyRef | None:
    """The company a description stands for: the most recent one that fits and is not excluded.

    ``prefer_topic`` tries the company the text is about (the last recipient or reporting company)
    first, as for a description in subject position.
    """
    kinds = description_kinds(phrase)
    skip = set(exclude)
    order = [*([context.topic] if prefer_topic and context.topic is not None else []), *reversed(context.recent)]
    chain = _subject_chain(context, directory) if prefer_topic else None
    if chain is not None:
        order.insert(0, chain)
    elif prefer_topic and context.previous:
        # A description or "it" as subject continues the previous sentence's subject when it fits ("Poolside signs
        # deal with CoreWeave. The AI coding startup agreed to buy …"); a typed one only when the kind fits.
        order.insert(0, context.previous[0])
    young = bool(_YOUNG.search(phrase))
    country = description_country(phrase)
    for p in order:
        if p.id in skip or (not p.known and p is not chain):
            continue
        if not p.known:
            # A new company that opened the sentences before ("Quillwave, founded in 2023, … The startup raised …")
            # is no company of a kind the ledger knows: it fits "the company" and a word for a young one only.
            if (kinds is None or young) and country is None:
                return p
            continue
        if young and directory.is_listed(p.id):
            continue  # "the startup" is never a company with listed shares (Broadcom, Nvidia)
        if country is not None and getattr(directory.entities.get(p.id), "country", "") != country:
            continue  # "the Australian company" is an Australian one (IREN, not Microsoft named just before)
        if kinds is None or directory.kind(p.id) in kinds:
            return p
    if young and country is None:
        return _new_company_before(context, directory, skip)
    return None


def _new_company_before(context: Context, directory: Directory, skip: set[str]) -> PartyRef | None:
    """The last new company (one the ledger does not hold) named in the two sentences before, for "the startup" when
    no company the ledger knows fits: "Character.AI signed a deal with Google. Google will pay the startup …". Only a
    name with a sign it is a company (a company word, an odd spelling, a description after it)."""
    for _, text in reversed(context.earlier[-2:]):
        known = directory.mentions(text)
        found = [m for m in directory.unknown_orgs(text, [(x.start, x.end) for x in known])
                 if m.party.id not in skip and (m.party.id in directory.evidenced or m.party.id in directory.shaped
                                                or _DESCRIBED_AFTER.match(text, m.end))]
        if found:
            return found[-1].party
    return None


# Words that say a company is young and private: never one whose shares are listed.
_YOUNG = re.compile(r"\b(?:startup|start-up|upstart|newcomer|unicorn)s?$", re.I)


_OPENS_BY_REFERENCE = re.compile(r"^(?:It|They|(?:The|This|That)\s+(?:[\w.$'-]+\s+){0,4}?(?:company|startup|start-up|firm|"
                                 r"lab|group|giant|maker|developer|provider|operator|chipmaker|business|outfit|"
                                 r"neocloud|hyperscaler|lender|bank|investor|fund|designer|manufacturer))\b")


# After a new name, words that describe it: "MatX, which was founded …", "Quillwave, a drone startup, …", "(QW)".
_DESCRIBED_AFTER = re.compile(r"\s*(?:\(|,\s+(?:an?|the|which|who|whose|one|founded|based|backed|headquartered|"
                              r"launched|started|created|spun|[\w-]+-(?:based|backed|founded|owned))\b)")


def _subject_chain(context: Context, directory: Directory | None = None) -> PartyRef | None:
    """The company the last sentences are about, followed through sentences that open with "it" or "the startup".

    "Anthropic has turned to Broadcom. The startup, which also rents Google's TPUs, has grown. It placed an
    order …": the sentence before opens with a description, so its subject is the one before it, Anthropic (not
    Google, named inside it). A sentence that opens with a company's name gives that company, a new one the ledger
    does not hold too (when ``directory`` is given); anything else (or more than three sentences) gives ``None``.
    """
    for parties, text in reversed(context.earlier[-3:]):
        # (past a short time phrase: "In September, it …")
        head = re.sub(r"^(?:In|On|Last|Earlier|Later|This|Since)\b[^,;$€£]{0,30},\s*i(?=t\b)", "I", text.lstrip(" \"“'"))
        opener = next((p for p in parties if p.surface and head.startswith(p.surface)), None)
        if opener is None and directory is not None and head[:1].isalpha():
            # A new name only with a sign it is a company: a description or clause after it ("MatX, which was
            # founded …"), a company word or odd spelling ("Tallbird Robotics", "d-Matrix"): not "History was made".
            opener = next((m.party for m in directory.unknown_orgs(head[:120], []) if m.start == 0
                           and (_DESCRIBED_AFTER.match(head, m.end)
                                or m.party.id in directory.evidenced or m.party.id in directory.shaped)), None)
        if opener is None and directory is not None:
            opener = new_subject(head, directory)
        if opener is not None:
            return opener
        if not _OPENS_BY_REFERENCE.match(head):
            return None
    return None


# A new name as a sentence's subject: its verb follows it ("Quillwave raised …", "Tallbird has signed …", "Orbis will
# buy …"), at the start or past a short opening phrase ("On Monday, Quillwave said …").
_OPENING = re.compile(r"^(?:[A-Z][^,;:$€£()\"“]{0,70},\s+)?(?=[A-Z])")
_VERB_AFTER = re.compile(r"\s+(?:(?:also|now|then|recently|reportedly|previously|already|just|initially|officially|"
                         r"quietly|formally|first|itself)\s+)?(?:has|had|have|is|was|were|will|would|could|can|may|might|"
                         r"plans|said|says|won|wins|led|leads|got|gets|made|makes|took|takes|sold|sells|bought|buys|paid|"
                         r"pays|struck|spent|set|put|became|began|agreed|[a-z]{3,}ed|[a-z]{3,}[^s\W]s)\b(?!\s+(?:of|by)\b)")


def new_subject(text: str, directory: Directory) -> PartyRef | None:
    """The new company (one the ledger does not hold) a sentence opens with, when its verb follows it.

    "Quillwave raised $40 million." and "On Monday, Quillwave said …" give Quillwave; a name the ledger knows is
    left to the caller, and a name with no verb after it ("Quillwave shares", "Quillwave and Orbis") gives ``None``.
    """
    opening = _OPENING.match(text[:200])
    if opening is None:
        return None
    at = opening.end()
    if any(m.start < at + 2 for m in directory.mentions(text[:at + 60])):
        return None
    found = [m for m in directory.unknown_orgs(text[:at + 120], []) if m.start == at]
    if not found or found[0].party.known or not _VERB_AFTER.match(text, found[0].end):
        return None
    return found[0].party


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
                     r"investment|funding|offering|facility|loan)(?:,\s+(?:which|that)\s+[^,;]{1,80},)?\s+"
                     r"(?:was|is|were|has been)\s+(?:(?:co-)?led|spearheaded|anchored|arranged|underwritten|provided|"
                     r"(?P<backed>backed|funded|supported))\s+by\b|"
                     r"^(?:The|That|This)\s+(?:[\w-]+\s+){0,2}(?:round|financing|raise|fundraising|funding|investment),\s+"
                     r"(?:(?:co-)?led|spearheaded|anchored)\s+by\b|^(?:Co-)?[Ll]ed\s+by\b(?=[^;]{1,120},\s+(?:the|this|that)\s+(?:[\w-]+\s+){0,2}(?:round|financing|"
                     r"raise|funding|investment)\b)")
# A list of names after "by" ends at the first clause break (", with participation from …").
_BY_LIST_END = re.compile(r",\s+(?:with|while|and\s+(?:the|a|an|its)|as|in|this|the|that|which)\b|[;:.—]")


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
        rest = sentence[m.end():m.end() + 300]
        stop = _BY_LIST_END.search(rest)
        rest = rest[:stop.start()] if stop is not None else rest
        named = directory.mentions(rest)
        named += directory.unknown_orgs(rest, [(x.start, x.end) for x in named])
        named.sort(key=lambda x: x.start)
        pool = directory.entities.get("venture-investors")
        if m.group("backed") and len({x.party.id for x in named}) > 1 and pool is not None:
            # "The round is backed by Nvidia and Ellerston": several backers and one figure are the investor group.
            from dealweb.extract.parties import PartyRef

            return PartyRef(pool.id, pool.name, "investors")
        if named and named[0].start < 60:
            return named[0].party
    return None


# "Investors included A, B and C", "The round also included A", "Other backers are A and B": the investors of a round
# told before, listed with no part of the figure each.
_INVESTOR_LIST = re.compile(r"^(?:[^,;]{0,30},\s+)?(?:(?:Other|Existing|New|Returning|Participating|Additional|Its|The)\s+)?"
                            r"(?:investors|backers|participants|investors\s+in\s+the\s+round)\s+(?:also\s+)?"
                            r"(?:include[sd]?|including|were|are|comprised?|counted)\b|^(?:The|That|This)\s+(?:[\w-]+\s+){0,2}"
                            r"(?:round|raise|financing|funding)\s+(?:also\s+)?(?:include[sd]?|drew(?:\s+in)?|attracted|"
                            r"saw\s+participation\s+from|had\s+participation\s+from)\b", re.I)
# A sentence that opens with its own company raising money ("Acme, a robotics startup, raised $40 million …"): a
# list of raises, each with its own company, not the investors of the one before.
_OWN_RAISE = re.compile(r"^\s*(?:(?:And|Also|Meanwhile|Elsewhere|Separately|Details)\b[,:]?\s*)?"
                        r"(?:[^,;]{1,30},\s+[^,;]{1,90},\s+|[^,;]{1,40}?\s+)(?:has\s+|have\s+|had\s+|also\s+|just\s+)?(?:raised|closed|secured|landed|"
                        r"pulled\s+in|raked\s+in|bagged)\b", re.I)


def lists_investors(sentence: str) -> bool:
    """Whether the sentence only lists a round's investors, with no figure of their own.

    >>> lists_investors("Investors included Nvidia and Intel."), lists_investors("Nvidia put in $100 million.")
    (True, False)
    """
    from dealweb.extract.amounts import find_money

    text = sentence[:600]
    return _INVESTOR_LIST.match(text) is not None and not find_money(text)


def investors_left_unnamed(sentence: str, company: PartyRef, directory: Directory) -> bool:
    """Whether the sentence after a raise with no investor leaves its investors unnamed, so the round is the pooled
    investor group's: it names no other company; or it only lists investors with no figure of their own ("Investors
    included A, B and C"; the named ones are the group); or it is another company's own raise ("Beta raised $2
    billion …", as in a list of the week's rounds).

    >>> from dealweb.extract.parties import Directory, PartyRef
    >>> from dealweb.model.records import Entity
    >>> d = Directory([Entity("acme", "Acme"), Entity("nvidia", "Nvidia"), Entity("beta", "Beta")])
    >>> acme = PartyRef("acme", "Acme", "Acme")
    >>> investors_left_unnamed("Investors included Nvidia and Intel.", acme, d)
    True
    >>> investors_left_unnamed("Beta, a chip startup, raised $2.5 billion in a Series C round.", acme, d)
    True
    >>> investors_left_unnamed("Nvidia put in $100 million of it.", acme, d)
    False
    """
    text = sentence[:600]
    others = [m for m in directory.mentions(text) if m.party.id != company.id]
    if not others:
        return True
    if lists_investors(text):
        return True
    own = _OWN_RAISE.match(text)
    return own is not None and any(m.start < own.end() for m in others) and \
        not any(m.party.id == company.id for m in directory.mentions(text)) and \
        not re.search(r"\b(?:from|by|led|in)\s+(?:the\s+)?(?:round|raise)\b", text[:own.end()], re.I)


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


# "The two companies", "the pair", "both firms", "the partners": several companies named together before.
_GROUP_WORDS = r"(?:two|three|four)\s+(?:companies|firms|groups|partners|parties|sides|businesses)|pair|duo|trio|" \
               r"partners|(?:joint venture|venture|JV)\s+partners|(?:venture's|JV's)\s+partners|co-owners|owners"
_REF = rf"(?:(?:[Tt]he|[Tt]heir)\s+(?:{_GROUP_WORDS})|[Bb]oth\s+(?:companies|firms|groups|partners|sides)|" \
       rf"[Aa]ll\s+three\s+(?:companies|firms|groups|partners)|Each(?:\s+(?:company|firm|partner|side|party)|" \
       rf"\s+of\s+the\s+(?:two\s+|three\s+)?(?:companies|firms|partners|sides))?(?=\s+(?:will|would|is|has|agreed|plans|" \
       rf"is\s+to|holds|owns|contributes|invests)\b))\b"
# At the start (after a short opening phrase: "On Friday, the pair …"), or after "between", "by", ", with".
_COLLECTIVE = re.compile(rf"^(?:[^,;]{{0,40}},\s+)?(?P<ref>{_REF})|\b(?:between|by|with)\s+(?P<after>{_REF})")
# "SoftBank and OpenAI said on Wednesday they had agreed …": "they" is the pair speaking.
_PAIR_SAID_THEY = re.compile(r"^(?P<who>[^,;]{3,80}?)\s+(?:said|say|announced|confirmed|disclosed)\s+"
                             r"(?:on\s+\w+\s+|late\s+on\s+\w+\s+|in\s+a\s+(?:joint\s+)?statement\s+)?(?:that\s+)?"
                             r"(?P<they>they)\b")
# "The companies will form a joint venture": "the companies" alone is written out only in a sentence about a venture.
_COMPANIES_VENTURE = re.compile(r"^(?:[^,;]{0,40},\s+)?(?P<ref>[Tt]he\s+companies)(?=[^.;]{0,120}\b(?:joint[- ]venture|JV|"
                                r"consortium|venture)\b)(?P<after>)")
# "The venture", "the consortium", "the project" as the subject: the vehicle told before (a named one only).
_VEHICLE_SUBJECT = re.compile(r"^(?:[^,;]{0,40},\s+)?(?P<ref>[Tt]he\s+(?:new\s+|joint\s+|50-50\s+)?(?:venture|JV|"
                              r"joint venture|consortium|project|partnership))\b")
# … unless the sentence says who owns it: the venture readings (ventures.py) read that with the vehicle as it is.
_OWNERSHIP = re.compile(r"\s*(?:,[^,;]{1,80},\s*)?(?:is|was|will be|would be)\s+(?:\d{1,3}%[\s-]+)?(?:(?:jointly|equally|"
                        r"co-)\s*)?(?:owned|held|a\s+(?:[\w-]+\s+)?(?:joint venture|JV|consortium))\b|\s+(?:includes|"
                        r"comprises|counts|has\s+(?:\w+\s+)?members)\b", re.I)


def _is_proposal(party: PartyRef) -> bool:
    return not party.known and party.id.endswith("-jv") and party.name.endswith(" joint venture")


_HOW_MANY = {"two": 2, "pair": 2, "duo": 2, "both": 2, "three": 3, "trio": 3, "four": 4}
#: How many sentences back a collective reference may reach for the companies it stands for.
COLLECTIVE_WINDOW = 3


def _listed(parties: list[PartyRef]) -> str:
    names = [p.surface or p.name for p in parties]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _group_antecedent(context: Context, directory: Directory, size: int | None) -> list[PartyRef] | None:
    """The companies a collective reference stands for: the partners of the venture the text just told (at most
    :data:`COLLECTIVE_WINDOW` sentences back), else the companies named in the nearest sentence before that named
    several, when their number is the one the reference says (two for "the pair")."""
    if context.venture is not None and context.venture[2] < COLLECTIVE_WINDOW:
        partners = context.venture[1]
        if size is None or len(partners) == size:
            return partners
        return None
    for parties, text in reversed(context.earlier[-COLLECTIVE_WINDOW:]):
        named = list({p.id: p for p in parties}.values())
        named += [m.party for m in directory.unknown_orgs(text, []) if m.party.id not in {p.id for p in named}
                  and not any(m.party.name in (p.surface, p.name) for p in named)]
        named = [p for p in named if not _is_pool(p.id)]
        if len(named) < 2:
            continue
        return named if (size or 2) == len(named) else None
    return None


_CLOSING_SAID = re.compile(r",\s+(?P<who>[^,;]{3,80}?)\s+(?:said|say|announced|confirmed)\b[^,;]{0,40}[.!]?\s*$")


def _closing_speakers(sentence: str, directory: Directory, size: int | None) -> list[PartyRef] | None:
    """"The two sides will form a joint venture, SoftBank and OpenAI said": the companies speaking at the end."""
    said = _CLOSING_SAID.search(sentence)
    if said is None or " and " not in said.group("who"):
        return None
    who = said.group("who")
    found = directory.mentions(who)
    found += directory.unknown_orgs(who, [(m.start, m.end) for m in found])
    named = list({m.party.id: m.party for m in sorted(found, key=lambda m: m.start)}.values())
    return named if len(named) >= 2 and (size or 2) == len(named) else None


def _is_pool(entity_id: str) -> bool:
    return entity_id in ("venture-investors", "bank-lenders", "bond-investors")


# A description in subject position at the start of a sentence, after a short opening phrase: "The chip giant will …",
# "On Monday, the Livingston, New Jersey-based company said …". Its head is a company noun; "the deal" is no company.
_SUBJECT_DESCRIPTION = re.compile(r"^(?P<open>(?:(?:In|On|Last|Earlier|Later|This|By|Since|Back in|Meanwhile|Separately|"
                                  r"However|Also|Now|Additionally|Furthermore|Moreover|Initially|Instead|Finally|"
                                  r"Previously|Recently|Today|Subsequently|Notably|Under|As part of|At the same time|"
                                  r"Ultimately)\b[^,;$€£]{0,30},\s*)?)(?P<ref>[Tt]he\s+(?:[\w.'’-]{1,30},?\s+){0,4}?"
                                  r"(?:company|startup|start-up|firm|lab|group|giant|maker|developer|provider|operator|"
                                  r"conglomerate|chipmaker|outfit|hyperscaler|designer|manufacturer|specialist|player|"
                                  r"challenger|rival|newcomer|neocloud|bank|fund|miner|unicorn|titan|behemoth|"
                                  r"heavyweight))\b(?![\w-])(?!,?\s+(?:(?:is|was|will be)\s+)?[A-Z])"
                                  r"(?!,?\s+(?:(?:will be|is|was|to be|has been)\s+)?(?:named|called|dubbed|known as)\b)")
# An opening clause led by a word of time whose subject is a company: "Weeks after Hark announced its launch, …".
_SUBORDINATE_OPEN = re.compile(r"^[^,;$€£]{0,40}?\b(?:after|when|since|before|once|as|while)\s+(?:the\s+)?"
                               r"(?P<clause>[^,;$€£]{3,100}),\s*(?=[Tt]he\s)")
# A new name in such a clause is a company when a verb of its own follows it ("Hark announced", "Hark said").
_DESCRIBED_OR_VERB = re.compile(r"(?:['’]s\s+\w+|\s+(?:has\s+|had\s+|was\s+)?(?:announced|said|unveiled|launched|emerged|"
                                r"raised|revealed|confirmed|closed|signed|agreed|came|started|introduced|released))\b")
# A company being formed ("the new company", "the joint company", "the combined group") is no company told before.
_FORMED = re.compile(r"\b(?:new|newly|joint|combined|merged|resulting|proposed|planned|yet-to-be)\b")
# Role words ("the supplier", "the lender", "the customer") are left to the readers of roles (followups.py).


def described_subject(sentence: str, context: Context, directory: Directory) -> str:
    """The sentence with a description in subject position written out as the company it stands for.

    "Nvidia and OpenAI announced a partnership. The chip giant will invest up to $100 billion in the ChatGPT
    maker." reads "Nvidia will invest …": the description's own words ("chip") no longer vote on the kind, and
    every later rule sees a name. The company is the one :func:`refer` picks for a subject (the subject the
    sentences before were about, the company the text is about, then the latest named) that fits the description's
    kind and is not named elsewhere in the sentence; a description that fits none stays as it is. A description that
    is itself a known name ("the ChatGPT maker", "the Google parent") is left to the name matcher.

    >>> from dealweb.extract.roles import Context
    >>> from dealweb.extract.parties import Directory, PartyRef
    >>> from dealweb.model.records import Entity
    >>> d = Directory([Entity("nvidia", "Nvidia", "chipmaker"), Entity("openai", "OpenAI", "ai_lab")])
    >>> c = Context(previous=[PartyRef("nvidia", "Nvidia", "Nvidia"), PartyRef("openai", "OpenAI", "OpenAI")])
    >>> described_subject("The chip giant will invest $1 billion in OpenAI.", c, d)
    'Nvidia will invest $1 billion in OpenAI.'
    """
    if len(sentence) > 600:
        return sentence
    m = _SUBJECT_DESCRIPTION.match(sentence)
    if m is None and (sub := _SUBORDINATE_OPEN.match(sentence)) is not None and \
            (inner := _SUBJECT_DESCRIPTION.match(sentence[sub.end():])) is not None and not inner.group("open"):
        # "Three months after Hark announced its launch, the company raised …": the company of the opening clause.
        clause = sub.group("clause")
        named = directory.mentions(clause)
        named += directory.unknown_orgs(clause, [(x.start, x.end) for x in named])
        first = min(named, key=lambda x: x.start, default=None)
        if first is None or first.start > 0 or _FORMED.search(inner.group("ref")) or \
                (not first.party.known and not _DESCRIBED_OR_VERB.match(clause, first.end)):
            return sentence
        name = first.party.surface if not first.party.known else directory.entities[first.party.id].name
        return sentence[:sub.end()] + name + sentence[sub.end() + inner.end("ref"):]
    if m is None or any(x.start < m.end("ref") and m.start("ref") < x.end for x in directory.mentions(sentence[:200])):
        return sentence
    phrase = m.group("ref")
    if _FORMED.search(phrase):
        return sentence
    rest = sentence[m.end("ref"):]
    named = directory.mentions(rest)
    named += directory.unknown_orgs(rest, [(x.start, x.end) for x in named])
    ref = refer(context, phrase, directory, {x.party.id for x in named}, prefer_topic=True)
    if ref is None:
        return sentence
    if not ref.known:
        return sentence[:m.start("ref")] + (ref.surface or ref.name) + sentence[m.end("ref"):]
    name = directory.entities[ref.id].name if ref.surface.lower().startswith("the ") else ref.surface
    return sentence[:m.start("ref")] + name + sentence[m.end("ref"):]


def collective(sentence: str, context: Context, directory: Directory) -> str:
    """The sentence with a collective reference to companies named before written out as their names.

    "The two companies will form a joint venture." after "SoftBank and OpenAI announced a partnership."
    reads "SoftBank and OpenAI will form a joint venture.", so every rule after sees the partners.
    A reference is written out only at the start of the sentence (or after a short opening phrase,
    "between", "by" or ", with") and only when its antecedent is clear: the partners of the venture
    told at most three sentences back, else the companies of the nearest sentence before that named
    several, when there are as many as the words say ("the pair": two). "They" after "A and B said"
    is the pair. Nothing else changes.

    >>> from dealweb.extract.roles import Context
    >>> from dealweb.extract.parties import Directory, PartyRef
    >>> from dealweb.model.records import Entity
    >>> d = Directory([Entity("softbank", "SoftBank"), Entity("openai", "OpenAI")])
    >>> c = Context(earlier=[([PartyRef("softbank", "SoftBank", "SoftBank"), PartyRef("openai", "OpenAI", "OpenAI")],
    ...                      "SoftBank and OpenAI announced a partnership.")])
    >>> collective("The two companies will form a joint venture.", c, d)
    'SoftBank and OpenAI will form a joint venture.'
    """
    if len(sentence) > 600:
        return sentence
    hit = _COLLECTIVE.search(sentence[:200]) or _COMPANIES_VENTURE.match(sentence)
    if hit is not None:
        group = "ref" if hit.group("ref") else "after"
        start, end = hit.span(group)
        words = hit.group(group).lower().split()
        size = next((_HOW_MANY[w] for w in words if w in _HOW_MANY), None)
        partners = _group_antecedent(context, directory, size) or _closing_speakers(sentence, directory, size)
        if partners and len(partners) <= 4:
            each = " each" if words[0] == "each" else ""
            sentence = sentence[:start] + _listed(partners) + each + sentence[end:]
    vehicle = _VEHICLE_SUBJECT.match(sentence)
    if vehicle is not None and context.venture is not None and context.venture[2] < COLLECTIVE_WINDOW and \
            not _is_proposal(context.venture[0]) and not _OWNERSHIP.match(sentence, vehicle.end()):
        # "The consortium agreed to buy Aligned …" after the consortium was named: the vehicle acts.
        name = context.venture[0].surface or context.venture[0].name
        sentence = sentence[:vehicle.start("ref")] + name + sentence[vehicle.end("ref"):]
    said = _PAIR_SAID_THEY.match(sentence)
    if said is not None:
        who = said.group("who")
        found = directory.mentions(who)
        found += directory.unknown_orgs(who, [(m.start, m.end) for m in found])
        named = [m.party for m in sorted(found, key=lambda m: m.start)]
        if len({p.id for p in named}) >= 2 and re.fullmatch(r"[^,;]*\band\b[^,;]*", who):
            sentence = sentence[:said.start("they")] + _listed(named) + sentence[said.end("they"):]
    return sentence
