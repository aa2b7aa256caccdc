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
from dealweb.extract.gazetteer import DESCRIPTORS, is_never_party, looks_like_person
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
                        r"financial|strategic)\s+)*(?:investors|backers|venture capital firms|VC firms)\b", re.I)
# Initials that are ordinary words or business terms, never taken for a company's initials.
_COMMON_INITIALS = frozenset("""AGM EGM SET ATS ESG IPO CEO CFO CTO COO EPS ARR RPO LOI MOU SPV SPAC ETF REIT LLC PLC
NDA API GPU TPU CPU HPC GDP SEC FTC DOJ CMA ACT ALL AND ARE BIG CAN FOR NEW NOT NOW ONE OUR OUT THE TOP TWO USE WAS
WHO WHY YES""".split())
_PROVIDER_KINDS = frozenset({EntityKind.CLOUD_PROVIDER, EntityKind.NEOCLOUD, EntityKind.DATA_CENTER,
                             EntityKind.CHIPMAKER})
# Capitalised words that start sentences or name places, products and months, never parties.
_NOT_ORGS = frozenset("""The A An In On At For And But Or Under After Before As With From By To Of This That These Those
It Its Their They He She We Our His Her Back Last Next Both All Each Series Class Texas New York Norway Europe US U.S. UK
January February March April May June July August September October November December Monday Tuesday Wednesday
Thursday Friday Saturday Sunday GPUs GPU TPU TPUs CEO CFO Claude ChatGPT Gemini Grok Blackwell Rubin Vera Lake
Abilene Premium Advertisement Story Read Latest Post Loading Inc Corp Ltd LLC Group Holdings Under Meanwhile However
Separately Also Instinct Trainium IPO ARR SPV JV LOI API EPS RPO GW MW Financial Times Wall Street Journal Bloomberg
Reuters CNBC Information Talks Analysts Regulators Sources Shares""".split())
_ORG_RUN = re.compile(r"\b[A-Z][A-Za-z0-9&.\-]*(?:\s+(?:[A-Z][A-Za-z0-9&.\-]*|&))*")


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
        # Names set in capitals by a press release ("HUMAIN", "NVIDIA") are the same names.
        for name, eid in list(names.items()):
            if len(name) >= 4 and name[0].isupper() and not name.startswith("The "):
                names.setdefault(name.upper(), eid)
        self._names = names
        ordered = sorted(names, key=len, reverse=True)
        # A name starts after a non-letter, or after a lower-case letter when it starts upper-case
        # (a caption glued to the first word: "AnthropicMicrosoft will invest").
        body = "|".join(re.escape(n) for n in ordered)
        self._pattern = re.compile(rf"(?:(?<![A-Za-z0-9])|(?<=[a-z])(?=[A-Z]))(?:{body})(?![a-z0-9])") if body else None
        groups = "|".join(re.escape(n) for n in sorted(GROUP_ALIASES, key=len, reverse=True))
        self._groups = re.compile(rf"\b(?:{groups})\b", re.I)
        self._choices = list(names)
        #: Kinds of companies the ledger does not know, from the descriptors news gives them ("chip designer X").
        self.described: dict[str, EntityKind] = {}

    def kind(self, entity_id: str) -> EntityKind | None:
        """The entity's kind in the ledger; for a company the ledger does not know, the kind its descriptor gave."""
        e = self.entities.get(entity_id)
        return e.kind if e is not None else self.described.get(entity_id)

    def for_article(self) -> Directory:
        """A view of these names for one article: what its descriptors say about new companies stays with it."""
        view = copy.copy(self)
        view.described = {}
        return view

    def describe(self, entity_id: str, kind: EntityKind) -> None:
        """Remember the kind a descriptor gives a company the ledger does not know ("chip designer Ampere")."""
        if entity_id not in self.entities and len(self.described) < 10_000:
            self.described.setdefault(entity_id, kind)

    def is_name(self, text: str) -> bool:
        """Whether ``text`` is exactly a known name or alias ("AWS")."""
        return text in self._names

    def is_provider(self, entity_id: str) -> bool:
        """Whether the entity sells compute, chips or space (cloud, neocloud, data centre, chipmaker)."""
        return self.kind(entity_id) in _PROVIDER_KINDS

    def _ref(self, surface: str, entity_id: str, score: float = 100.0) -> PartyRef:
        e = self.entities.get(entity_id)
        return PartyRef(entity_id, e.name if e else surface, surface, e is not None, score)

    def mentions(self, text: str) -> list[Mention]:
        """Known names in ``text`` in order; a name directly repeated in brackets ("Amazon Web Services (AWS)") once."""
        found: list[Mention] = []
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                found.append(Mention(m.start(), m.end(), self._ref(m.group(), self._names[m.group()])))
        if "venture-investors" in self.entities:
            for g in _INVESTORS.finditer(text):
                found.append(Mention(g.start(), g.end(), self._ref(g.group(), "venture-investors")))
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
        if self._choices:
            hit = process.extractOne(surface, self._choices, scorer=fuzz.WRatio, score_cutoff=88)
            if hit is not None:
                return self._ref(surface, self._names[hit[0]], float(hit[1]))
        return PartyRef(slug(surface), surface, surface, known=False, score=0.0)

    def unknown_orgs(self, text: str, taken: Iterable[tuple[int, int]]) -> list[Mention]:
        """Capitalised names in ``text`` that no known name covers, as proposed or fuzzy-matched parties."""
        spans = list(taken)
        out: list[Mention] = []
        for m in _ORG_RUN.finditer(text):
            words = m.group().split()
            # "Abu Dhabi-based ZT Systems": the name starts after a place-based descriptor.
            based = [i for i, w in enumerate(words) if re.search(r"-(?:based|backed|owned|led|listed)$", w)]
            if based and based[-1] + 1 < len(words):
                words = words[based[-1] + 1:]
            while words and words[0] in _NOT_ORGS:
                words = words[1:]
            while words and words[-1] in _NOT_ORGS:
                words = words[:-1]
            if not words:
                continue
            name = " ".join(words)
            start = m.start() + m.group().index(words[0])
            end = start + len(name)
            if name.endswith("'s"):
                name, end = name[:-2], end - 2
            bare = re.sub(r"\s+(?:Corporation|Incorporated|Limited|Corp\.?|Inc\.?|Ltd\.?|LLC|PLC|Co\.)$", "", name)
            if bare != name and len(bare) >= 3:
                name, end = bare, start + len(bare)
            if len(name) < 3 or any(s < end and start < e for s, e in spans):
                continue
            if is_never_party(name) or looks_like_person(name, text[max(0, start - 40):start]) or \
                    re.search(r"-(?:based|backed|owned|led|listed|born|founded)$", name):
                continue
            out.append(Mention(start, end, self.resolve_unknown(name)))
        return out
