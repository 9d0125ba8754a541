"""Case acceptance fee for property cases: 《诉讼费用交纳办法》 Art. 13(1), with the halving of
Art. 15 (closed by mediation or withdrawn) and Art. 16 (summary procedure). The bands live here once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# (upper bound of the band in yuan, rate within the band); the first band is a flat 50 yuan.
PROPERTY_BANDS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(100_000), Decimal("0.025")),
    (Decimal(200_000), Decimal("0.02")),
    (Decimal(500_000), Decimal("0.015")),
    (Decimal(1_000_000), Decimal("0.01")),
    (Decimal(2_000_000), Decimal("0.009")),
    (Decimal(5_000_000), Decimal("0.008")),
    (Decimal(10_000_000), Decimal("0.007")),
    (Decimal(20_000_000), Decimal("0.006")),
    (None, Decimal("0.005")),
)
FLAT_LIMIT = Decimal(10_000)
FLAT_FEE = Decimal(50)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeeEstimate:
    claim: Decimal
    full: Decimal  # Art. 13(1)
    halved: Decimal  # Art. 15 / Art. 16


def banded_fee(amount: Decimal, first_limit: Decimal, first_fee: Decimal,
               bands: tuple[tuple[Decimal | None, Decimal], ...]) -> Decimal:
    """A flat fee up to first_limit, then each band's rate on the part of the amount inside it."""
    fee, lower = first_fee, first_limit
    for upper, rate in bands:
        if amount <= lower:
            break
        top = amount if upper is None else min(amount, upper)
        fee += (top - lower) * rate
        if upper is None:
            break
        lower = upper
    return fee.quantize(CENT, rounding=ROUND_HALF_UP)


def property_case_fee(claim: Decimal | int | float | str) -> Decimal:
    """Art. 13(1): 50 yuan up to 10,000, then each band's rate on the part of the claim inside it."""
    amount = Decimal(str(claim))
    if amount < 0:
        raise ValueError("claim amount cannot be negative")
    return banded_fee(amount, FLAT_LIMIT, FLAT_FEE, PROPERTY_BANDS)


def estimate(claim: Decimal | int | float | str) -> FeeEstimate:
    full = property_case_fee(claim)
    return FeeEstimate(Decimal(str(claim)), full, (full / 2).quantize(CENT, rounding=ROUND_HALF_UP))


def yuan(value: Decimal) -> str:
    """4300.00 → '4300', 912.50 → '912.5'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"
