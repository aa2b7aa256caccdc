"""Seventh round: deals whose payer or recipient is not named in the deal's own sentence.

* "the company" or "it" after a sentence whose subject is a company the ledger does not hold ("Orvanta signed …
  The company then led …"), also past a short opening phrase ("On Monday, Orvanta said …");
* a figure told in the sentence after the deal, in two currencies or after a longer verb phrase ("The contract is
  put at 2 trillion won, or $1.4 billion", "is estimated to be worth", "the contract value sits at").

Every text here was written for these tests, with made-up names and figures.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import deal_tuples as deals
from dealweb.extract import extract
from dealweb.extract.amounts import converts, find_money
from dealweb.extract.candidates import directory_for
from dealweb.extract.coref import new_subject
from dealweb.extract.followups import follow_up_figure

M = Decimal(10) ** 6
B = Decimal(10) ** 9


# --- "the company" / "it" for a new company that was the subject just before ---------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Orvanta has grown fast this year. The company led a $300 million funding round for Quillwave AI.",
     [("orvanta", "quillwave-ai", "equity_investment", 300 * M)]),
    ("Orvanta announced new products on Monday. It invested $45 million in Tallbird Robotics.",
     [("orvanta", "tallbird-robotics", "equity_investment", 45 * M)]),
    # past a short opening phrase
    ("After a slow spring, Orvanta has been busy with deals. The company led a $1.2 billion round for Quillwave AI.",
     [("orvanta", "quillwave-ai", "equity_investment", Decimal("1.2") * B)]),
])
def test_the_company_is_the_new_company_that_was_the_subject(text: str, expected: list[tuple]) -> None:
    assert deals(text) == expected


@pytest.mark.parametrize("text", [
    # no verb after the name: no subject, so "the company" stays unresolved (no guessed payer)
    "Orvanta and Brightmoor, two rivals. The company led a $300 million funding round for Quillwave AI.",
    # a month, a place or an outlet opening the sentence before is no company
    "In March, Texas passed a new law. The company led a $300 million funding round for Quillwave AI.",
    "Reuters reported the talks on Friday. The company led a $300 million funding round for Quillwave AI.",
])
def test_no_company_subject_gives_no_payer(text: str) -> None:
    assert not [d for d in deals(text) if d[0] in ("orvanta", "brightmoor", "texas", "reuters", "march")]


def test_new_subject() -> None:
    names = directory_for(None).for_article()
    assert new_subject("Orvanta raised $40 million.", names).id == "orvanta"  # type: ignore[union-attr]
    assert new_subject("On Monday, Orvanta said it would expand.", names).id == "orvanta"  # type: ignore[union-attr]
    assert new_subject("Orvanta and Brightmoor met.", names) is None
    assert new_subject("Nvidia raised prices.", names) is None  # a name the ledger holds is left to the caller


# --- the figure of the deal just told ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "amount", "currency"), [
    ("The contract is put at 2 trillion won, or $1.4 billion.", 2 * 10 ** 12, "KRW"),
    ("The agreement is valued at 900 billion yen (about $6 billion).", 900 * B, "JPY"),
    ("The pact is estimated to be worth more than $310 million across four seasons, one paper said.", 310 * M, "USD"),
    ("The contract value sits at $4 billion for the first term.", 4 * B, "USD"),
])
def test_follow_up_figure(sentence: str, amount: int, currency: str) -> None:
    figure = follow_up_figure(sentence)
    assert figure is not None and (figure.amount, figure.currency) == (Decimal(amount), currency)


def test_two_figures_that_are_not_one_converted_stay_unread() -> None:
    assert follow_up_figure("The two contracts are worth $2 billion and $3 billion.") is None


def test_converts() -> None:
    s = "It comes to 5 trillion won (about $3.6 billion) and $2 billion more."
    assert [converts(s, m) for m in find_money(s)] == [False, True, False]


def test_the_follow_up_figure_completes_the_deal() -> None:
    text = ("Hallstrom Memory signed a contract to supply memory chips to Corvid Graphics. "
            "The contract is put at 2 trillion won, or $1.4 billion.")
    found = extract(text, directory=directory_for(None)).deals
    assert [(c.payer.id, c.recipient.id, c.amount, c.currency) for c in found] == \
        [("corvid-graphics", "hallstrom-memory", 2 * 10 ** 12, "KRW")]


# --- names the recogniser cut wrongly: an officer's title inside a run of capitalised words --------------------------

@pytest.mark.parametrize(("text", "orgs"), [
    ("Orvanta agreed to hire Quillwave CEO Dana Voss and her team.", ["Quillwave"]),
    ("Tallbird Robotics founder Ola Brann said the order was signed.", ["Tallbird Robotics"]),
    ("Trade Minister Ilse Varga said the plan would go ahead.", []),
    ("Commerce Secretary Bo Lind approved the sale.", []),
])
def test_an_officer_is_no_part_of_the_company_name(text: str, orgs: list[str]) -> None:
    names = directory_for(None).for_article()
    found = names.unknown_orgs(text, [(m.start, m.end) for m in names.mentions(text)])
    assert [m.party.surface for m in found if m.party.surface != "Orvanta"] == orgs


def test_an_office_holder_is_never_a_party() -> None:
    text = "Trade Minister Ilse Varga said Orvanta will pay $250 million to license chip designs from Quillwave Labs."
    assert all("varga" not in d[0] and "varga" not in d[1] for d in deals(text))


def test_it_follows_a_subject_described_with_a_figure() -> None:
    # "The $2 billion-valued startup, …, builds …" opens by reference, so "it" goes back to the company before it
    text = ("Quillwave AI has become a favourite of defence buyers. The $2 billion-valued startup, formed in 2019 by "
            "two pilots, builds autonomy software. In May, it raised $90 million in a round led by Tallbird Capital.")
    assert deals(text) == [("tallbird-capital", "quillwave-ai", "equity_investment", 90 * M)]


# --- a round's lead named two sentences after the raise ---------------------------------------------------------------

def test_the_lead_named_a_sentence_later_pays_in_place_of_the_investor_group() -> None:
    text = ("Quillwave AI has raised $120 million of Series C capital. That more than doubles its value from last year. "
            "Growth firm Tallbird Capital led the round, with smaller cheques from two family offices.")
    assert deals(text) == [("tallbird-capital", "quillwave-ai", "equity_investment", 120 * M)]


def test_with_no_lead_the_round_stays_with_the_investor_group() -> None:
    text = ("Quillwave AI has raised $120 million of Series C capital. That more than doubles its value from last year. "
            "It plans to hire forty engineers.")
    assert deals(text) == [("venture-investors", "quillwave-ai", "equity_investment", 120 * M)]


def test_a_new_company_keeps_its_legal_form_in_its_name() -> None:
    names = directory_for(None).for_article()
    text = "The round was led by Fjordvik ASA, the Norwegian holding company."
    found = names.unknown_orgs(text, [])
    assert [(m.party.id, m.party.name, m.party.surface) for m in found] == [("fjordvik", "Fjordvik ASA", "Fjordvik")]


def test_a_magazine_written_with_a_curly_apostrophe_is_no_party() -> None:
    text = ("Orvanta will license articles from Halden Media's titles, including the Daily Ledger and Barron’s. "
            "The deal is worth $40 million.")
    assert all("barron" not in d[0] and "barron" not in d[1] for d in deals(text))
