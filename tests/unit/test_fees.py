"""Litigation fees, 《诉讼费用交纳办法》: Art. 13(1) property bands, halving under Arts. 15 and 16, and the
rules of the other kinds (Arts. 13(2)–(5), 14)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fees.calculator import estimate, property_case_fee, yuan
from fees.kinds import (
    claim_amounts,
    divorce_property_extra,
    execution_fee,
    fee_kind,
    payment_order_fee,
    personality_damages_extra,
    preservation_fee,
)
from nlu.entities import extract_all


@pytest.mark.parametrize(
    ("claim", "fee"),
    [
        (0, "50"),
        (5_000, "50"),
        (10_000, "50"),
        (10_001, "50.03"),  # 1 yuan in the 2.5 % band
        (50_000, "1050"),  # 50 + 40,000 × 2.5 %
        (100_000, "2300"),  # 50 + 90,000 × 2.5 %
        (200_000, "4300"),  # the worked example: + 100,000 × 2 %
        (500_000, "8800"),  # + 300,000 × 1.5 %
        (1_000_000, "13800"),  # + 500,000 × 1 %
        (2_000_000, "22800"),  # + 1,000,000 × 0.9 %
        (5_000_000, "46800"),  # + 3,000,000 × 0.8 %
        (10_000_000, "81800"),  # + 5,000,000 × 0.7 %
        (20_000_000, "141800"),  # + 10,000,000 × 0.6 %
        (30_000_000, "191800"),  # + 10,000,000 × 0.5 %
    ],
)
def test_art_13_1_bands(claim: int, fee: str) -> None:
    assert property_case_fee(claim) == Decimal(fee)


def test_halved_for_mediation_withdrawal_or_summary_procedure() -> None:
    result = estimate(35_000)
    assert result.full == Decimal("675") and result.halved == Decimal("337.5")


def test_negative_claims_are_refused() -> None:
    with pytest.raises(ValueError):
        property_case_fee(-1)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**6))
def test_fee_never_falls_and_rises_slower_than_the_claim(claim: int, more: int) -> None:
    lower, higher = property_case_fee(claim), property_case_fee(claim + more)
    assert lower <= higher
    assert higher - lower <= Decimal(more) * Decimal("0.025") + Decimal("0.01")


def test_yuan_formatting() -> None:
    assert yuan(Decimal("4300.00")) == "4300" and yuan(Decimal("337.50")) == "337.5"


# --- the rule per kind: 《诉讼费用交纳办法》 Arts. 13(2)–(5) and 14 (fees/kinds.py) ----------------------



@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("俺俩要离个婚 诉讼费要多少", "divorce"),
        ("公司拖了我半年工资 去告他得交多少钱", "labour"),
        ("他在网上造谣诽谤我 起诉收费吗", "personality"),
        ("想告镇政府 行政官司咋收费", "administrative"),
        ("判决生效了他不给 申请执行要交钱吗", "execution"),
        ("申请财产保全要交多少", "preservation"),
        ("欠我八万块 打官司多少钱", None),
    ],
)
def test_the_kind_of_matter_picks_the_rule(text: str, kind: str | None) -> None:
    assert fee_kind(text) == kind


def test_art_14_1_execution_bands() -> None:
    assert execution_fee(Decimal(10_000)) == Decimal("50")  # up to 10,000: 50 per case
    assert execution_fee(Decimal(100_000)) == Decimal("1400")  # 50 + 90,000 × 1.5 %
    assert execution_fee(Decimal(1_000_000)) == Decimal("12400")  # + 490,000 × 1.5 % + 500,000 × 1 %


def test_art_14_2_preservation_is_capped_at_5000() -> None:
    assert preservation_fee(Decimal(800)) == Decimal("30")
    assert preservation_fee(Decimal(50_000)) == Decimal("520")  # 30 + 49,000 × 1 %
    assert preservation_fee(Decimal(100_000_000)) == Decimal("5000")


def test_art_13_2_divorce_property_above_200000_at_half_a_percent() -> None:
    assert divorce_property_extra(Decimal(150_000)) == Decimal("0")
    assert divorce_property_extra(Decimal(800_000)) == Decimal("3000")  # 600,000 × 0.5 %


def test_art_13_2_personality_damages_bands() -> None:
    assert personality_damages_extra(Decimal(50_000)) == Decimal("0")
    assert personality_damages_extra(Decimal(80_000)) == Decimal("300")  # 30,000 × 1 %
    assert personality_damages_extra(Decimal(200_000)) == Decimal("1000")  # 500 + 100,000 × 0.5 %


def test_art_14_3_payment_order_is_a_third_of_the_property_fee() -> None:
    assert payment_order_fee(Decimal(200_000)) == Decimal("1433.33")


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("本金六万块 利息八千块 诉讼费多少", [Decimal(60000)]),  # the interest is not the claim
        ("我已经交了两千元诉讼费 还要交吗", []),
        ("他欠我三万元，利息五千元", [Decimal(30000)]),
        ("光三万元的利息就不少", []),
        ("律师费一万块能让对方出吗", []),
        ("要回二十万块", [Decimal(200000)]),
    ],
)
def test_fee_and_interest_figures_are_never_the_claim(text: str, claims: list[Decimal]) -> None:
    amounts = [(float(e.value), e.start, e.end) for e in extract_all(text) if e.entity == "amount"]
    assert amounts, f"the extractor found no amount in {text}"
    assert claim_amounts(text, amounts) == claims
