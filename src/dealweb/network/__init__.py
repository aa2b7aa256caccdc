"""The projection layer: deals become a :class:`Network` of flows that analyses work on.

Use ``dealweb.project(ledger, …)`` (:func:`dealweb.network.project.network`) to project a
ledger, or :meth:`Network.from_edges` to bring your own edge list.
"""

from dealweb.network.graph import Network
from dealweb.network.headline import Headline
from dealweb.network.policy import AmountPolicy
from dealweb.network.project import DEFAULT_KINDS, as_of_date, network
from dealweb.network.spec import ProjectionSpec

__all__ = ["DEFAULT_KINDS", "AmountPolicy", "Headline", "Network", "ProjectionSpec", "as_of_date", "network"]
