"""Who a sentence names: company mentions resolved to ledger entities.

A :class:`Directory` knows every name and alias of the ledger's entities plus a small
built-in table of the names news uses for them (``AWS`` → ``amazon``, ``Azure`` →
``microsoft``, ``the ChatGPT maker`` → ``openai``). :meth:`Directory.mentions` finds
them in a sentence, including names glued to the word before by a lost line break
("AnthropicMicrosoft"). A capitalised name that is not known is matched with
:mod:`rapidfuzz` (``"Nvidia Corp"`` → ``nvidia``) and otherwise proposed as a new entity
with a slug id (:meth:`Directory.resolve_unknown`).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from dealweb.extract.coref import ledger_descriptions
from dealweb.extract.gazetteer import (
    DESCRIPTOR_OPENERS,
    DESCRIPTORS,
    OPENERS,
    ORG_WORDS,
    PRODUCTS,
    has_org_evidence,
    is_never_party,
    is_place,
    looks_like_person,
)
from dealweb.model.records import Entity
from dealweb.model.vocab import EntityKind

__all__ = ["BUILTIN_ALIASES", "Directory", "Mention", "PartyRef", "slug"]

#: Names news uses that a ledger may not list as aliases. Applied only when the target id exists.
BUILTIN_ALIASES: dict[str, str] = {
    "AWS": "amazon", "Amazon Web Services": "amazon", "Azure": "microsoft", "Microsoft Azure": "microsoft",
    "Google Cloud": "google", "Alphabet": "google", "Google": "google", "Meta Platforms": "meta", "Facebook": "meta",
    "NVIDIA": "nvidia", "Nvidia": "nvidia", "OCI": "oracle", "Oracle Cloud": "oracle", "SoftBank": "softbank",
    "Vision Fund": "softbank", "the ChatGPT maker": "openai", "the ChatGPT developer": "openai",
    "the maker of ChatGPT": "openai", "the Claude maker": "anthropic", "the Claude developer": "anthropic",
    "the maker of Claude": "anthropic", "JPMorgan": "jpmorgan", "J.P. Morgan": "jpmorgan", "Goldman": "goldman-sachs",
    "Mitsubishi UFJ": "mufg", "Cursor": "anysphere", "Colossus": "spacex", "the iPhone maker": "apple",
}
#: Words that name a group of unnamed lenders or bond buyers, and the entity standing for them.
GROUP_ALIASES: dict[str, str] = {
    "bond investors": "bond-investors", "bondholders": "bond-investors", "a group of banks": "bank-lenders",
    "a syndicate of banks": "bank-lenders", "a bank syndicate": "bank-lenders", "lenders": "bank-lenders",
    "other banks": "bank-lenders", "banks": "bank-lenders",
}
# Unnamed investors count as a party only where they give money: "raised $2 billion from investors", "a round
# backed by new and existing investors". Elsewhere ("told investors", "investors worried") they are an audience.
_INVESTORS = re.compile(r"(?:(?<=\bfrom )|(?<=\bby ))(?:(?:a |an )?(?:group|consortium|syndicate|slate) of\s+)?"
                        r"(?:(?:new|existing|new and existing|outside|private|institutional|global|venture|"
                        r"financial|strategic)\s+)*(?:investors|backers|venture capital firms|VC firms)\b"
                        r"(?!\s+(?-i:[A-Z]))", re.I)  # "backed by existing investors Nvidia and X": a description of X
# Investors as the subject of putting money in ("investors poured another $250 million into X"); not a company's own
# investors ("its investors have put in …"), which are a total of rounds told elsewhere.
_INVESTORS_PUT = re.compile(r"(?<![\w'’])(?<![Ii]ts )(?<![Tt]heir )(?<![Tt]he )(?:(?:new|outside|venture|private)\s+)?"
                            r"(?-i:[Ii])nvestors(?=\s+(?:have\s+|had\s+|also\s+|then\s+)?(?:poured|pumped|plowed|ploughed|"
                            r"injected)\b)")
# A cloud giant the text does not name ("an unnamed US-based hyperscaler", "a major hyperscale customer", "two
# hyperscalers"): the pooled hyperscalers. Not "the hyperscaler" (a reference to one named before) and not an
# appositive (", a hyperscaler,"), which describes the company before it.
_UNNAMED_HYPERSCALER = re.compile(r"(?:(?<!, )\b(?:an?|one|another|two|three|several|multiple)\s+(?:(?:unnamed|undisclosed|"
                                  r"unidentified|major|large|leading|big|single|new|top|US|U\.S\.|American|"
                                  r"[\w.]{1,20}-(?:based|grade|rated))(?:,\s*|\s+)){0,4}hyperscalers?(?!\w)"
                                  r"(?:\s+(?:customers?|tenants?|clients?))?|"
                                  r"(?<!, )\b(?:an?|one|another)\s+(?:(?:unnamed|"
                                  r"undisclosed|unidentified|major|large|leading|big|single|new|top|US|U\.S\.|"
                                  r"[\w.]{1,20}-(?:based|grade|rated))(?:,\s*|\s+)){0,4}hyperscale\s+(?:customer|tenant|"
                                  r"client|cloud provider)\b)"
                                  # (not "a hyperscaler such as Microsoft": that one is named)
                                  r"(?!\s*(?:,\s*)?(?:such as|like|including)\b)", re.I)
# Initials that are ordinary words or business terms, never taken for a company's initials.
_COMMON_INITIALS = frozenset("""AGM EGM SET ATS ESG IPO CEO CFO CTO COO EPS ARR RPO LOI MOU SPV SPAC ETF REIT LLC PLC
NDA API GPU TPU CPU HPC GDP SEC FTC DOJ CMA ACT ALL AND ARE BIG CAN FOR NEW NOT NOW ONE OUR OUT THE TOP TWO USE WAS
WHO WHY YES""".split())
#: How many sentences and unknown names a directory remembers the answers for.
_MEMO_CAP = 20_000
_PROVIDER_KINDS = frozenset({EntityKind.CLOUD_PROVIDER, EntityKind.NEOCLOUD, EntityKind.DATA_CENTER,
                             EntityKind.CHIPMAKER})
# Capitalised words that start sentences or name places, products and months, never parties.
_NOT_ORGS = frozenset("""The A An In On At For And But Or Under After Before As With From By To Of This That These Those
It Its Their They He She We Our His Her Back Last Next Both All Each Series Class Texas New York Norway Europe US U.S. UK
January February March April May June July August September October November December Monday Tuesday Wednesday
Thursday Friday Saturday Sunday GPUs GPU TPU TPUs CEO CFO Claude ChatGPT Gemini Grok Blackwell Rubin Vera
Abilene Premium Advertisement Story Read Latest Post Loading Inc Corp Ltd LLC Group Holdings Under Meanwhile However
Separately Also Instinct Trainium IPO ARR SPV JV LOI API EPS RPO GW MW Financial Times Wall Street Journal Bloomberg
Reuters CNBC Information Talks Analysts Regulators Sources Shares""".split())
# A capitalised run: words opening with a capital, "&", and names of odd shape — a lower-case start before a capital
# ("xAI", "d-Matrix", "iFlytek"), a numeronym ("a16z"), a web suffix after a colon ("Run:ai"), digits with letters
# ("01.AI", "8VC") or digits before a company word ("1789 Capital"), a number after a word ("Hut 8").
_WORD = r"(?:[A-Z](?:[A-Za-z0-9&.\-]|['’](?=[a-rt-z]))*(?::(?:ai|AI|io)\b)?|[a-z]{1,3}-?[A-Z][A-Za-z0-9.\-]*|" \
        r"[a-z]\d{1,3}[a-z](?![\w-]))"
_ORG_RUN = re.compile(r"(?<![\w$€£.-])(?:" + _WORD + r"|\d{1,4}(?:\.(?:AI|ai)|[A-Z]{2,3})?(?=\s+[A-Z]|\b))"
                      r"(?:\s+(?:" + _WORD + r"|&|\d{1,2}\b))*")
# A stock ticker with its exchange letter, printed right after a company's name: "BE-N", "BAM-T", "SHOP-T".
_TICKER = re.compile(r"[A-Z]{1,5}(?:\.[A-Z])?-(?:[NTQ]|UN|A|X)")
# A hyphenated adjective is no name: "Dallas-based", "AI-focused", "AI-native", "NeoCloud-related", "GPU-backed".
_HYPHEN_ADJECTIVE = re.compile(r"-(?:based|backed|owned|led|listed|born|founded|focused|native|related|driven|powered|"
                               r"linked|centric|ready|enabled|optimi[sz]ed|specific|grade|scale|style|level|wide|only|"
                               r"heavy|first|friendly|oriented|exclusive|funded|controlled|headquartered|made|built)$")
# An abbreviation in brackets right after a name (after its possessive too): "Global Technical Realty (GTR)".
_ABBREVIATION = re.compile(r"(?:['’]s)?\s*\(([A-Z][A-Za-z]{1,6})\)")
# "the Trump administration", "the Modi government": a head of government's name, not a company.
_GOVERNMENT_AFTER = re.compile(r"(?:['’]s)?\s+(?:administration|government|cabinet|campaign|presidency|White House)\b")
# Words before a letter that make it a series or class, not a name ("Series B Capital raise" is no "B Capital").
_SERIES = frozenset({"Series", "Class", "Phase", "Tier", "Stage", "Plan", "Option", "Type", "Category"})
# A short lower-case name before a company word ("io Products"): not an ordinary word.
# An officer's title between a company's name and the officer's: "Enfabrica CEO Rochan Sankar".
_COMPANY_TITLES = frozenset("CEO CFO CTO COO Chairman Chairwoman Co-founder Cofounder Founder President".split())
_PUBLIC_TITLES = frozenset("Minister Secretary Senator Governor Mayor Premier Chancellor".split())
_LOWER_NAME = re.compile(r"(?<![\w'’-])([a-z]{2,3})\s+$")
_ORDINARY_SHORT = frozenset("""a an the of in on at to by for and or but nor so as if is be am are was its it we us our
his her him she he they you via per new big top two one six ten all any few who why how not now out off up has had
did get got let may can due old own use see set put pay buy ai raw low key""".split())


def slug(name: str) -> str:
    """A ledger id for a new entity: lower case, ASCII, words joined by ``-``.

    >>> slug("Thinking Machines Lab"), slug("Hut 8 Corp."), slug("Société Générale")
    ('thinking-machines-lab', 'hut-8-corp', 'societe-generale')
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "entity"


@dataclass(frozen=True, slots=True)
class PartyRef:
    """A party of a candidate: the entity id it resolved to, or a proposed new one.

    Attributes
    ----------
    id
        Ledger entity id (existing, or the slug proposed for a new entity).
    name
        The entity's name in the ledger, or the text as written for a new one.
    surface
        The words in the article.
    known
        ``False`` when ``id`` is a proposal for a new entity.
    score
        Match quality, 0–100 (100 for an exact name or alias).
    """

    id: str
    name: str
    surface: str
    known: bool = True
    score: float = 100.0

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "surface": self.surface, "known": self.known, "score": self.score}


@dataclass(frozen=True, slots=True)
class Mention:
    """A party named in a sentence: character span (sentence offsets) and the party."""

    start: int
    end: int
    party: PartyRef


class Directory:
    """Names and aliases of the entities a text may mention.

    Parameters
    ----------
    entities
        The ledger's entities (names and aliases are matched case-sensitively, as proper nouns).

    Examples
    --------
    >>> d = Directory([Entity("amazon", "Amazon", "cloud_provider"), Entity("anthropic", "Anthropic", "ai_lab")])
    >>> [(m.party.id, m.party.surface) for m in d.mentions("AWS, part of Amazon, backs AnthropicAmazon")]
    [('amazon', 'AWS'), ('amazon', 'Amazon'), ('anthropic', 'Anthropic'), ('amazon', 'Amazon')]
    >>> d.resolve_unknown("Amazon.com").id, d.resolve_unknown("Valor Equity Partners").known
    ('amazon', False)
    """

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = {e.id: e for e in entities}
        names: dict[str, str] = {}
        for e in self.entities.values():
            for name in (e.name, *e.aliases):
                if len(name) >= 2:
                    names.setdefault(name, e.id)
            # "Anysphere (Cursor)" and "Alphabet (Google)" are also written without the bracket.
            bare = re.sub(r"\s*\(.*\)$", "", e.name)
            if bare != e.name and len(bare) >= 2:
                names.setdefault(bare, e.id)
        described = ledger_descriptions(self.entities.values())
        for name, eid in (*BUILTIN_ALIASES.items(), *DESCRIPTORS.items(), *described.items()):
            if eid in self.entities:
                names.setdefault(name, eid)
                if name.startswith("the "):
                    names.setdefault("The" + name[3:], eid)
        # Initials of a name of three or more words ("MAM" for Macquarie Asset Management), when no other
        # entity has the same initials and the letters are not a word the gazetteer knows ("USA").
        initials: dict[str, set[str]] = {}
        for name, eid in names.items():
            words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in ("of", "and", "&", "the", "for")]
            if len(words) >= 3 and all(w[0].isupper() for w in words):
                initials.setdefault("".join(w[0] for w in words), set()).add(eid)
        for short, ids in initials.items():
            if len(ids) == 1 and short not in names and not is_never_party(short) and short not in _COMMON_INITIALS:
                names[short] = next(iter(ids))
        # Names set in capitals by a press release ("HUMAIN", "NVIDIA") are the same names, and a name the ledger keeps
        # in capitals is written as a word by other outlets ("IREN" as "Iren").
        for name, eid in list(names.items()):
            if len(name) >= 4 and name[0].isupper() and not name.startswith("The "):
                names.setdefault(name.upper(), eid)
                if name.isupper() and name.isalpha() and not is_never_party(name.title()):
                    names.setdefault(name.title(), eid)
        self._names = names
        ordered = sorted(names, key=len, reverse=True)
        # A name starts after a non-letter, or after a lower-case letter when it starts upper-case
        # (a caption glued to the first word: "AnthropicMicrosoft will invest").
        body = "|".join(re.escape(n) for n in ordered)
        self._pattern = re.compile(rf"(?:(?<![A-Za-z0-9])|(?<=[a-z])(?=[A-Z]))(?:{body})(?![a-z0-9])") if body else None
        groups = "|".join(re.escape(n) for n in sorted(GROUP_ALIASES, key=len, reverse=True))
        self._groups = re.compile(rf"\b(?:{groups})\b", re.I)
        self._choices = list(names)
        # What mentions() and resolve_unknown() give depends only on the names above, so one article view and the next
        # share these memos (bounded: a hostile article of unique names only fills them up to the cap).
        self._mentions_memo: dict[str, tuple[Mention, ...]] = {}
        self._unknown_memo: dict[str, PartyRef] = {}
        #: Kinds of companies the ledger does not know, from the descriptors news gives them ("chip designer X").
        self.described: dict[str, EntityKind] = {}
        #: In one article: new companies with evidence of being one (a descriptor, an appositive, a legal form, a company
        #: word, an odd spelling), their short forms ("Thinking Machines" for "Thinking Machines Lab"), the names of
        #: people met so far ("Tarnow" after "Brendan Tarnow, founder of …"), and the new names found only by their
        #: shape ("d-Matrix", "B Capital", "Bank of America").
        self.evidenced: set[str] = set()
        self.short_forms: dict[str, PartyRef] = {}
        self.people: set[str] = set()
        self.shaped: set[str] = set()

    def kind(self, entity_id: str) -> EntityKind | None:
        """The entity's kind in the ledger; for a company the ledger does not know, the kind its descriptor gave."""
        e = self.entities.get(entity_id)
        return e.kind if e is not None else self.described.get(entity_id)

    def for_article(self) -> Directory:
        """A view of these names for one article: what its descriptors say about new companies stays with it."""
        view = copy.copy(self)
        view.described, view.evidenced, view.short_forms, view.people, view.shaped = {}, set(), {}, set(), set()
        return view

    def evidence(self, entity_id: str) -> None:
        """Remember that a new company was shown to be a company (a descriptor or appositive around it)."""
        if entity_id not in self.entities and len(self.evidenced) < 10_000:
            self.evidenced.add(entity_id)

    def admits(self, party: PartyRef, role: str, debt: bool = False) -> bool:
        """Whether a new company may be a party from a weaker position ("for X", "on X", "at X", "in X").

        "a loan for X" names the borrower; elsewhere the name must have shown it is a company in this article.
        """
        if party.known:
            return True
        if role == "for" and debt:
            return True
        return role in ("in", "for", "on", "at", "of") and party.id in self.evidenced

    def remember_names(self, text: str) -> None:
        """Read a sentence for what later ones need: new companies named in full (for their short forms), people."""
        if len(text) <= 2000:
            self.unknown_orgs(text, [(m.start, m.end) for m in self.mentions(text)])

    def describe(self, entity_id: str, kind: EntityKind) -> None:
        """Remember the kind a descriptor gives a company the ledger does not know ("chip designer Ampere")."""
        if entity_id not in self.entities and len(self.described) < 10_000:
            self.described.setdefault(entity_id, kind)

    def is_name(self, text: str) -> bool:
        """Whether ``text`` is exactly a known name or alias ("AWS")."""
        return text in self._names

    def is_listed(self, entity_id: str) -> bool:
        """Whether the ledger says the entity's shares are listed on an exchange."""
        e = self.entities.get(entity_id)
        return e is not None and e.listed

    def is_provider(self, entity_id: str) -> bool:
        """Whether the entity sells compute, chips or space (cloud, neocloud, data centre, chipmaker)."""
        return self.kind(entity_id) in _PROVIDER_KINDS

    def _ref(self, surface: str, entity_id: str, score: float = 100.0) -> PartyRef:
        e = self.entities.get(entity_id)
        return PartyRef(entity_id, e.name if e else surface, surface, e is not None, score)

    def mentions(self, text: str) -> list[Mention]:
        """Known names in ``text`` in order; a name directly repeated in brackets ("Amazon Web Services (AWS)") once."""
        memo = self._mentions_memo.get(text)
        if memo is None:
            memo = tuple(self._find_mentions(text))
            if len(self._mentions_memo) < _MEMO_CAP and len(text) <= 4000:
                self._mentions_memo[text] = memo
        return list(memo)

    def _find_mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                found.append(Mention(m.start(), m.end(), self._ref(m.group(), self._names[m.group()])))
        if "venture-investors" in self.entities:
            for g in _INVESTORS.finditer(text):
                found.append(Mention(g.start(), g.end(), self._ref(g.group(), "venture-investors")))
            for g in _INVESTORS_PUT.finditer(text):
                found.append(Mention(g.start(), g.end(), self._ref(g.group(), "venture-investors")))
        if "hyperscalers" in self.entities:
            for g in _UNNAMED_HYPERSCALER.finditer(text):
                found.append(Mention(g.start(), g.end(), self._ref(g.group(), "hyperscalers")))
        for g in self._groups.finditer(text):
            eid = GROUP_ALIASES[g.group().lower()]
            if not any(x.start <= g.start() < x.end for x in found):
                found.append(Mention(g.start(), g.end(), self._ref(g.group(), eid)))
        found.sort(key=lambda x: x.start)
        out: list[Mention] = []
        for x in found:
            if out and out[-1].party.id == x.party.id and text[out[-1].end:x.start].strip() in ("(", ""):
                continue
            out.append(x)
        return out

    def resolve_unknown(self, surface: str) -> PartyRef:
        """A name the exact matcher missed: a close fuzzy match, else a proposed new entity."""
        surface = surface.strip().rstrip(".,")
        if (memo := self._unknown_memo.get(surface)) is not None:
            return memo
        ref = self._resolve_unknown(surface)
        if len(self._unknown_memo) < _MEMO_CAP:
            self._unknown_memo[surface] = ref
        return ref

    def _resolve_unknown(self, surface: str) -> PartyRef:
        if self._choices:
            hit = process.extractOne(surface, self._choices, scorer=fuzz.WRatio, score_cutoff=88)
            if hit is not None:
                return self._ref(surface, self._names[hit[0]], float(hit[1]))
        return PartyRef(slug(surface), surface, surface, known=False, score=0.0)

    def unknown_orgs(self, text: str, taken: Iterable[tuple[int, int]]) -> list[Mention]:
        """Capitalised names in ``text`` that no known name covers, as proposed or fuzzy-matched parties.

        Months, outlets, places, products, events, public bodies and people are left out; a short form of a new
        company named in full earlier in the article ("Inflection" after "Inflection AI") is that company.
        """
        spans = list(taken)
        out: list[Mention] = []
        for m in _ORG_RUN.finditer(text):
            words = m.group().split()
            # "Abu Dhabi-based ZT Systems": the name starts after a place-based descriptor.
            based = [i for i, w in enumerate(words) if re.search(r"-(?:based|backed|owned|led|listed)$", w)]
            if based and based[-1] + 1 < len(words):
                words = words[based[-1] + 1:]
            series = False
            while words and words[0] in DESCRIPTOR_OPENERS:
                words = words[1:]  # "Chipmaker Ampere Computing": the descriptor opens the sentence ("Startup" alone)
            if words and words[0] in OPENERS and re.search(r"(?:^|[.!?:;\"“—–-])\s*$", text[max(0, m.start() - 3):m.start()]):
                words = words[1:]  # "Since Bloomberg …", "Asked about …" at a sentence's start
            office = next((i for i, w in enumerate(words) if w in _PUBLIC_TITLES), None)
            if office is not None and office + 1 < len(words):
                continue  # "Economy Minister Rafizi Ramli", "Commerce Secretary Ada Lin": an office-holder, no company
            title = next((i for i, w in enumerate(words) if w in _COMPANY_TITLES), None)
            if title and title + 1 < len(words) and len(self.people) < 1000:
                # "Enfabrica CEO Rochan Sankar": the company, then its officer (remembered as a person)
                self.people.update({" ".join(words[title + 1:]), words[-1]})
                words = words[:title]
            while words and (words[0] in _NOT_ORGS or (series and re.fullmatch(r"[A-Z]\d?", words[0]))):
                series = words[0] in _SERIES or words[0] == "Series"
                words = words[1:]
            if words and words[-1].endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|(?:Inc|Corp|Co|Ltd|Jr|Sr)\.",
                                                                      words[-1]):
                words[-1] = words[-1][:-1]  # the sentence's full stop
            while words and (words[-1] in _NOT_ORGS or (len(words) > 1 and _TICKER.fullmatch(words[-1]))):
                words = words[:-1]  # (and a ticker printed after the name: "Bloom Energy BE-N", "Brookfield … BAM-T")
            # Digits open a name only before a company word ("1789 Capital") or with letters ("01.AI").
            if words and words[0].isdigit() and not (len(words) > 1 and words[1] in ORG_WORDS):
                words = words[1:]
            if not words:
                continue
            if words[0] in PRODUCTS and not any(w in ORG_WORDS for w in words[1:]):
                while words and words[0] in PRODUCTS:  # "Blackwell Ultra", "Gemini Pro": a product line
                    words = words[1:]
                if not words:
                    continue
            name = " ".join(words)
            start = m.start() + m.group().index(words[0])
            end = start + len(name)
            shaped = False
            if name.endswith(("'s", "’s")):
                name, end = name[:-2], end - 2
            if words[-1] == "Bank" and (of := re.match(r"\s+of\s+([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})",
                                                        text[end:end + 60])) is not None:
                name, end, shaped = name + text[end:end + of.end()], end + of.end(), True  # "Bank of America"
            if (low := _LOWER_NAME.search(text[max(0, start - 5):start])) is not None and \
                    low.group(1) not in _ORDINARY_SHORT and words[0] in ORG_WORDS:
                start, name, shaped = start - len(low.group()), low.group(1) + " " + name, True  # "io Products"
            bare = re.sub(r"\s+(?:Corporation|Incorporated|Limited|Corp\.?|Inc\.?|Ltd\.?|LLC|PLC|plc|Co\.|AG|SA|NV|SE|ASA|"
                          r"AB|Oy|GmbH|Pty|KK|SpA|BV)$", "", name)
            written = name  # "Aker ASA": the name a new company keeps (its id and the words matched are "Aker")
            if bare != name and len(bare) >= 3:
                name, end = bare, start + len(bare)
            short = len(name) < 3 and not re.fullmatch(r"[A-Z]\d|\d[A-Z]", name)
            if short or any(s < end and start < e for s, e in spans):
                continue
            before, after = text[max(0, start - 40):start], text[end:end + 80]
            if is_never_party(name) or _HYPHEN_ADJECTIVE.search(name) or _GOVERNMENT_AFTER.match(after) or \
                    (not has_org_evidence(name) and is_place(name, after, before)):
                continue
            if looks_like_person(name, before, after) or name in self.people or name.split()[-1] in self.people:
                if len(self.people) < 1000:
                    self.people.update({name, name.split()[-1]})  # "Tarnow" later is the same person
                continue
            shaped = shaped or bool(re.match(r"[a-z\d]|[A-Z]\s", name))
            ref = self.short_forms.get(name) or self.resolve_unknown(name)
            if not ref.known and written != name and ref.name == name:
                ref = PartyRef(ref.id, written, ref.surface, False, ref.score)
            if not ref.known:
                if shaped:
                    self.shaped.add(ref.id)
                if (abbr := _ABBREVIATION.match(text, end)) is not None and len(self.short_forms) < 1000:
                    # "Global Technical Realty (GTR)", "The Abu Dhabi Investment Authority's (Adia)": the letters are the
                    # name's initials, so the abbreviation stands for the company later in the article.
                    letters = abbr.group(1)
                    initials = "".join(w[0] for w in words if w.lower() not in ("of", "and", "&", "the", "for"))
                    if letters.upper() == initials.upper() and len(letters) >= 2 and letters not in self._names:
                        self.short_forms.setdefault(letters, ref)
                        self.evidence(ref.id)
                if has_org_evidence(name):
                    self.evidence(ref.id)
                    # "Warner Music Group … WMG sold …": the initials of a new company named in full stand for it.
                    heads = [w for w in words if w.lower() not in ("of", "and", "&", "the", "for")]
                    letters = "".join(w[0] for w in heads)
                    if len(heads) >= 3 and all(w[0].isupper() for w in heads) and letters not in self._names and \
                            letters not in _COMMON_INITIALS and not is_never_party(letters) and len(self.short_forms) < 1000:
                        self.short_forms.setdefault(letters, ref)
                    stem = name.split()
                    while len(stem) > 1 and stem[-1] in ORG_WORDS:
                        stem = stem[:-1]
                        key = " ".join(stem)
                        if key not in self._names and not is_never_party(key) and len(self.short_forms) < 1000:
                            self.short_forms.setdefault(key, ref)
            out.append(Mention(start, end, ref))
        return out
