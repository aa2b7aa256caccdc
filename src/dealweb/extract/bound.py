"""The bound part of a figure a deal only could reach, from the sentence after it.

"… a pact that could total roughly $27 billion. The agreement guarantees $12 billion of capacity …": the
development set's convention scores the firm part as the deal (options, and the sum of both, are not scored).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dealweb.extract.followups import _FOLLOW_UP
from dealweb.model.vocab import Qualifier

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate
    from dealweb.extract.text import Sentence

__all__ = ["firm_part"]

# A figure the words make hypothetical: "a pact that could total roughly $27 billion", "potentially worth up to".
_MAY_TOTAL = re.compile(r"(?:\b(?:could|may|might|would)\s+(?:eventually\s+|ultimately\s+)?(?:total|be worth|reach|"
                        r"rise to|grow to|amount to|be valued at|climb to)|\bpotential(?:ly)?(?:\s+worth)?|\bup to)\s*"
                        r"(?:about|around|roughly|nearly|some|more than)?\s*$", re.I)
# The part of it that is bound: "The agreement guarantees $12 billion of …", "… of which $9 billion is committed".
_FIRM = re.compile(r"\b(?:guarantees?|guaranteed|commits?|committed|locks? in|includes? a firm|firm(?:ly)?|fixed|"
                   r"binding|non-cancell?able)\s+(?:(?:commitment|purchase|order)\s+(?:of|for)\s+)?"
                   r"(?:about|around|roughly|nearly|some|more than)?\s*$", re.I)


def firm_part(sentence: Sentence, deals: list[Candidate]) -> tuple[int, Candidate] | None:
    """The last deal's figure, when its words made it hypothetical ("a pact that could total roughly $27 billion"),
    replaced by the bound part the next sentence gives ("The agreement guarantees $12 billion of capacity and includes
    an option for up to $15 billion more"): ``(index in deals, the deal with the bound figure)``, else ``None``.

    The development set's convention: the firm part is the deal, options and the sum of both are not scored.
    """
    from dataclasses import replace

    from dealweb.extract.amounts import find_money
    from dealweb.extract.candidates import Evidence

    text = sentence.text
    if len(text) > 600 or not _FOLLOW_UP.match(text):
        return None
    i = next((n for n in range(len(deals) - 1, -1, -1) if deals[n].amount is not None), None)
    if i is None or not 0 <= sentence.start - deals[i].evidence.end <= 3:
        return None
    last = deals[i]
    told = last.evidence.sentence
    if last.amount is None:
        return None
    if not any(m.amount == last.amount and _MAY_TOTAL.search(told, max(0, m.start - 60), m.start) for m in find_money(told)):
        return None
    firm = [m for m in find_money(text) if _FIRM.search(text, max(0, m.start - 60), m.start) and not m.is_price
            and m.currency == last.currency and m.amount < last.amount and m.qualifier is not Qualifier.UP_TO]
    if len(firm) != 1:
        return None
    m = firm[0]
    return i, replace(last, amount=m.amount, qualifier=m.qualifier, low=m.low, high=m.high, period=m.period,
                      evidence=Evidence(told + " " + text, last.evidence.start, sentence.end),
                      notes=(*last.notes, "the next sentence gives the bound part of a figure the deal only could reach"),
                      signals=last.signals | {"linked"})
