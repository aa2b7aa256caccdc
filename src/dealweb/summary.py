"""Kept so ``from dealweb.summary import …`` still works: the summary lives in :mod:`dealweb.network.summary`.

It moved to the projection layer it belongs to (it totals deals on a counting basis, as the
projection does); ``format_usd`` lives in :mod:`dealweb.network.headline`.
"""

from dealweb.network.headline import format_usd
from dealweb.network.summary import Summary, summarize

__all__ = ["Summary", "format_usd", "summarize"]
