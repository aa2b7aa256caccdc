"""What each kind of deal means for money and for risk: the one table every analysis uses.

A deal row names a ``payer`` and a ``recipient``. The payer is the side that gives money
or value (investor, customer, buyer, lender, guarantor, warrant issuer); the recipient is
the side that gets it. For most kinds cash moves payer → recipient when the deal is
executed. Two kinds have a second, later leg (debt is repaid; a licence fee or revenue
share recurs), and a backstop moves cash only if someone else fails.

=================== ======================================= ===================================== ====================================
kind                cash flows                              if the payer fails                    if the recipient fails
=================== ======================================= ===================================== ====================================
equity_investment   investor → company                      company loses the unfunded rest       investor loses the marked value
                                                            of an "up to" commitment              of its stake
compute_commitment  customer → provider, over the horizon   provider loses remaining backlog      customer loses prepayments/capacity
lease               lessee → lessor, over the horizon       lessor loses remaining rent           lessee loses prepayments/capacity
chip_purchase       buyer → vendor                          vendor loses the unfilled order       buyer loses deposits
debt                lender → borrower now; borrower →       —                                     lender loses principal × (1 − recovery)
                    lender later
warrant             issuer hands shares (value) to holder   holder loses the warrant's value      —
backstop            guarantor → beneficiary if the obligor  beneficiary loses the protection      —
                    fails (contingent)
revenue_share       payer → recipient, a share of revenue   recipient loses the stream            —
licensing           licensee → licensor                     licensor loses the fees               licensee loses the licence
jv                  partner → joint venture                 JV loses the unfunded contribution    partner loses its contribution
acquisition         acquirer → seller (or target's owners)  seller loses the unpaid price         —
=================== ======================================= ===================================== ====================================

For a warrant the ``payer`` is the issuer (it hands over value) and the ``recipient`` the
holder, as in the bundled fact tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealweb.model.vocab import DealKind

__all__ = ["SEMANTICS", "KindSemantics", "semantics"]


@dataclass(frozen=True, slots=True)
class KindSemantics:
    """Money and risk meaning of one deal kind.

    Attributes
    ----------
    cash
        How cash (or value) moves, in words.
    spread
        ``True`` when the amount is paid over the deal's horizon rather than at once.
    contingent
        ``True`` when cash moves only if a third party fails (a backstop).
    repaid
        ``True`` when the recipient owes the amount back later (debt).
    payer_fails
        Who loses what if the payer fails.
    recipient_fails
        Who loses what if the recipient fails.
    payer_role, recipient_role
        Names of the two sides for this kind, for display (``"investor"``, ``"company"``).
    """

    kind: DealKind
    cash: str
    spread: bool
    contingent: bool
    repaid: bool
    payer_fails: str
    recipient_fails: str
    payer_role: str
    recipient_role: str


_K = DealKind

SEMANTICS: dict[DealKind, KindSemantics] = {
    s.kind: s
    for s in (
        KindSemantics(_K.EQUITY_INVESTMENT, "investor → company", False, False, False,
                      "company loses the unfunded rest of an 'up to' commitment",
                      "investor loses the marked value of its stake", "investor", "company"),
        KindSemantics(_K.COMPUTE_COMMITMENT, "customer → provider, spread over the horizon", True, False, False,
                      "provider loses the remaining contracted revenue (backlog)",
                      "customer loses prepayments and capacity", "customer", "provider"),
        KindSemantics(_K.LEASE, "lessee → lessor, spread over the horizon", True, False, False,
                      "lessor loses the remaining contracted rent (backlog)",
                      "lessee loses prepayments and capacity", "lessee", "lessor"),
        KindSemantics(_K.CHIP_PURCHASE, "buyer → vendor", False, False, False,
                      "vendor loses the unfilled order", "buyer loses deposits", "buyer", "vendor"),
        KindSemantics(_K.DEBT, "lender → borrower now; borrower → lender later", False, False, True,
                      "nothing (the lender has already paid)",
                      "lender loses principal × (1 − recovery)", "lender", "borrower"),
        KindSemantics(_K.WARRANT, "issuer hands shares (value) to holder", False, False, False,
                      "holder loses the warrant's value", "nothing", "issuer", "holder"),
        KindSemantics(_K.BACKSTOP, "guarantor pays the beneficiary if the obligor fails", False, True, False,
                      "beneficiary loses the protection", "nothing", "guarantor", "beneficiary"),
        KindSemantics(_K.REVENUE_SHARE, "payer → recipient, a share of revenue", True, False, False,
                      "recipient loses the stream", "nothing", "payer", "recipient"),
        KindSemantics(_K.LICENSING, "licensee → licensor", True, False, False,
                      "licensor loses the fees", "licensee loses the licence", "licensee", "licensor"),
        KindSemantics(_K.JV, "partner → joint venture", False, False, False,
                      "joint venture loses the unfunded contribution",
                      "partner loses its contribution", "partner", "joint venture"),
        KindSemantics(_K.ACQUISITION, "acquirer → seller", False, False, False,
                      "seller loses the unpaid price", "nothing", "acquirer", "seller"),
    )
}


def semantics(kind: DealKind | str) -> KindSemantics:
    """The money and risk meaning of a deal kind.

    >>> semantics("debt").repaid, semantics("compute_commitment").spread
    (True, True)
    >>> semantics("warrant").payer_role
    'issuer'
    """
    return SEMANTICS[DealKind(kind)]
