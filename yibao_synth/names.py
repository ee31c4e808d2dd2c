"""Plausible Chinese names, and the typos that make person matching hard.

Surnames follow the real frequency ranking roughly (王, 李, 张 and 刘 alone are about a fifth of
people), so same-name people (重名) arise naturally in a county; the generator also forces them.
Typos between departments replace one character of the given name by a homophone (同音字) or a
character of similar shape (形近字), as clerks do when they re-key a roster.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Given-name characters, split by typical sex so names look plausible.
MALE_CHARS = (
    "伟强军明刚勇杰涛斌超辉华建国平东林文波宇浩俊鹏飞龙云峰磊志兵海亮成荣新家德清春"
    "永金正忠福义生祥才发武胜学良兴昌贵全安宏中光天顺有友庆喜禄寿山江河松柏仁礼信智"
)
FEMALE_CHARS = (
    "芳娟敏静丽艳娜秀英华玲红梅霞燕萍琴兰凤桂珍莉雪云洁琳倩婷颖慧月菊花翠美春秋"
    "芬芝莲瑞淑惠巧素爱香玉金银彩秀妹仙娥妮媛嫦娇晶丹竹荷蓉晓冰露清佳欣怡悦宁"
)

# One-character substitutions: homophones (同音字) and look-alikes (形近字).
HOMOPHONES = {
    "伟": "玮",
    "强": "墙",
    "军": "君",
    "明": "铭",
    "刚": "钢",
    "勇": "永",
    "杰": "洁",
    "涛": "滔",
    "斌": "彬",
    "超": "潮",
    "辉": "晖",
    "华": "桦",
    "建": "健",
    "国": "帼",
    "平": "萍",
    "东": "冬",
    "林": "琳",
    "文": "雯",
    "波": "博",
    "宇": "雨",
    "浩": "昊",
    "俊": "骏",
    "鹏": "朋",
    "飞": "菲",
    "龙": "隆",
    "云": "芸",
    "峰": "锋",
    "磊": "蕾",
    "志": "智",
    "兵": "冰",
    "海": "凯",
    "亮": "靓",
    "成": "诚",
    "荣": "蓉",
    "新": "欣",
    "家": "佳",
    "德": "得",
    "清": "青",
    "春": "纯",
    "芳": "方",
    "娟": "鹃",
    "敏": "闵",
    "静": "婧",
    "丽": "莉",
    "艳": "燕",
    "娜": "纳",
    "秀": "绣",
    "英": "瑛",
    "玲": "灵",
    "红": "虹",
    "梅": "玫",
    "霞": "夏",
    "萍": "苹",
    "琴": "勤",
    "兰": "岚",
    "凤": "峰",
    "桂": "贵",
    "珍": "贞",
    "雪": "学",
    "洁": "杰",
    "倩": "茜",
    "婷": "庭",
    "颖": "莹",
    "慧": "惠",
    "月": "悦",
    "菊": "桔",
    "花": "华",
    "翠": "萃",
    "美": "梅",
    "秋": "球",
}
LOOKALIKES = {
    "伟": "传",
    "强": "弦",
    "军": "车",
    "明": "朋",
    "刚": "冈",
    "勇": "男",
    "杰": "木",
    "斌": "赋",
    "辉": "挥",
    "华": "毕",
    "建": "延",
    "国": "圄",
    "平": "乎",
    "东": "车",
    "林": "材",
    "文": "交",
    "宇": "字",
    "浩": "诰",
    "俊": "浚",
    "鹏": "鸭",
    "峰": "锋",
    "磊": "晶",
    "志": "忐",
    "兵": "乒",
    "海": "悔",
    "亮": "壳",
    "成": "戍",
    "荣": "莹",
    "清": "请",
    "春": "舂",
    "芳": "芬",
    "娟": "涓",
    "敏": "繁",
    "静": "净",
    "丽": "丙",
    "娜": "哪",
    "英": "荚",
    "玲": "铃",
    "红": "江",
    "梅": "海",
    "霞": "暇",
    "萍": "苹",
    "琴": "瑟",
    "兰": "三",
    "凤": "风",
    "桂": "硅",
    "珍": "诊",
    "雪": "雷",
    "倩": "债",
    "婷": "停",
    "颖": "频",
    "慧": "彗",
    "月": "用",
    "菊": "鞠",
    "花": "化",
    "翠": "萃",
    "美": "羡",
    "秋": "秒",
    "云": "去",
    "飞": "习",
    "波": "坡",
    "新": "斩",
    "家": "冢",
    "德": "徳",
}

_SURNAME_WEIGHTS = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.9
_SURNAME_WEIGHTS /= _SURNAME_WEIGHTS.sum()


def draw_surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(len(SURNAMES), size=n, p=_SURNAME_WEIGHTS)


def draw_given(rng: np.random.Generator, male: np.ndarray) -> pa.Array:
    """Given names of one or two characters, chosen by sex."""
    n = len(male)
    male_pool = pa.array(list(MALE_CHARS))
    female_pool = pa.array(list(FEMALE_CHARS))
    first_m = male_pool.take(pa.array(rng.integers(0, len(MALE_CHARS), n)))
    first_f = female_pool.take(pa.array(rng.integers(0, len(FEMALE_CHARS), n)))
    second_m = male_pool.take(pa.array(rng.integers(0, len(MALE_CHARS), n)))
    second_f = female_pool.take(pa.array(rng.integers(0, len(FEMALE_CHARS), n)))
    is_male = pa.array(male)
    first = pc.if_else(is_male, first_m, first_f)
    second = pc.if_else(is_male, second_m, second_f)
    two = pa.array(rng.random(n) < 0.9)
    return pc.if_else(two, pc.binary_join_element_wise(first, second, ""), first)


def full_names(surname_idx: np.ndarray, given: pa.Array) -> pa.Array:
    surnames = pa.array(list(SURNAMES)).take(pa.array(surname_idx))
    return pc.binary_join_element_wise(surnames, given, "")


def typo(names: list[str], rng: np.random.Generator) -> list[str]:
    """Replace one given-name character by a homophone or a look-alike; the surname stays."""
    out = []
    for name, r in zip(names, rng.random(len(names)), strict=True):
        given = name[1:]
        table = HOMOPHONES if r < 0.6 else LOOKALIKES
        positions = [i for i, ch in enumerate(given) if ch in table]
        if not positions:
            table = LOOKALIKES if table is HOMOPHONES else HOMOPHONES
            positions = [i for i, ch in enumerate(given) if ch in table]
        if not positions:
            out.append(name[0] + given + "某")  # a clerk's placeholder; still a different name
            continue
        i = positions[int(r * 1000) % len(positions)]
        out.append(name[0] + given[:i] + table[given[i]] + given[i + 1 :])
    return out
