"""Which companies named in a clause take a side in its deal, and which only describe something.

A maker's name before its product ("Nvidia chips") is not the seller when another counterparty is
named; a descriptor before a name ("real estate investment trust American Tower") says what the
company is, so its words do not vote on the deal's kind; a list of investors or lenders gives to
the clause's subject, the company speaking, or the one the text is about.
"""

from __future__ import annotations

import re

from dealweb.extract.parties import Mention, PartyRef
from dealweb.extract.phrases import _MAKER_OF_PRODUCT, _PRONOUN_RELATIVE
from dealweb.extract.roles import Context, _Role

__all__ = ["company_of", "descriptor_spans", "drop_makers"]

# The lower-case words of a descriptor right before a name, ending in a head noun: "real estate investment trust",
# "digital infrastructure investment firm", "private equity firm". Verbs, prepositions and articles end the run, so
# "invested in startup X" keeps its deal word.
_RUN_WORD = r"(?:\b(?!(?:in|into|to|from|with|by|of|for|on|at|and|or|the|a|an|its|their|his|her|as|than|that|which|will|" \
            r"would|has|have|had|is|was|are|were|be|been)\b)(?-i:[a-z][a-z-]*)(?<!ed)(?<!ing)\s+)"
_DESCRIPTOR_RUN = re.compile(_RUN_WORD + r"{0,5}(?:firm|trust|bank|fund|company|manager|group|giant|operator|provider|"
                             r"developer|maker|startup|investor|lender|house|specialist|platform|REIT|conglomerate)\s+$",
                             re.I)


def descriptor_spans(sentence: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Spans of the descriptors right before names ("investment trust Corvid Towers" → "investment trust ").

    >>> s = "Listed property investment trust Corvid Towers agreed to buy Helix Sites."
    >>> m = [Mention(33, 46, PartyRef("corvid-towers", "Corvid Towers", "Corvid Towers", False))]
    >>> [s[a:b] for a, b in descriptor_spans(s, m)]
    ['property investment trust ']
    """
    out = []
    for m in mentions:
        window = sentence[max(0, m.start - 80):m.start]
        d = _DESCRIPTOR_RUN.search(window)
        if d is not None:
            out.append((m.start - len(window) + d.start(), m.start))
    return out


# A maker's name used as a product's ("Nvidia chips", "Google's TPUs", "AMD Instinct GPUs").
def drop_makers(sentence: str, roles: list[_Role]) -> list[_Role]:
    """Without a maker whose name only describes a product when another counterparty is named: in "Microsoft will
    pay it $24 billion for Nvidia chips" Nvidia makes the chips and "it" is paid."""
    makers = [r for r in roles if r.role != "subj" and _MAKER_OF_PRODUCT.match(sentence[r.mention.end:r.mention.end + 40])]
    # A name in a pronoun relative clause ("chips … that it will rent out to OpenAI") is a later use, not the seller.
    later = [r for r in roles if r.role != "subj" and r not in makers and any(
        x.start() <= r.mention.start < x.end() for x in _PRONOUN_RELATIVE.finditer(sentence))]
    if makers and later and len(later) == sum(r.role != "subj" and r not in makers for r in roles):
        return [r for r in roles if r not in later]
    if not makers or not any(r.role != "subj" and r not in makers for r in roles):
        return roles
    return [r for r in roles if r not in makers]


def company_of(subjects: list[_Role], reporter: PartyRef | None, sentence: str, mentions: list[Mention],
               context: Context) -> PartyRef | None:
    """The company a list of investors or lenders gives to: the subject, the company speaking, or the one the text
    is about ("The funding includes $1.5 billion from SoftBank and …, Scale AI said")."""
    if subjects:
        return subjects[0].mention.party
    if reporter is not None:
        return reporter
    said = re.search(r",\s*([A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s+(?:said|says|announced|disclosed)\b[^,;]*$",
                     sentence)
    if said is not None:
        named = next((m for m in mentions if m.start == said.start(1)), None)
        if named is not None:
            return named.party
    return context.funded
