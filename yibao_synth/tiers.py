"""Generator tiers: how many people, in which real regions."""

from __future__ import annotations

from dataclasses import dataclass

from .regions import County, counties_of_city, load_codes

# The cities of the policy documents first (Hefei, Wenzhou, Liuzhou, Baoshan), then a second city
# per province so that the vertical check has several cities to add up.
DOCUMENT_CITIES = ("3401", "3303", "4502", "5305")
SECOND_CITIES = ("3415", "3311", "4503", "5306")
PROVINCES = ("34", "33", "45", "53")


@dataclass(frozen=True)
class Tier:
    name: str
    roster_persons: int  # registered poor on the roster, about
    population_ratio: float  # insured residents per registered poor person
    counties_per_city: int | None  # None: every county
    cities: tuple[str, ...]
    settlement_rate: float = 0.06  # settlements per insured person per month


def _all_cities() -> tuple[str, ...]:
    cities = {
        c.code[:4]
        for c in load_codes()
        if len(c.code) == 6
        and c.code[:2] in PROVINCES
        and c.code.endswith("00")
        and c.code[2:4] != "00"
        and c.valid_in(2020)
    }
    return tuple(sorted(cities))


TIERS = {
    # two counties of Baoshan (施甸 among them), for the bad-input corpus: a month in seconds
    "tiny": Tier("tiny", 600, 4.0, 2, ("5305",)),
    "small": Tier("small", 20_000, 6.0, 2, DOCUMENT_CITIES + SECOND_CITIES),
    "city": Tier("city", 500_000, 10.0, None, DOCUMENT_CITIES + SECOND_CITIES),
    "province": Tier("province", 5_000_000, 12.0, None, ()),
}


def _valid_throughout(code: str, years: tuple[int, ...]) -> bool:
    return all(any(c.code == code and c.valid_in(year) for c in load_codes()) for year in years)


def tier_counties(tier: Tier, years: tuple[int, ...] = (2020,)) -> list[County]:
    """The counties of a tier that exist in every one of `years` (the generated months' years);
    Shidian (530521, the county document S) is always included.

    A county created or abolished within the years is left out: the deliveries name a county by
    one code in every month, and the staging gate rightly rejects a code outside its data year.
    Wuhu's 2020 reform (芜湖县 → 湾沚区 340210, 繁昌县 → 繁昌区 340212, a new 弋江区 340209)
    closed the province tier's 2019 gate on 574k records before this."""
    cities = tier.cities or _all_cities()
    out: list[County] = []
    for city in cities:
        counties = [c for c in counties_of_city(city) if _valid_throughout(c.code, years)]
        if tier.counties_per_city is not None:
            # prefer rural counties (codes xx21-xx80) and keep Shidian when its city is chosen
            counties.sort(
                key=lambda c: (c.code != "530521", not ("21" <= c.code[4:] <= "80"), c.code)
            )
            counties = sorted(counties[: tier.counties_per_city], key=lambda c: c.code)
        out.extend(counties)
    return out
