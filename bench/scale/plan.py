"""How much to generate: the plan at a given scale, and Zipf-like sizes."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .geography import AREAS_PER_REGION, REGIONS

NULL = r"\N"  # COPY's NULL marker (FORMAT csv, NULL '\N'); an empty field is ''.
DAY = 86400.0
YEAR = 365.25 * DAY
FLUSH_ROWS = 50_000


# --- the plan -------------------------------------------------------------------------

FULL = {
    "groups": 600,
    "partners": 2_000,
    "users": 200_000,
    "memberships": 600_000,
    "campaigns": 500,
    "events": 60_000,
    "upcoming_events": 4_000,
    "rsvps": 1_500_000,
    "actions_taken": 2_000_000,
    "supporters": 300_000,
    "festivals": 60,
}
MINIMUM = {
    "groups": 60,
    "partners": 20,
    "users": 200,
    "memberships": 600,
    "campaigns": 24,
    "events": 120,
    "upcoming_events": 8,
    "rsvps": 1_000,
    "actions_taken": 1_000,
    "supporters": 200,
    "festivals": 2,
}


@dataclass(frozen=True)
class Plan:
    regions: int
    areas: int
    groups: int
    partners: int
    users: int
    memberships: int
    campaigns: int
    events: int
    upcoming_events: int
    rsvps: int
    actions_taken: int
    supporters: int
    festivals: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def plan_for(scale: float) -> Plan:
    """The row counts at a scale (1 = national). Structure (12 regions, 60 areas) is fixed;
    everything else scales, with a floor so that a tiny run still has every kind of row."""
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    sizes = {name: max(MINIMUM[name], round(full * scale)) for name, full in FULL.items()}
    return Plan(regions=len(REGIONS), areas=sum(AREAS_PER_REGION for _ in REGIONS), **sizes)


# --- sizes ----------------------------------------------------------------------------


def zipf_weights(n: int, rng: random.Random, *, exponent: float = 1.0, offset: float = 2.0):
    """Weights of a Zipf-like law in random order: a few large, a long tail of small."""
    weights = [1.0 / (rank + offset) ** exponent for rank in range(n)]
    rng.shuffle(weights)
    return weights


def apportion(
    total: int, weights: Sequence[float], *, cap: int | None = None, minimum: int = 0
) -> list[int]:
    """Integers summing exactly to total, in proportion to weights (largest remainder),
    each at least minimum and at most cap (the excess over a cap goes to the others)."""
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError("Nothing to share the total between.")
        return []
    if minimum * n > total or (cap is not None and cap * n < total):
        raise ValueError(f"Cannot share {total} between {n} with min {minimum}, cap {cap}.")
    targets = [float(minimum)] * n
    free = list(range(n))
    remaining = float(total - minimum * n)
    while True:
        weight_sum = sum(weights[i] for i in free)
        if weight_sum <= 0:
            share = {i: remaining / len(free) for i in free}
        else:
            share = {i: remaining * weights[i] / weight_sum for i in free}
        over = [i for i in free if cap is not None and targets[i] + share[i] > cap]
        if not over:
            for i in free:
                targets[i] += share[i]
            break
        for i in over:
            remaining -= cap - targets[i]
            targets[i] = float(cap)
        over_set = set(over)
        free = [i for i in free if i not in over_set]
    sizes = [math.floor(t + 1e-9) for t in targets]
    short = total - sum(sizes)
    order = sorted(range(n), key=lambda i: sizes[i] - targets[i])
    for i in order[:short]:
        sizes[i] += 1
    return sizes
