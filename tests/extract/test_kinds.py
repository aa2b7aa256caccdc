"""Kinds the verb frame alone does not give: joint ventures named later, contributions to a named venture
(sentences written for these tests)."""

from __future__ import annotations

from decimal import Decimal

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9


def deals(text: str) -> list[tuple[str, str, str, Decimal | None]]:
    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount)
            for c in extract(text, directory=directory_for(None)).deals]


def test_a_venture_named_in_the_same_sentence_is_one_party_even_with_a_partners_name_inside() -> None:
    assert deals("OpenAI and SoftBank formed a joint venture named SB OpenAI Japan.") == [
        ("openai", "sb-openai-japan", "jv", None), ("softbank", "sb-openai-japan", "jv", None)]


def test_a_venture_named_in_the_next_sentence_takes_the_partners_agreed_before() -> None:
    text = ("Arm chief executive Rene Haas said on Monday that his chip design company and Nvidia have agreed to set "
            "up a joint venture to sell robots. The new venture, called Robo Works Group, will start next year.")
    assert deals(text) == [("arm", "robo-works-group", "jv", None), ("nvidia", "robo-works-group", "jv", None)]


def test_an_unnamed_venture_gives_no_candidate() -> None:
    assert deals("Equinix is forming a joint venture with GIC and Canada Pension Plan Investment Board.") == []


def test_contributions_apiece_go_to_the_venture_just_named() -> None:
    text = ("Stargate is a joint venture of OpenAI and SoftBank. Oracle and Abu Dhabi-backed MGX would contribute "
            "about $5 billion apiece, the paper said, citing the OpenAI chief.")
    assert deals(text) == [("oracle", "stargate", "jv", 5 * B), ("mgx", "stargate", "jv", 5 * B)]


def test_a_trailing_attribution_names_no_party() -> None:
    assert deals("Nvidia will invest $2 billion in Mistral, the newspaper reported citing Microsoft executives.") == [
        ("nvidia", "mistral-ai", "equity_investment", 2 * B)]


def test_a_buyer_named_after_the_customer_word_completes_an_earlier_sale() -> None:
    text = ("Nebius said it has secured a contract to supply $5 billion of GPU capacity. "
            "Analysts said the customer was Meta.")
    assert deals(text) == [("meta", "nebius", "compute_commitment", 5 * B)]


def test_a_buyer_of_the_same_seller_in_the_next_sentence_completes_the_sale() -> None:
    text = ("Nebius is providing $5 billion of computing capacity under the deal. "
            "Meta will also spend $3 billion to buy capacity from Nebius later.")
    assert sorted(deals(text)) == [("meta", "nebius", "compute_commitment", 3 * B),
                                   ("meta", "nebius", "compute_commitment", 5 * B)]


def test_a_sale_whose_buyer_is_never_named_gives_nothing() -> None:
    assert deals("Nebius will supply $5 billion of GPU capacity. Shares rose 10%. The stock closed higher.") == []


def test_earning_a_share_of_revenue_from_x_makes_x_the_payer() -> None:
    text = "In addition to the $200 million fee from xAI, Telegram will also earn 40% of the revenue from xAI's sales."
    assert deals(text) == [("xai", "telegram", "revenue_share", None)]


def test_paying_a_share_of_revenue_is_revenue_share_not_compute() -> None:
    assert deals("OpenAI will pay Microsoft 20% of its revenue until 2030.") == [
        ("openai", "microsoft", "revenue_share", None)]


def test_receiving_a_share_of_anothers_revenue() -> None:
    assert deals("Microsoft will receive a 20% share of OpenAI's revenue.") == [
        ("openai", "microsoft", "revenue_share", None)]


def test_a_share_of_sales_with_no_verb_of_paying_is_no_deal() -> None:
    assert deals("Microsoft's cloud revenue accounts for 40% of sales.") == []
