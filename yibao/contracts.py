"""Source contracts: the files each department delivers, as data.

One `FileKind` per file kind of ../shared/domain/SOURCE_CONTRACTS.md. The synthetic generator writes
these files and the ingestion accepts exactly them, so both import this module and nothing else
describes a source file. Column names are the headers as delivered (Chinese for the rosters and
tax, national-platform field names for healthcare); staging renames them to English later.

Value kinds (what the ingestion parses per cell; a failure quarantines the row):
- ``text``: anything, including ID numbers and names (their anomalies are findings, not rejects);
- ``integer``, ``decimal`` (yuan, up to two places, may be negative);
- ``date``: one of the four spellings 2019-03-01, 2019/3/1, 20190301, 2019年3月;
- ``datetime``: ``YYYY-MM-DD HH:MM:SS`` (a date alone is accepted too);
- ``enum``: one of ``values``;
- ``code``: matches ``pattern``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEPARTMENTS = ("poverty", "civil_affairs", "tax", "healthcare")
#: each department as the offices name it (扶贫办, 民政, 税务, 医保)
DEPARTMENT_ZH = {"poverty": "扶贫", "civil_affairs": "民政", "tax": "税务", "healthcare": "医保"}

VALUE_KINDS = ("text", "integer", "decimal", "date", "datetime", "enum", "code")

# The four spellings of a date in the departments' exports, as regular expressions.
DATE_SPELLINGS = (
    r"\d{4}-\d{1,2}-\d{1,2}",
    r"\d{4}/\d{1,2}/\d{1,2}",
    r"\d{8}",
    r"\d{4}年\d{1,2}月",
)


@dataclass(frozen=True)
class Column:
    """One delivered column."""

    name: str
    kind: str = "text"
    nullable: bool = True
    values: tuple[str, ...] = ()
    pattern: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in VALUE_KINDS:
            raise ValueError(f"column {self.name}: unknown value kind {self.kind!r}")
        if self.kind == "enum" and not self.values:
            raise ValueError(f"column {self.name}: an enum needs values")
        if self.kind == "code" and not self.pattern:
            raise ValueError(f"column {self.name}: a code needs a pattern")


@dataclass(frozen=True)
class FileKind:
    """One kind of delivered file."""

    name: str
    department: str
    stem: str  # regular expression for the file stem, without version suffix and extension
    formats: tuple[str, ...]
    columns: tuple[Column, ...]
    title: str
    per_county: bool = False
    reference: bool = False  # delivered under landing/reference/, not per month
    header_levels: int = 1  # the poverty roster has a two-level merged header
    description: str = ""
    # amounts that must add up, to the fen: (total column, the columns it is the sum of)
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (id column, flag column): a row with flag '1' cancels the row of that id (冲销)
    reversal: tuple[str, str] | None = None
    stem_regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stem_regex", re.compile(self.stem))

    @property
    def raw_table(self) -> str:
        return f"raw_{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


MONTH = r"(?P<yyyymm>\d{6})"
COUNTY = r"(?P<county>\d{6})"
YEAR = r"(?P<yyyy>\d{4})"

RELATIONS = ("户主", "配偶", "之子", "之女", "之父", "之母", "孙子女", "其他")
POVERTY_ATTRIBUTES = ("一般贫困户", "低保贫困户", "特困供养贫困户")
POVERTY_STATUSES = ("未脱贫", "已脱贫")
MONITORING_CATEGORIES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
POVERTY_CAUSES = ("因病", "因残", "因学", "因灾", "缺劳力", "缺技术", "缺资金", "其他")
PERSON_STATUSES = (
    "正常",
    "死亡",
    "婚出",
    "服刑",
    "现役军人",
    "出国定居",
    "户籍迁出",
    "失踪",
    "农转非",
)
ASSISTANCE_CATEGORIES = (
    "特困供养",
    "城乡低保",
    "低保边缘",
    "孤儿",
    "因病致贫",
    "重度残疾",
    "低收入家庭老年人",
    "低收入家庭未成年人",
)
ASSISTANCE_STATUSES = ("在保", "停保", "暂停")
DISABILITY_TYPES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")
SUBSIDY_CATEGORIES = ("特困人员", "低保对象", "建档立卡贫困人口", "其他")
INSUTYPES = ("390", "310")
INSURANCE_STATUSES = ("1", "2", "4")
STOP_REASONS = ("死亡", "参军", "服刑", "出国定居", "转职工医保", "迁出")
IDENTITY_TYPES = ("特困", "低保", "低边", "脱贫人口", "未脱贫人口", "监测对象", "孤儿", "重度残疾")
MED_TYPES = ("11", "14", "21", "52")
HOSPITAL_LEVELS = ("一级", "二级", "三级", "未定级")
REPORT_LEVELS = ("省", "市", "县")
SUMMARY_CATEGORIES = ("建档立卡贫困人口", "特困供养", "城乡低保", "低保边缘", "监测对象")

ADMDVS = r"\d{6}"
ID_TEXT = "ID number as delivered: may be 15 digits, lower-case x, full-width, or blank"


def _money(name: str, description: str = "", nullable: bool = False) -> Column:
    return Column(name, "decimal", nullable=nullable, description=description)


POVERTY_ROSTER = FileKind(
    name="poverty_roster",
    department="poverty",
    stem=rf"poverty_roster_{COUNTY}_{MONTH}",
    formats=("xlsx",),
    title="建档立卡贫困人口花名册",
    per_county=True,
    header_levels=2,
    description="Registered poor roster, a monthly full snapshot per county "
    "(建档立卡贫困人口花名册).",
    columns=(
        Column("序号", "integer", nullable=False),
        Column("省", nullable=False),
        Column("市", nullable=False),
        Column("县", nullable=False),
        Column("乡（镇）"),
        Column("村"),
        Column("村行政区划代码", "code", pattern=r"\d{12}"),
        Column("户编号", nullable=False),
        Column("人编号", nullable=False),
        Column("姓名"),
        Column("证件号码", description=ID_TEXT),
        Column("性别", "enum", values=("男", "女")),
        Column("民族"),
        Column("与户主关系", "enum", values=RELATIONS),
        Column("贫困户属性", "enum", values=POVERTY_ATTRIBUTES),
        Column("脱贫状态", "enum", values=POVERTY_STATUSES),
        Column("脱贫年度", "code", pattern=r"20(1[4-9]|20)"),
        Column("监测对象类别", "enum", values=MONITORING_CATEGORIES),
        Column("主要致贫原因", "enum", values=POVERTY_CAUSES),
        Column("是否参加城乡居民基本医疗保险", "enum", values=("是", "否")),
        Column("人员状态", "enum", values=PERSON_STATUSES),
        Column("状态变更日期", "date"),
        Column("联系电话"),
    ),
)
# The group header merged over the region columns in row 3 of the roster.
POVERTY_ROSTER_REGION_GROUP = ("所在地区", ("省", "市", "县", "乡（镇）", "村"))

ASSISTANCE_ROSTER = FileKind(
    name="assistance_roster",
    department="civil_affairs",
    stem=rf"assistance_roster_{COUNTY}_{MONTH}",
    formats=("csv",),
    title="社会救助对象名册",
    per_county=True,
    description="Social-assistance roster, a monthly full snapshot per county (社会救助对象名册); "
    "GBK, sometimes GB18030 or UTF-8 with BOM.",
    columns=(
        Column("区县"),
        Column("乡镇（街道）"),
        Column("村（社区）"),
        Column("救助类别", "enum", nullable=False, values=ASSISTANCE_CATEGORIES),
        Column("城乡类别", "enum", values=("城市", "农村")),
        Column("户主姓名"),
        Column("户主身份证号", description=ID_TEXT),
        Column("成员姓名"),
        Column("成员身份证号", description=ID_TEXT),
        Column("与户主关系", "enum", values=RELATIONS),
        Column("保障起始日期", "date"),
        Column("保障终止日期", "date"),
        Column("状态", "enum", values=ASSISTANCE_STATUSES),
        Column("残疾类别", "enum", values=DISABILITY_TYPES),
        Column("残疾等级", "enum", values=DISABILITY_GRADES),
        _money("月保障金额", nullable=True),
    ),
)

PREMIUM_PAYMENTS = FileKind(
    name="premium_payments",
    department="tax",
    stem=rf"premium_payments_{COUNTY}_{MONTH}",
    formats=("csv",),
    title="城乡居民基本医疗保险费征收明细",
    per_county=True,
    description="Resident premium payments and voids booked that month by the county tax office "
    "(城乡居民基本医疗保险费征收明细); grain (电子税票号码, 作废标志).",
    columns=(
        Column("电子税票号码", nullable=False),
        Column("缴费人证件类型"),
        Column("缴费人证件号码", description=ID_TEXT),
        Column("缴费人姓名"),
        Column("征收品目"),
        Column("费款所属期起", "date", nullable=False),
        Column("费款所属期止", "date", nullable=False),
        _money("应缴费额"),
        Column("资助类别", "enum", values=SUBSIDY_CATEGORIES),
        _money("资助金额"),
        _money("实缴费额"),
        Column("缴费日期", "date", nullable=False),
        Column("主管税务机关代码", "code", nullable=False, pattern=r"1\d{10}"),
        Column("作废标志", "enum", nullable=False, values=("0", "1")),
    ),
)

ENROLMENT = FileKind(
    name="enrolment",
    department="healthcare",
    stem=rf"enrolment_{MONTH}",
    formats=("parquet", "csv"),
    title="参保登记 insuinfo",
    description="Monthly snapshot of everyone insured in the province's pooling regions, "
    "one row per person and insurance type (参保登记).",
    columns=(
        Column("psn_no", nullable=False),
        Column("psn_cert_type", "code", pattern=r"\d{2}"),
        Column("certno", description=ID_TEXT),
        Column("psn_name"),
        Column("gend", "enum", values=("1", "2")),
        Column("brdy", "date"),
        Column("insutype", "enum", nullable=False, values=INSUTYPES),
        Column("psn_insu_stas", "enum", nullable=False, values=INSURANCE_STATUSES),
        Column("psn_insu_date", "date"),
        Column("paus_insu_date", "date"),
        Column("insuplc_admdvs", "code", nullable=False, pattern=ADMDVS),
        Column("stop_rsn", "enum", values=STOP_REASONS),
    ),
)

PERSON_IDENTITIES = FileKind(
    name="person_identities",
    department="healthcare",
    stem=rf"person_identities_{MONTH}",
    formats=("parquet", "csv"),
    title="人员身份 idetinfo",
    description="Special-person identities in the healthcare system (身份标识), "
    "one row per identity.",
    columns=(
        Column("psn_no", nullable=False),
        Column("psn_idet_type", "enum", nullable=False, values=IDENTITY_TYPES),
        Column("psn_type_lv"),
        Column("begntime", "date", nullable=False),
        Column("endtime", "date"),
    ),
)

SETTLEMENT_FUNDS = (
    "hifp_pay",
    "cvlserv_pay",
    "hifes_pay",
    "hifmi_pay",
    "hifob_pay",
    "maf_pay",
    "oth_pay",
)
SETTLEMENTS = FileKind(
    name="settlements",
    department="healthcare",
    stem=rf"settlements_{MONTH}",
    formats=("parquet", "csv"),
    title="结算信息 setlinfo",
    description="One row per settlement booked that month (结算信息); reversals carry "
    "refd_setl_flag = 1 and negative amounts.",
    columns=(
        Column("setl_id", nullable=False),
        Column("mdtrt_id", nullable=False),
        Column("psn_no", nullable=False),
        Column("certno", description=ID_TEXT),
        Column("psn_name"),
        Column("insutype", "enum", values=INSUTYPES),
        Column("fixmedins_code", nullable=False),
        Column("med_type", "enum", nullable=False, values=MED_TYPES),
        Column("begndate", "date", nullable=False),
        Column("enddate", "date"),
        Column("setl_time", "datetime", nullable=False),
        Column("dise_codg"),
        Column("dise_name"),
        Column("mdtrtarea_admvs", "code", pattern=ADMDVS),
        _money("medfee_sumamt"),
        _money("fulamt_ownpay_amt"),
        _money("overlmt_selfpay"),
        _money("preselfpay_amt"),
        _money("inscp_scp_amt"),
        *(_money(name) for name in SETTLEMENT_FUNDS),
        _money("fund_pay_sumamt"),
        _money("psn_part_amt"),
        _money("acct_pay"),
        _money("psn_cash_pay"),
        _money("hosp_part_amt"),
        Column("onestop_flag", "enum", values=("0", "1")),
        Column("refd_setl_flag", "enum", nullable=False, values=("0", "1")),
    ),
    sums=(
        ("medfee_sumamt", ("fund_pay_sumamt", "psn_part_amt", "hosp_part_amt")),
        ("fund_pay_sumamt", SETTLEMENT_FUNDS),
        ("psn_part_amt", ("acct_pay", "psn_cash_pay")),
    ),
    reversal=("setl_id", "refd_setl_flag"),
)

CHRONIC_CERTIFICATIONS = FileKind(
    name="chronic_certifications",
    department="healthcare",
    stem=rf"chronic_certifications_{MONTH}",
    formats=("parquet", "csv"),
    title="门诊慢特病认定",
    description="Chronic and special outpatient disease certifications (门诊慢特病认定).",
    columns=(
        Column("psn_no", nullable=False),
        Column("certno", description=ID_TEXT),
        Column("opsp_dise_code", nullable=False),
        Column("opsp_dise_name"),
        Column("begndate", "date", nullable=False),
        Column("enddate", "date"),
        Column("fixmedins_code"),
        Column("doctor_count", "integer"),
    ),
)

INSTITUTIONS = FileKind(
    name="institutions",
    department="healthcare",
    stem=rf"institutions_{MONTH}",
    formats=("parquet", "csv"),
    title="定点医药机构",
    description="Designated medical institutions (定点医药机构).",
    columns=(
        Column("fixmedins_code", nullable=False),
        Column("fixmedins_name"),
        Column("fixmedins_type"),
        Column("hosp_lv", "enum", values=HOSPITAL_LEVELS),
        Column("admdvs", "code", nullable=False, pattern=ADMDVS),
        Column("agreement_begndate", "date"),
        Column("agreement_enddate", "date"),
    ),
)

POOR_ENROLMENT_SUMMARY = FileKind(
    name="poor_enrolment_summary",
    department="healthcare",
    stem=rf"poor_enrolment_summary_{MONTH}",
    formats=("csv",),
    title="省市县三级参保比对结果",
    description="Counts of the poor population that the provincial and city platforms report "
    "(省市县三级参保比对结果), one row per level, region and category.",
    columns=(
        Column("report_level", "enum", nullable=False, values=REPORT_LEVELS),
        Column("admdvs", "code", nullable=False, pattern=ADMDVS),
        Column("category", "enum", nullable=False, values=SUMMARY_CATEGORIES),
        Column("roster_count", "integer", nullable=False),
        Column("enrolled_count", "integer", nullable=False),
        Column("not_enrolled_count", "integer", nullable=False),
    ),
)

POPULATION = FileKind(
    name="population",
    department="reference",
    stem=rf"population_{YEAR}",
    formats=("csv",),
    title="户籍人口",
    reference=True,
    description="Registered population (户籍人口) by county and township, delivered once per year.",
    columns=(
        Column("county_code", "code", nullable=False, pattern=ADMDVS),
        Column("township_code", "code", nullable=False, pattern=r"\d{9}"),
        Column("township_name"),
        Column("population", "integer", nullable=False),
    ),
)

MONTHLY_KINDS: tuple[FileKind, ...] = (
    POVERTY_ROSTER,
    ASSISTANCE_ROSTER,
    PREMIUM_PAYMENTS,
    ENROLMENT,
    PERSON_IDENTITIES,
    SETTLEMENTS,
    CHRONIC_CERTIFICATIONS,
    INSTITUTIONS,
    POOR_ENROLMENT_SUMMARY,
)
REFERENCE_KINDS: tuple[FileKind, ...] = (POPULATION,)
ALL_KINDS: tuple[FileKind, ...] = MONTHLY_KINDS + REFERENCE_KINDS
KINDS_BY_NAME = {k.name: k for k in ALL_KINDS}

VERSION_SUFFIX = re.compile(r"^(?P<stem>.+?)(?:_v(?P<version>[2-9]|[1-9]\d+))?$")


def kinds_of(department: str) -> tuple[FileKind, ...]:
    return tuple(k for k in MONTHLY_KINDS if k.department == department)
