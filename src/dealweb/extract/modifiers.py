"""The words news puts around a company's name, taken out once before a sentence is read.

Real reporting rarely writes "Nvidia agreed to buy ZT Systems for $4.9 billion". It writes
"chip designer Nvidia", "ZT Systems Inc.", "Nvidia (NASDAQ: NVDA)", "Lambda, the GPU cloud
company,", "Applied Digital, which builds campuses in North Dakota,", and closes with ", the
latest sign of the scramble for computing power". None of these change who pays whom, but
each one hides a name's role (the preposition before it is no longer next to it), adds
words that vote on the kind ("chip", "cloud", "computing") or adds a capitalised word that
looks like another company ("NVDA").

:func:`plain_sentence` deletes them, one rule per modifier, so every later step reads the
kernel sentence. A descriptor or appositive before or after a company that is not in the
ledger also says what kind of company it is ("chip designer Ampere Computing" → chipmaker,
"GPU cloud provider Firmus" → neocloud, "investment firm Valor" → investor): that kind is
recorded on the :class:`~dealweb.extract.parties.Directory` so direction by entity kind
works for new companies too.

Every pattern is bounded (fixed word counts, capped character classes), so the step stays
linear on hostile input.
"""

from __future__ import annotations

import re

from dealweb.extract.gazetteer import is_never_party
from dealweb.extract.parties import Directory, Mention
from dealweb.model.vocab import EntityKind

__all__ = ["descriptor_kind", "plain_sentence"]

# Lower-case words a descriptor is made of ("private equity", "AI cloud", "data centre"); capitalised words
# (places, nationalities, acronyms: "Japanese", "Abu Dhabi-based", "AI") and "X-based"/"X-backed" words also fit.
_MOD_WORDS = r"""ai artificial intelligence generative chip chips chipmaking semiconductor semiconductors cloud gpu
computing compute data centre center centres centers data-centre data-center infrastructure software hardware computer
server networking network bitcoin crypto cryptocurrency mining private equity credit investment asset alternative
buyout venture capital sovereign wealth state-backed state-owned industrial energy power utility social media
e-commerce ecommerce search internet tech technology telecom telecoms telecommunications model language robotics
defence defense real estate global regional listed rival fellow major leading largest big young new small
fast-growing cash-rich struggling storied lending pension hyperscale digital financial services insurance payments
streaming nuclear solar renewable engineering construction cloud-computing ai-focused large world's world’s biggest
top us u.s. british french german japanese saudi emirati chinese korean taiwanese indian australian canadian dutch
norwegian swedish israeli american european asian gulf middle-eastern parent holding coding programming
cybersecurity security analytics autonomous self-driving quantum biotech drug gaming chatbot robotaxi satellite
optical photonics memory storage fintech healthcare equipment robot robots humanoid video image generation legal
medical health drone electric vehicle automotive battery wireless enterprise consumer education media advertising
voice speech inference training foundation frontier open-source research consulting outsourcing services
information networking fiber photonic optics sensor space aerospace rocket logistics pharmaceutical materials
manufacturing contract electronics device devices smartphone pc gaming entertainment property wealth hedge growth
early-stage late-stage seed publicly-traded family office trading oil gas chemical grid cooling modular colocation
hosting cloud-native saas cyber identity brokerage blockchain stablecoin tech-focused defense-tech deep-tech
quantum-computing storage-software design automation eda electronic""".split()
_HEADS = r"""designer designers maker makers chipmaker provider providers company firm group giant start-up startup operator
developer builder bank lender miner investor manager conglomerate fund unit owner specialist supplier neocloud
hyperscaler landlord player outfit house lab laboratory subsidiary arm affiliate heavyweight titan behemoth powerhouse
rival peer manufacturer competitor competitors challenger upstart newcomer unicorn""".split()
_WORD = r"(?:[A-Z][\w.'’&-]{0,30}|[a-z]{1,2}[A-Z][\w.'’&-]{0,30}|" + \
        r"[\w.'’-]{1,30}-(?:based|backed|owned|listed|led|focused|headquartered)|" + \
        "|".join(sorted((re.escape(w) for w in _MOD_WORDS), key=len, reverse=True)) + ")"
# "chip designer ", "the Japanese investment group ", "Abu Dhabi-based ", right before a name.
_DESCRIPTOR = re.compile(r"(?:(?<=[\s\"“‘(:])|^)(?:(?:the|The|a|A|an|An)\s+)?(?P<desc>(?:" + _WORD + r"\s+){0,4}(?:" +
                         "|".join(_HEADS) + r")|(?:[A-Z][\w.'’-]{0,30}\s+){0,2}[\w.'’-]{1,30}-(?:based|backed|owned|"
                         r"funded|controlled|headquartered))\s+$")
# Only the head and the lower-case words are case-blind; a capitalised modifier must really be capitalised.
_LOWER_OK = frozenset(_MOD_WORDS) | frozenset(_HEADS) | {"the", "a", "an"}
# An appositive that names a kind of company (", a startup founded by …", ", the chip designer,").
_HEAD_IN = re.compile(r"\b(?:" + "|".join(_HEADS) + r"|neocloud|hyperscaler|unicorn)s?\b", re.I)

# ", the GPU cloud company,", ", a British neocloud,", ", Nvidia's main rival," right after a name.
_APPOSITIVE = re.compile(r",\s+(?:(?:the|a|an)\s+|[A-Z][\w&.-]{0,30}(?:'s|’s)\s+)(?P<body>[^,;:$€£()\"“”\d]{1,80}?)"
                         r"(?:,(?=\s)|(?=[.!?]?[\"”]?$))")
# ", which builds campuses in North Dakota," (no figure, no deal of its own).
_WHICH = re.compile(r",\s+(?:which|who)\s+(?P<body>[^,;:$€£()\"“”]{1,100}?)(?:,(?=\s)|(?=[.!?]?[\"”]?$)|"
                    r"(?=\s+[—–]\s))")  # also before a dash that opens a closing comment
_OWN_DEAL = re.compile(r"\b(?:sign|agree|deal|contract|invest|acqui|buy|bought|purchas|lend|lent|loan|lease|rent|"
                       r"suppl|provid|order|commit|pay|paid|spend|spent|raise|rais)", re.I)
# ", a unit of Cisco,": the company inside is the parent, background to the deal.
_PARENT = re.compile(r"(?:[\w-]+\s+){0,2}(?:unit|subsidiary|division|arm|affiliate|part|portfolio company|spin-off|"
                     r"spinoff)\s+of\b")
# ", the customer," names the company's side in the deal: it stays for the readers that use it.
_ROLE = re.compile(r"(?:[\w-]+\s+)?(?:customer|buyer|seller|supplier|vendor|provider|lender|borrower|investor|tenant|"
                   r"landlord|partner|acquirer|target|client|guarantor|licensee|licensor|counterparty)s?\s*", re.I)
# ", a joint venture to build …", ", the consortium that …": the company is a vehicle; that is the news, it stays.
_VEHICLE_HEAD = re.compile(r"(?:[\w-]+\s+){0,3}?(?:joint[- ]venture|JV|consortium)\b", re.I)
_SAID_AFTER = re.compile(r"\s+(?:according to\b|(?:the\s+)?(?:(?!and\b|or\b)[\w.'’-]+\s+){1,4}"
                         r"(?:said|says|told|reported|announced|added)\b)")
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|tells|announced|according|reported|added)\b", re.I)
# "Inc.", ", Corp", "Ltd" after a name (the name stays; at the end of the sentence the full stop stays).
_SUFFIX = re.compile(r",?\s+(?:Inc|Corp|Corporation|Incorporated|Ltd|Limited|LLC|PLC|plc|Co|AG|SA|NV|SE|ASA|AB|Pty|"
                     r"GmbH)\b\.?")
# The rest of a known company's full name ("Crusoe Energy Systems", "Nebius Group", "Lambda Labs"): words of a
# company's legal form that would otherwise vote on the kind ("Systems" for chips, "Energy" for power).
_FULL_NAME = re.compile(r"(?:\s+(?:Energy|Systems|Group|Holdings|Technologies|Technology|Labs|Computing|Platforms|"
                        r"Networks|Solutions|Industries|Enterprises|International|Global|Company)){1,3}(?![\w-])")
# An acquisition's unnamed seller ("for $4.9 billion from its private-equity owners"): the target is the recipient.
_UNNAMED_SELLER = re.compile(r"\s+from\s+(?:its|their)\s+(?:[\w-]+\s+){0,3}?(?:owners?|shareholders|backers|"
                             r"parent(?: company)?|founders)\b")
_TAKEOVER = re.compile(r"\b(?:buy|buys|bought|buying|acquir\w*|purchas\w*|take over|took over|taking over)\b", re.I)
# "(NASDAQ: NVDA)", "(TYO: 9984)", "(NVDA)" right after a name.
_EXCHANGE = (r"(?:NASDAQ|Nasdaq|NYSE|NYSE American|OTCMKTS|OTC|TSX|TSXV|ASX|LSE|KRX|KOSPI|TYO|TSE|HKEX|SIX|ETR|XETRA|"
             r"Euronext|CBOE|SGX|NSE|BSE)\s*:\s*[A-Z0-9.]{1,8}")
# "(NYSE: SWCH)", "(Nasdaq: GLXY, TSX: GLXY)", "(NBIS)"
_TICKER = re.compile(r"\s*\((?:" + _EXCHANGE + r"(?:\s*[,;]\s*" + _EXCHANGE + r"){0,3}|[A-Z]{2,5}(?:\.[A-Z]{1,2})?)\)")
# A closing comment on the market, not on the deal: ", the latest sign of the scramble for computing power".
_COMMENT = re.compile(r",\s+(?:(?:the|another|a|in a|in the)\s+(?:latest|fresh|further|new|newest|clear|rare|clearest|"
                      r"strongest)?\s*(?:sign|signal|example|indication|illustration|evidence|instance|show|reminder|"
                      r"testament)\b|underscoring|highlighting|reflecting|signalling|signaling|illustrating|showing|"
                      r"amid)\b[^;$€£]{0,160}?(?=[.!?]?[\"”]?$)")

# A closing purpose clause after the figure ("… for $3 billion to expand its data centres"): what the money is for.
# Its "its" would otherwise be read as a party, and its nouns as the kind.
_PURPOSE = re.compile(r"\s+(?:to|in order to)\s+(?:help\s+(?:\w+\s+)?)?(?:expand|scale|fund|finance|build|support|power|"
                      r"develop|grow|accelerate|boost|meet|bolster|add|upgrade|train|serve)\b[^;$€£]{0,120}?"
                      r"(?=[.!?]?[\"”]?$)")
# A place named on a site ("at its Ellendale campus", "the Abilene, Texas, site"): the place words go, the site stays.
_SITE_PLACE = re.compile(r"(?<=\b(?:its|the) )((?:[A-Z][\w.'’-]{1,30},?\s+){1,3})(?=(?:AI\s+|data[- ]cent(?:re|er)\s+)?"
                         r"(?:campus|site|facility|plant|data cent(?:re|er)|hub|cluster|project)\b)")
_AFFILIATION = re.compile(r"(?:(?P<former>\b[Ff]ormer\s+|\b[Ee]x-)|(?<![\w-]))[A-Z][\w.&-]{0,30}(?:\s+[A-Z][\w.&-]{0,30}){0,2}"
                          r"\s+(?:co-?founder|founder|executive|CEO|CTO|chief scientist|chief executive|researcher|"
                          r"engineer|veteran|alumn\w{1,3}|president|(?:design\s+)?(?:legend|icon|guru|star|boss))\s+"
                          r"(?:[A-Z][\w.'’-]{0,30}\s+){0,2}[A-Z][\w-]{0,30}['’]s\s+")
# "Oracle's founder Larry Ellison has invested in …", "Nvidia CEO Jensen Huang invested …": the person invests, not the
# company he leads; the company and title go (a person is never a party).
_OFFICER_INVESTS = re.compile(r"(?<![\w-])[A-Z][\w.&-]{0,30}(?:\s+[A-Z][\w.&-]{0,30}){0,2}(?:['’]s)?\s+(?:co-?founder|"
                              r"founder|CEO|chief executive(?:\s+officer)?|chairman|chairwoman|chair|president)\s+"
                              r"(?=(?:[A-Z][\w.'’-]{0,30}\s+){1,2}(?:(?:has|have|had|also|personally|himself|herself|"
                              r"recently)\s+){0,2}(?:invest\w*|back\w*|fund\w*|put|puts|pour\w*|inject\w*|join\w*|"
                              r"participat\w*|led|co-led)\b)")
# What the goods are built with: "racks equipped with Google's TPUs", "servers powered by Nvidia's GB200 chips". The
# maker of a part names the goods, not the seller or the buyer: the phrase goes (the goods stay).
_BUILT_WITH = re.compile(r"\s+(?:equipped with|powered by|built (?:on|with|around)|based on|fitted with|loaded with|"
                         r"running on|featuring)\s+[A-Z][\w.&-]{0,30}(?:\s+[A-Z][\w.&-]{0,30}){0,2}['’]s?\s+"
                         r"(?:[\w.-]{1,30}\s+){0,4}?(?i:chips?|gpus?|tpus?|cpus?|processors?|accelerators?|semiconductors?|"
                         r"units|servers?|systems?|hardware|silicon|racks?|superchips?|cards?|technology)"
                         r"(?:\s*\([^()]{1,20}\))?(?![\w-])")
# "The former Databricks AI chief closed $475 million …": a person's former employer, never a party of the sentence.
_FORMER_EMPLOYER = re.compile(r"\b(?:[Ff]ormer|[Ee]x-)\s*(?P<who>[A-Z][\w.&'’-]{0,30}(?:\s+[A-Z][\w.&'’-]{0,30}){0,2})\s+"
                              r"(?:co-?founder|founder|executive|exec|CEO|CTO|CFO|COO|chief|researcher|engineer|scientist|"
                              r"veteran|president|head|director|employee|staffer|leader|boss|manager)s?\b")
# A company named as the rival or benchmark of another is no party: "competes with Anthropic", "taking on its closest
# rival Nvidia", "a rival to OpenAI", "second only to OpenAI". ("buy rival Xilinx" keeps its target: a bare "rival"
# before a name is a descriptor, cut by itself.)
_RIVAL_BEFORE = re.compile(r"\b(?:(?:compet(?:es|e|ed|ing)|vying|vies)\s+(?:directly\s+|head-on\s+)?(?:with|against)|"
                           r"(?:rivals?|competitors?|challengers?|alternatives?)\s+(?:of|to)|second\s+only\s+to|"
                           r"(?:tak(?:es|e|ing)|took)\s+on(?:\s+(?:its|their|the))?(?:\s+(?:main|chief|closest|biggest|"
                           r"largest|bigger|larger|fiercest|top|old))?(?:\s+(?:rivals?|competitors?))?)\s+(?:the\s+)?"
                           r"(?:[\w.'’-]{1,30}-(?:backed|based|owned|funded)\s+)?$",
                           re.I)
# "France's OpenAI wannabe", "Korea's Nvidia challenger": the name describes another company ("the Nvidia rival" is
# left alone: it may stand for the company itself).
_RIVAL_AFTER = re.compile(r"(?:-like)?\s+(?:rival|challenger|wannabe|competitor|alternative|killer|contender)s?\b"
                          r"(?!\s+(?:[A-Z]|to\b|of\b))")
_FIGURE = re.compile(r"[$€£]\s?\d|\d\s?(?:billion|million|bn)\b")
# What a descriptor says about a company's kind, first match wins (a "data centre" operator before a "cloud").
_KIND_CUES: tuple[tuple[EntityKind, re.Pattern[str]], ...] = (
    (EntityKind.DATA_CENTER, re.compile(r"\bdata[- ]cent(?:re|er)s?\b|\blandlord\b|\bbitcoin\b|\bminer\b|\bmining\b|"
                                        r"\bcolocation\b", re.I)),
    (EntityKind.CLOUD_PROVIDER, re.compile(r"\bhyperscaler\b", re.I)),
    (EntityKind.NEOCLOUD, re.compile(r"\bneocloud\b|\b(?:gpu|ai)[- ]cloud\b|\bcloud\b", re.I)),
    (EntityKind.CHIPMAKER, re.compile(r"\bchip(?:s|maker|making)?\b|\bsemiconductors?\b|\bgpu (?:designer|maker)\b",
                                      re.I)),
    (EntityKind.BANK, re.compile(r"\bbank\b|\blender\b", re.I)),
    (EntityKind.INVESTOR, re.compile(r"\binvest(?:ment|or)\b|\bprivate equity\b|\bprivate credit\b|\basset manager\b|"
                                     r"\bfund\b|\bbuyout\b|\bventure capital\b|\bsovereign\b", re.I)),
    (EntityKind.AI_LAB, re.compile(r"\bai (?:start-?up|lab|company|firm|developer)\b|\bmodel (?:developer|maker)\b|"
                                   r"\bartificial intelligence (?:start-?up|lab|company|firm)\b", re.I)),
)


def descriptor_kind(words: str) -> EntityKind | None:
    """The kind of company a descriptor names (``None`` when it says nothing about kind).

    >>> descriptor_kind("chip designer"), descriptor_kind("GPU cloud provider"), descriptor_kind("investment firm")
    (<EntityKind.CHIPMAKER: 'chipmaker'>, <EntityKind.NEOCLOUD: 'neocloud'>, <EntityKind.INVESTOR: 'investor'>)
    >>> descriptor_kind("bitcoin miner"), descriptor_kind("Norwegian industrial group")
    (<EntityKind.DATA_CENTER: 'data_center'>, None)
    """
    for kind, pattern in _KIND_CUES:
        if pattern.search(words):
            return kind
    return None


# At the start of a sentence any words may describe the name before its head ("Humanoid robot maker Apptronik
# raised …"): nothing before them can be a verb or another party. Function words and verbs still end it.
_OPENING = re.compile(r"^[\"“‘]?(?:(?:The|A|An)\s+)?(?P<desc>(?:[A-Za-z][\w'’-]{0,30}\s+){1,4}?(?:" +
                      "|".join(_HEADS) + r"))\s+$", re.I)
_NOT_DESCRIPTIVE = frozenset("""and or but with to of for from by in on at as said says say will would could should may
has have had is are was were be been being agreed signed announced that which who its their his her it they this
these those not also""".split())


def _descriptor_before(sentence: str, start: int, names: list[Mention]) -> re.Match[str] | None:
    window = sentence[max(0, start - 120):start]
    if start <= 120 and (o := _OPENING.match(window)) is not None and \
            not any(x.end <= start and x.party.known for x in names) and \
            not any(w.lower() in _NOT_DESCRIPTIVE or re.search(r"[^-]\w*ed$|ing$", w)
                    for w in o.group("desc").split()[:-1]):
        return o  # no name and no verb before the head
    m = _DESCRIPTOR.search(window)
    if m is None:
        return None
    words = m.group().split()
    # A lower-case word must be a descriptor word; a capitalised one passes (a place, a nationality, an acronym).
    if any(w[0].islower() and w.lower() not in _LOWER_OK and not re.search(r"[A-Z]", w) and  # "iPhone" passes
           not re.search(r"-(?:based|backed|owned|listed|led|focused|headquartered)$", w)
           for w in words):
        return None
    return m


def _rivals(sentence: str, names: list[Mention]) -> list[tuple[int, int]]:
    """Spans naming a company only as another's rival or benchmark, the name included (cut before anything else)."""
    cuts: list[tuple[int, int]] = []
    for n in names:
        before = sentence[max(0, n.start - 90):n.start]
        if (rival := _RIVAL_BEFORE.search(before)) is not None:
            cuts.append((n.start - (len(before) - rival.start()), n.end))
        elif re.search(r"(?:'s|’s)\s+$", sentence[max(0, n.start - 4):n.start]) and \
                (after := _RIVAL_AFTER.match(sentence, n.end)) is not None:
            cuts.append((n.start, after.end()))
    return cuts


def plain_sentence(sentence: str, directory: Directory) -> str:
    """``sentence`` without descriptors, appositives, corporate suffixes, tickers and closing comments.

    A descriptor before a company the ledger does not know records that company's kind on ``directory``.

    >>> from dealweb.model import Entity
    >>> d = Directory([Entity("softbank", "SoftBank", "investor"), Entity("lambda", "Lambda", "neocloud"),
    ...                Entity("microsoft", "Microsoft", "cloud_provider")])
    >>> plain_sentence("SoftBank will acquire chip designer Ampere Computing Inc. for $6.5 billion.", d)
    'SoftBank will acquire Ampere Computing for $6.5 billion.'
    >>> d.kind("ampere-computing")
    <EntityKind.CHIPMAKER: 'chipmaker'>
    >>> plain_sentence("Lambda, the GPU cloud company, signed a deal with Microsoft (NASDAQ: MSFT).", d)
    'Lambda signed a deal with Microsoft.'
    """
    if len(sentence) > 2000:
        return sentence
    known = directory.mentions(sentence)
    names = sorted([*known, *directory.unknown_orgs(sentence, [(m.start, m.end) for m in known])],
                   key=lambda m: m.start)
    cuts = _rivals(sentence, names)
    rivals = list(cuts)
    kinds: list[tuple[Mention, EntityKind]] = []
    for n in names:
        if any(a <= n.start < b for a, b in cuts):
            continue  # a capitalised word inside a descriptor already cut ("Private equity giant Blackstone")
        d = _descriptor_before(sentence, n.start, names)
        if d is not None:
            a = n.start - (len(sentence[max(0, n.start - 120):n.start]) - d.start())
            cuts.append((a, n.start))
            directory.evidence(n.party.id)  # "AI startup X": X is a company
            if (k := descriptor_kind(d.group("desc"))) is not None:
                kinds.append((n, k))
        pos = n.end
        if n.party.known and (m := _FULL_NAME.match(sentence, pos)) is not None:
            cuts.append((pos, m.end()))
            pos = m.end()
        if (poss := re.match(r"['’]s?(?=\s*\()", sentence[pos:pos + 3])) is not None and \
                (m := _TICKER.match(sentence, pos + poss.end())) is not None and m.group().strip(" ()").isupper() and \
                not directory.is_name(m.group().strip(" ()")):
            cuts.append((pos + poss.end(), m.end()))  # "Nebius' (NBIS) $3 billion deal": the possessive stays
        while True:
            tail = sentence[pos:pos + 200]
            if (m := _SUFFIX.match(tail)) is not None and not re.match(r"[A-Za-z0-9]", tail[m.end():m.end() + 1]):
                end = m.end()
                if tail[end - 1] == "." and not tail[end:].strip(" \"”'’"):
                    end -= 1  # "… bought Foo Inc." keeps its full stop
                cuts.append((pos, pos + end))
                pos += end
                continue
            if (m := _TICKER.match(tail)) is not None:
                inner = m.group().strip(" ()")
                same = [x for x in directory.mentions(inner) if x.start == 0 and x.end == len(inner)]
                if directory.is_name(inner) and not (same and same[0].party.id == n.party.id):
                    break  # another company's name in brackets, not a ticker; "Amazon Web Services (AWS)" repeats
                cuts.append((pos, pos + m.end()))
                pos += m.end()
                continue
            m = _APPOSITIVE.match(tail) or _WHICH.match(tail)
            if m is not None and not _ATTRIBUTION.search(m.group("body")) and not _ROLE.fullmatch(m.group("body")) and \
                    not _VEHICLE_HEAD.match(m.group("body")) and not (
                    m.group().lstrip(", ").startswith(("which", "who")) and _OWN_DEAL.search(m.group("body"))):
                # Names inside an appositive may be its head ("the US government"); a which-clause about the name
                # before it ("which is backed by Nvidia") names background only.
                which = m.group().lstrip(", ").startswith(("which", "who")) or _PARENT.match(m.group("body"))
                inside = [x for x in names if pos + m.start("body") <= x.start < pos + m.end("body")
                          and not any(a <= x.start < b for a, b in rivals)]
                if which or not inside:
                    # Before a closing attribution (", the companies said") the comma stays: it ends the clause.
                    said = m.group().endswith(",") and _SAID_AFTER.match(sentence, pos + m.end())
                    cuts.append((pos, pos + m.end() - (1 if said else 0)))
                    if not n.party.known and not which and _HEAD_IN.search(m.group("body")):
                        directory.evidence(n.party.id)  # "X, a startup founded by …": X is a company
                    if n.party.known is False and (k := descriptor_kind(m.group("body"))) is not None:
                        kinds.append((n, k))
            break
    for af in _AFFILIATION.finditer(sentence):
        # "Former OpenAI executive Mira Murati's startup", "OpenAI co-founder Ilya Sutskever's Safe Superintelligence":
        # the company a founder came from is no party; the founder's new company is.
        if af.group("former") or re.match(r"(?:[A-Z]|(?:[\w-]+\s+){0,2}?(?:start-?up|venture|lab)\b)",
                                          sentence[af.end():]):
            cuts.append((af.start(), af.end()))
    cuts += [(o.start(), o.end()) for o in _OFFICER_INVESTS.finditer(sentence)]
    cuts += [(b.start(), b.end()) for b in _BUILT_WITH.finditer(sentence)]
    cuts += [(f.start("who"), f.end("who") + 1) for f in _FORMER_EMPLOYER.finditer(sentence)]
    if _TAKEOVER.search(sentence) and (u := _UNNAMED_SELLER.search(sentence)) is not None:
        cuts.append((u.start(), u.end()))
    if (p := _PURPOSE.search(sentence)) is not None and _FIGURE.search(sentence[:p.start()]) and \
            not any(p.start() <= x.start < p.end() for x in names):
        cuts.append((p.start(), p.end()))
    for sp in _SITE_PLACE.finditer(sentence):
        if is_never_party(sp.group(1).replace(",", " ")):
            cuts.append((sp.start(1), sp.end(1)))
    if (c := _COMMENT.search(sentence)) is not None:
        cuts.append((c.start(), c.end()))
    for n, k in kinds:
        if not n.party.known:
            directory.describe(n.party.id, k)
    if not cuts:
        return sentence
    out, pos = [], 0
    for a, b in sorted(cuts):
        if b <= pos:
            continue
        out.append(sentence[pos:max(a, pos)])
        pos = b
    out.append(sentence[pos:])
    text = "".join(out)
    if text and text[0].islower() and sentence[0].isupper():
        text = text[0].upper() + text[1:]
    return text
