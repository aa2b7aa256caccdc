"""From article to ledger: candidate deals and financial facts in news text, with evidence.

>>> from dealweb.extract import deals_from_text
>>> [(c.payer.id, c.recipient.id, c.kind.value, str(c.amount), c.qualifier.value)
...  for c in deals_from_text("AWS will lease 300 MW from Cipher Mining for 15 years in a deal worth $5.5 billion.")]
[('amazon', 'cipher-mining', 'lease', '5500000000', 'exact')]

The steps are modules: :mod:`~dealweb.extract.text` (HTML and boilerplate),
:mod:`~dealweb.extract.amounts` (money phrases), :mod:`~dealweb.extract.parties` (names to
entities), :mod:`~dealweb.extract.patterns` (spaCy deal words), :mod:`~dealweb.extract.clauses`
(roles and direction), :mod:`~dealweb.extract.facts` (valuations, stakes, revenue),
:mod:`~dealweb.extract.dates`, :mod:`~dealweb.extract.candidates` (records and
:func:`extract`) and :mod:`~dealweb.extract.review` (import with the article as source).
"""

from dealweb.extract.candidates import Candidate, Evidence, Extraction, FactCandidate, deals_from_text, extract
from dealweb.extract.parties import PartyRef
from dealweb.extract.review import (
    ImportPlan,
    ImportResult,
    Planned,
    import_candidates,
    plan_import,
    pretick_note,
    same_deal,
    starts_ticked,
)
from dealweb.extract.text import Article, clean_article

__all__ = [
    "Article",
    "Candidate",
    "Evidence",
    "Extraction",
    "FactCandidate",
    "ImportPlan",
    "ImportResult",
    "PartyRef",
    "Planned",
    "clean_article",
    "deals_from_text",
    "extract",
    "import_candidates",
    "plan_import",
    "pretick_note",
    "same_deal",
    "starts_ticked",
]
