"""The report's own suppression (yibao.disclosure.totals): one-way breakdowns with their total,
and a province's rounded rate beside the bulletin's hidden county cells."""

from __future__ import annotations

from yibao.disclosure.audit import equal, intervals
from yibao.disclosure.totals import TOTAL, rate_is_publishable, suppressed_breakdown

THRESHOLD = 10


def test_a_small_count_is_hidden_with_a_complement_and_cannot_be_worked_back():
    counts = {"split": 3, "overlap": 40, "after_death": 25, "distant": 0}
    hidden = suppressed_breakdown(counts, THRESHOLD)
    assert "split" in hidden and len(hidden - {"split"}) >= 1
    assert "distant" not in hidden  # a zero is published
    values = {**{k: float(v) for k, v in counts.items()}, TOTAL: float(sum(counts.values()))}
    ranges = intervals(values, set(hidden), [equal(TOTAL, list(counts))])
    assert all(high - low > THRESHOLD for low, high in ranges.values())


def test_nothing_small_nothing_hidden():
    assert suppressed_breakdown({"a": 11, "b": 0, "c": 500}, THRESHOLD) == set()


def _province(eligible_b: int):
    """Two counties; county A's not-enrolled count (3) is hidden, and so its enrolled count,
    as the bulletin does (eligible = enrolled + not enrolled)."""
    values = {("A", "eligible"): 1000.0, ("A", "enrolled"): 997.0, ("A", "not"): 3.0,
              ("B", "eligible"): float(eligible_b), ("B", "enrolled"): eligible_b - 20.0,
              ("B", "not"): 20.0}  # fmt: skip
    relations = [equal((c, "eligible"), [(c, "enrolled"), (c, "not")]) for c in "AB"]
    hidden = {("A", "enrolled"), ("A", "not")}
    enrolled = [("A", "enrolled"), ("B", "enrolled")]
    eligible = [("A", "eligible"), ("B", "eligible")]
    rate = (997 + eligible_b - 20) / (1000 + eligible_b)
    return values, hidden, relations, enrolled, eligible, rate


def test_an_exact_province_rate_would_give_the_hidden_county_back():
    values, hidden, relations, enrolled, eligible, rate = _province(5000)
    # to 0.0001 the rate pins A's enrolled within 6000 × 0.0001 = 0.6 persons
    assert not rate_is_publishable(values, hidden, relations, enrolled, eligible,
                                   round(rate, 4), 0.0001, THRESHOLD)  # fmt: skip
    # to 0.001, 6000 persons leave a range of 6: still too narrow
    assert not rate_is_publishable(values, hidden, relations, enrolled, eligible,
                                   round(rate, 3), 0.001, THRESHOLD)  # fmt: skip


def test_a_rounded_rate_over_many_persons_is_published():
    values, hidden, relations, enrolled, eligible, rate = _province(60_000)
    # 61,000 persons to 0.001: A's enrolled could be anything in a range of about 61
    assert rate_is_publishable(values, hidden, relations, enrolled, eligible,
                               round(rate, 3), 0.001, THRESHOLD)  # fmt: skip


def test_a_rate_over_published_cells_only_is_published():
    values, _, relations, enrolled, eligible, rate = _province(5000)
    assert rate_is_publishable(values, set(), relations, enrolled, eligible, round(rate, 4),
                               0.0001, THRESHOLD)  # fmt: skip
