"""Kinds the verb frame alone does not give: joint ventures named later, contributions to a named venture
(sentences written for these tests)."""

from __future__ import annotations

from decimal import Decimal

from conftest import deal_tuples as deals

B = Decimal(10) ** 9


def test_a_venture_named_in_the_same_sentence_is_one_party_even_with_a_partners_name_inside() -> None:
    assert deals("OpenAI and SoftBank formed a joint venture named SB OpenAI Japan.") == [
        ("openai", "sb-openai-japan", "jv", None), ("softbank", "sb-openai-japan", "jv", None)]


def test_a_venture_named_in_the_next_sentence_takes_the_partners_agreed_before() -> None:
    text = ("Arm chief executive Rene Haas said on Monday that his chip design company and Nvidia have agreed to set "
            "up a joint venture to sell robots. The new venture, called Robo Works Group, will start next year.")
    assert deals(text) == [("arm", "robo-works-group", "jv", None), ("nvidia", "robo-works-group", "jv", None)]


def test_an_unnamed_venture_is_proposed_for_its_partners() -> None:
    # The venture is never named: each partner pays into a proposed vehicle (issue 16, round 2).
    assert deals("Equinix is forming a joint venture with GIC and Crusoe.") == [
        ("equinix", "equinix-gic-crusoe-jv", "jv", None), ("gic", "equinix-gic-crusoe-jv", "jv", None),
        ("crusoe", "equinix-gic-crusoe-jv", "jv", None)]


def test_talks_of_a_venture_propose_nothing() -> None:
    assert deals("Equinix is in talks to form a joint venture with GIC and Crusoe.") == []


def test_contributions_apiece_go_to_the_venture_just_named() -> None:
    text = ("Stargate is a joint venture of OpenAI and SoftBank. Oracle and Abu Dhabi-backed MGX would contribute "
            "about $5 billion apiece, the paper said, citing the OpenAI chief.")
    # "V is a joint venture of A and B" names V's partners as the appositive "V, a joint venture of A and B" does
    # (issue 16, fourth round): each is a figureless partner; the contributions apiece are the later partners' parts.
    assert deals(text) == [("openai", "stargate", "jv", None), ("softbank", "stargate", "jv", None),
                           ("oracle", "stargate", "jv", 5 * B), ("mgx", "stargate", "jv", 5 * B)]


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


def test_the_lead_named_before_a_relative_clause_is_the_investor() -> None:
    got = deals("Mistral raised $3 billion in a round led by Nvidia, which put in $1 billion into the company.")
    assert got and all((p, r, k) == ("nvidia", "mistral-ai", "equity_investment") for p, r, k, _ in got)


def test_relative_clause_investors_of_a_round_invest_in_the_company_named() -> None:
    got = deals("Backers of the round included Google, which put in about $500 million into Anthropic, and Nvidia, "
                "which invested about $100 million in Anthropic.")
    assert ("google", "anthropic", "equity_investment", 500 * 10**6) in got
    assert ("nvidia", "anthropic", "equity_investment", 100 * 10**6) in got


def test_a_past_investment_in_a_relative_clause_is_background() -> None:
    assert deals("Amazon, which had already invested $8 billion in Anthropic, is weighing more.") == []
    assert ("thrive-capital", "openai", "equity_investment", B) not in deals(
        "Thrive Capital, which invested $1 billion in OpenAI, also backed Cursor.")


def test_a_joint_licensing_deal_is_paid_by_the_party_allowed_to_use() -> None:
    assert deals("Disney and OpenAI have signed a licensing agreement that will allow OpenAI to use Disney "
                 "characters in Sora.") == [("openai", "disney", "licensing", None)]


def test_a_joint_licensing_deal_with_no_direction_gives_nothing_and_does_not_crash() -> None:
    assert deals("Disney and OpenAI signed a licensing deal.") == []


def test_a_venture_described_in_apposition_has_its_partners_after_it() -> None:
    assert deals("Stargate UAE, a joint venture between G42 and OpenAI, will build a 1 GW campus.") == [
        ("g42", "stargate-uae", "jv", None), ("openai", "stargate-uae", "jv", None)]


def test_an_appositive_that_is_not_a_venture_names_no_party() -> None:
    assert deals("Microsoft, a partner of OpenAI, declined to comment.") == []
