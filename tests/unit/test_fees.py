"""Property-case acceptance fee, 《诉讼费用交纳办法》 Art. 13(1), halving under Arts. 15 and 16."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fees.calculator import estimate, property_case_fee, yuan


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
