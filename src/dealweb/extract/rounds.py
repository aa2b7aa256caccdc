"""Funding rounds told over two sentences: the raise, then who took part.

"d-Matrix raised $44 million in a Series A round. Investors included A, B and C." The second
sentence lists the round's participants with no figure of their own: by the development set's
convention for funding rounds the round is paid by the pooled investor group, and the list
itself is no deal between the companies it names.
"""

from __future__ import annotations

import re

from dealweb.extract.amounts import find_money

__all__ = ["investor_list"]

# "Investors included …", "The round also included …", "Backers include …", "Other participants were …".
_LIST_OPENER = re.compile(
    r"^\s*(?:(?:Other|Existing|New|Its|Their|The)\s+)?(?:(?:new|existing|other|returning|early|strategic)\s+)?"
    r"(?:investors|backers|participants|investors in the round|participants in the round|round|funding round|"
    r"financing round|raise|funding)\s+(?:also\s+)?(?:included|include|includes|including|were|are|comprised|"
    r"featured|features|counted)\b", re.I)


def investor_list(sentence: str) -> bool:
    """Whether ``sentence`` opens by listing a round's investors and gives no figure of its own.

    >>> investor_list("Investors included Playground Global, Microsoft and SK Hynix.")
    True
    >>> investor_list("The round included Nvidia, AMD Ventures and Intel Capital.")
    True
    >>> investor_list("Investors included Nvidia, which put in $100 million.")
    False
    >>> investor_list("Nvidia included the chips in its forecast.")
    False
    """
    if len(sentence) > 600 or _LIST_OPENER.match(sentence) is None:
        return False
    return not find_money(sentence)
