"""Controlled vocabularies of the ledger: kinds, qualifiers, statuses, confidence, metrics.

Each vocabulary is a :class:`str`-valued :class:`enum.StrEnum`, so a member compares
equal to its text (``DealKind.DEBT == "debt"``) and serialises as plain text.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "COUNTED_STATUSES",
    "Commitment",
    "Confidence",
    "Consideration",
    "DealKind",
    "EntityKind",
    "Metric",
    "Qualifier",
    "Schedule",
    "SourceKind",
    "Status",
    "metric_unit",
]


class EntityKind(StrEnum):
    """What kind of organisation an entity is."""

    AI_LAB = "ai_lab"
    CLOUD_PROVIDER = "cloud_provider"
    CHIPMAKER = "chipmaker"
    NEOCLOUD = "neocloud"
    DATA_CENTER = "data_center"
    INVESTOR = "investor"
    BANK = "bank"
    GOVERNMENT = "government"
    OTHER = "other"


class DealKind(StrEnum):
    """The legal and economic form of a deal. Cash direction per kind: :mod:`dealweb.model.semantics`."""

    EQUITY_INVESTMENT = "equity_investment"
    COMPUTE_COMMITMENT = "compute_commitment"
    CHIP_PURCHASE = "chip_purchase"
    WARRANT = "warrant"
    DEBT = "debt"
    LEASE = "lease"
    BACKSTOP = "backstop"
    REVENUE_SHARE = "revenue_share"
    LICENSING = "licensing"
    JV = "jv"
    ACQUISITION = "acquisition"


class Qualifier(StrEnum):
    """How firm an amount is.

    ``exact``: a figure the parties stated. ``up_to``: a ceiling (conditional, tranched or
    optional). ``estimate``: reported but unconfirmed, converted or derived.
    ``undisclosed``: no figure is known; the amount is empty.
    """

    EXACT = "exact"
    UP_TO = "up_to"
    ESTIMATE = "estimate"
    UNDISCLOSED = "undisclosed"


class Status(StrEnum):
    """Where a deal stands in its life."""

    RUMORED = "rumored"
    ANNOUNCED = "announced"
    SIGNED = "signed"
    CLOSED = "closed"
    TERMINATED = "terminated"
    SUPERSEDED = "superseded"


#: Statuses whose amounts count in default totals. Rumours, terminated and superseded
#: deals stay in the ledger (with their sources) but add nothing by default.
COUNTED_STATUSES: frozenset[Status] = frozenset({Status.ANNOUNCED, Status.SIGNED, Status.CLOSED})


class Consideration(StrEnum):
    """What is handed over for a deal.

    ``cash``: money. ``stock``: shares only, so no cash moves (an all-stock acquisition is
    no cash obligation). ``mixed``: cash and stock; the cash part is the deal's
    ``cash_usd``. ``in_kind``: compute credits, capacity or other goods in place of cash.
    """

    CASH = "cash"
    STOCK = "stock"
    MIXED = "mixed"
    IN_KIND = "in_kind"


class Commitment(StrEnum):
    """How firmly a deal binds its payer.

    ``binding``: a signed obligation. ``ceiling``: an "up to" plan or framework whose
    contents are other deals (it names them in ``covers``, so the two are never summed).
    ``non_binding``: a letter of intent, memorandum of understanding or talks.
    """

    BINDING = "binding"
    CEILING = "ceiling"
    NON_BINDING = "non_binding"


class Schedule(StrEnum):
    """How a deal's amount spreads over time.

    ``total``: ``amount_usd`` is the whole deal. ``per_year``: ``amount_usd`` is paid each
    year for ``horizon_years`` years (so the whole deal is amount × years).
    """

    TOTAL = "total"
    PER_YEAR = "per_year"


class SourceKind(StrEnum):
    """What kind of document a source is.

    ``filing``: a regulatory filing (SEC 10-K, 10-Q, 8-K) or a filed earnings release.
    ``company_release``: a party's own press release, blog post or investor page.
    ``outlet``: a news outlet's story on the outlet's own site. ``secondary``: an
    aggregator, blog, mirror or wiki.
    """

    FILING = "filing"
    COMPANY_RELEASE = "company_release"
    OUTLET = "outlet"
    SECONDARY = "secondary"


class Confidence(StrEnum):
    """How well a record is sourced.

    ``high``: a company release or filing, or several major outlets agree.
    ``medium``: one outlet's report without company confirmation, or outlets disagree.
    ``low``: talks only, denied, or our own derivation.
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """2 for high, 1 for medium, 0 for low; ``c.rank >= floor.rank`` filters by confidence."""
        return {"high": 2, "medium": 1, "low": 0}[self.value]


class Metric(StrEnum):
    """What a financial snapshot measures. Values are USD except where :func:`metric_unit` says."""

    VALUATION = "valuation"  # post-money valuation of a priced round
    VALUATION_PRE_MONEY = "valuation_pre_money"
    VALUATION_SECONDARY = "valuation_secondary"  # price of a secondary / tender sale
    VALUATION_IMPLIED = "valuation_implied"  # implied by a report, not a priced round
    VALUATION_TARGET = "valuation_target"  # sought in a raise or IPO, not achieved yet
    MARKET_CAP = "market_cap"
    STAKE_VALUE = "stake_value"  # value of entity's stake in counterparty
    STAKE_PCT = "stake_pct"  # entity's ownership of counterparty, percent
    REVENUE = "revenue"  # a fiscal or calendar year
    REVENUE_HALF = "revenue_half"
    REVENUE_QUARTER = "revenue_quarter"
    REVENUE_RUN_RATE = "revenue_run_rate"
    REVENUE_TARGET = "revenue_target"
    NET_LOSS = "net_loss"
    CASH_BURN = "cash_burn"  # per year
    CASH = "cash"  # cash and cash equivalents only
    CASH_AND_SECURITIES = "cash_and_securities"  # cash, equivalents and marketable securities
    DEBT = "debt"
    EQUITY_BOOK = "equity_book"
    BACKLOG_RPO = "backlog_rpo"
    BOOKINGS = "bookings"
    CAPEX_PLAN = "capex_plan"  # guidance
    CAPEX = "capex"  # actual capital expenditure in a fiscal year
    TOTAL_COMMITMENTS = "total_commitments"
    EQUITY_METHOD_LOSS = "equity_method_loss"
    OTHER = "other"


def metric_unit(metric: Metric | str) -> str:
    """The unit of a metric's value: ``"pct"`` for stakes, ``"usd"`` otherwise.

    >>> metric_unit("stake_pct"), metric_unit(Metric.VALUATION)
    ('pct', 'usd')
    """
    return "pct" if Metric(metric) is Metric.STAKE_PCT else "usd"
