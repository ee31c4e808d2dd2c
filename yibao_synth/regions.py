"""Real counties (yibao.regions, from python-stdnum's cn/loc.dat) and synthetic townships and
villages under them.

A county's code may have changed over time (施甸县 was 533022
until 2000, 530521 since); `historical_code` follows such a county back by name within its
province, which is what an old ID number's 6-digit prefix carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from yibao.regions import CodeName, load_codes

__all__ = ["CodeName", "County", "load_codes", "counties_of_city", "historical_code"]


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city_code: str
    city_name: str
    province_code: str
    province_name: str

    @property
    def abbreviation(self) -> str:
        """The short form civil-affairs exports use: 施甸县 → 施甸, 融水苗族自治县 → 融水."""
        if "族自治" in self.name:
            return self.name[:2]
        return self.name[:-1] if len(self.name) >= 3 else self.name


def _current(code: str, year: int) -> CodeName | None:
    for c in load_codes():
        if c.code == code and c.valid_in(year):
            return c
    return None


def counties_of_city(city_code: str, year: int = 2020) -> list[County]:
    """Counties valid in `year` under a city, without the 市辖区 placeholder (xx01)."""
    province = _current(city_code[:2], year) or _current(city_code[:2], 1980)
    city = _current(city_code + "00", year)
    if province is None or city is None:
        raise ValueError(f"unknown city {city_code}")
    out = []
    for c in load_codes():
        if (
            len(c.code) == 6
            and c.code.startswith(city_code)
            and not c.code.endswith("00")
            and c.name != "市辖区"
            and c.valid_in(year)
        ):
            out.append(County(c.code, c.name, city_code, city.name, city_code[:2], province.name))
    return out


@lru_cache(maxsize=1)
def _codes_by_province_and_name() -> dict[tuple[str, str], tuple[CodeName, ...]]:
    index: dict[tuple[str, str], list[CodeName]] = {}
    for c in load_codes():
        if len(c.code) == 6:
            index.setdefault((c.code[:2], c.name), []).append(c)
    return {k: tuple(v) for k, v in index.items()}


def historical_code(county: County, year: int) -> str:
    """The code this county had in `year`: its own, or an earlier code of the same name."""
    same_name = _codes_by_province_and_name().get((county.province_code, county.name), ())
    if any(c.code == county.code and c.valid_in(year) for c in same_name):
        return county.code
    for c in same_name:
        if c.valid_in(year):
            return c.code
    return county.code


# Synthetic townships and villages. 城关镇 repeats across counties, as real exports do.
_TOWNSHIP_STEMS = (
    "城关",
    "太平",
    "新华",
    "永安",
    "东山",
    "西山",
    "南岭",
    "北坡",
    "龙泉",
    "石桥",
    "清水",
    "河口",
    "长岭",
    "柳溪",
    "白沙",
    "黄土",
    "金鸡",
    "凤凰",
    "青龙",
    "三合",
    "双河",
    "大坪",
    "何元",
    "仁和",
)
_VILLAGE_STEMS = (
    "红星",
    "光明",
    "胜利",
    "前进",
    "团结",
    "和平",
    "新村",
    "上寨",
    "下寨",
    "中心",
    "大湾",
    "小河",
    "竹林",
    "松坡",
    "桃园",
    "杏花",
    "李家",
    "王家",
    "张家",
    "陈家",
    "刘家",
    "杨家",
    "赵家",
    "黄家",
    "田坝",
    "水井",
    "山口",
    "坪子",
    "沙坝",
    "岩脚",
    "石门",
    "茶园",
)


def township_names(n: int) -> list[str]:
    """n township names; the first is always 城关镇."""
    names = []
    for i in range(n):
        stem = _TOWNSHIP_STEMS[i % len(_TOWNSHIP_STEMS)]
        suffix = "镇" if i % 3 != 2 else "乡"
        extra = "" if i < len(_TOWNSHIP_STEMS) else str(i // len(_TOWNSHIP_STEMS) + 1)
        names.append(f"{stem}{extra}{suffix}")
    return names


def village_names(n: int, offset: int) -> list[str]:
    names = []
    for i in range(n):
        j = (i + offset) % len(_VILLAGE_STEMS)
        extra = "" if i < len(_VILLAGE_STEMS) else str(i // len(_VILLAGE_STEMS) + 1)
        names.append(f"{_VILLAGE_STEMS[j]}{extra}{'村' if i % 5 else '社区'}")
    return names
