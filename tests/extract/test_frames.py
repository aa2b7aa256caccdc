"""Verb frames: who pays is decided by the verb, whichever company is the subject (sentences written for these tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import deal_tuples as deals
from dealweb.extract.frames import FRAMES, frame_of
from dealweb.model.vocab import DealKind

B = Decimal(10) ** 9


@pytest.mark.parametrize(("sentence", "expected"), [
    # the supplier as subject: the money goes to the subject
    ("CoreWeave signed a contract with Microsoft to provide it with computing capacity worth $2 billion.",
     ("microsoft", "coreweave", "compute_commitment", 2 * B)),
    ("Nebius will supply Meta with $3 billion of GPU capacity over five years.",
     ("meta", "nebius", "compute_commitment", 3 * B)),
    ("Nvidia will sell $4 billion of chips to xAI.", ("xai", "nvidia", "chip_purchase", 4 * B)),
    ("Lambda will rent servers to Microsoft in a deal worth $1.5 billion.",
     ("microsoft", "lambda", "compute_commitment", Decimal("1.5") * B)),
    ("Oracle will build data centres for OpenAI under a $30 billion contract.",
     ("openai", "oracle", "compute_commitment", 30 * B)),
    # the buyer as subject: the subject pays
    ("OpenAI agreed to buy $10 billion of chips from Broadcom.", ("openai", "broadcom", "chip_purchase", 10 * B)),
    ("Anthropic committed to spend $30 billion on Azure compute.",
     ("anthropic", "microsoft", "compute_commitment", 30 * B)),
    ("Meta signed to use $14 billion of CoreWeave capacity.", ("meta", "coreweave", "compute_commitment", 14 * B)),
    ("Microsoft will pay Nebius $17.4 billion for GPU capacity.",
     ("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B)),
    # investors
    ("Nvidia will lead a $2 billion round in Mistral.", ("nvidia", "mistral-ai", "equity_investment", 2 * B)),
    ("Amazon backed Anthropic with a $4 billion investment.", ("amazon", "anthropic", "equity_investment", 4 * B)),
    ("Anthropic will receive Google's $2 billion investment.", ("google", "anthropic", "equity_investment", 2 * B)),
    ("xAI was funded by Nvidia with $2 billion.", ("nvidia", "xai", "equity_investment", 2 * B)),
    # lenders and borrowers
    ("JPMorgan will lend $7 billion to CoreWeave.", ("jpmorgan", "coreweave", "debt", 7 * B)),
    ("Blackstone provided a $7.5 billion loan to CoreWeave.", ("blackstone", "coreweave", "debt", Decimal("7.5") * B)),
    ("CoreWeave received $2 billion in financing from Blackstone.", ("blackstone", "coreweave", "debt", 2 * B)),
    # warrants: issuer → holder, whichever is the subject
    ("Google received warrants to buy TeraWulf shares.", ("terawulf", "google", "warrant", None)),
    ("AMD issued OpenAI warrants for 160 million shares.", ("amd", "openai", "warrant", None)),
    # a passive acquisition: the agent buys
    ("Windsurf was acquired by Cognition for $250 million.",
     ("cognition", "windsurf", "acquisition", Decimal(250) * 10**6)),
])
def test_the_verb_decides_who_pays(sentence: str, expected: tuple[str, str, str, Decimal | None]) -> None:
    assert deals(sentence) == [expected]


def test_background_between_subject_and_verb_is_not_the_subjects_verb() -> None:
    # "backed by" belongs to the relative clause, not to Poolside's renting
    assert deals("Poolside, which is also backed by Nvidia, agreed to rent $2 billion of cloud capacity from CoreWeave.") \
        == [("poolside", "coreweave", "compute_commitment", 2 * B)]


def test_several_funders_with_one_figure_stay_an_aggregate() -> None:
    assert deals("Anthropic received investments totaling $15 billion from Microsoft and Nvidia.") == []


@pytest.mark.parametrize(("head", "kind", "side"), [
    (" will supply Meta with GPUs", DealKind.COMPUTE_COMMITMENT, "recipient"),
    (" has signed a $38 billion deal to provide OpenAI with servers", DealKind.COMPUTE_COMMITMENT, "recipient"),
    (" agreed to lease the campus from Aligned", DealKind.LEASE, "payer"),
    (" will license its models to Apple", DealKind.LICENSING, "recipient"),
    (" was financed by a bank group", DealKind.DEBT, "recipient"),
    (" will invest $1 billion in Mistral", DealKind.EQUITY_INVESTMENT, "payer"),
    (" raised $2 billion from Thrive", DealKind.EQUITY_INVESTMENT, "recipient"),
])
def test_frame_table_reads_the_verb_group(head: str, kind: DealKind, side: str) -> None:
    frame = frame_of(head, kind)
    assert frame is not None and frame.subject == side


def test_every_frame_names_a_side_and_a_counterparty() -> None:
    assert {f.subject for f in FRAMES} == {"payer", "recipient"}
    assert all(f.counter and f.kinds for f in FRAMES)
    assert frame_of(" posted revenue of $3 billion", DealKind.EQUITY_INVESTMENT) is None
