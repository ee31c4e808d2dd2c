"""Chinese labels of the codes the report shows (the marts keep English codes)."""

from __future__ import annotations

#: fct_benefit_check.finding_kind and fct_premium_subsidy_check.finding_category
FINDING_KIND_ZH = {
    "critical_illness_underpaid": "大病保险少付",
    "critical_illness_overpaid": "大病保险多付",
    "medical_assistance_underpaid": "医疗救助少付",
    "medical_assistance_over_cap": "医疗救助超年度封顶",
    "rare_disease_assistance_underpaid": "罕见病专项救助少付",
    "inpatient_self_pay_over_cap": "住院个人自付超10%",
    "chronic_self_pay_over_cap": "门诊慢特病个人自付超20%",
    "catalogue_share_below_min": "目录内费用占比不足90%",
    "covid_patient_charged": "新冠患者个人负担费用",
    "covid_insurance_short": "新冠医保支付不足",
    "newborn_not_covered": "新生儿未自出生起享受待遇",
    "under_subsidised": "资助参保少补",
    "over_subsidised": "资助参保多补",
    "subsidised_without_category": "无资助身份获资助",
    "subsidised_twice": "重复资助",
    "void_not_refunded": "作废缴费未退回资助",
}

#: fct_poverty_risk_warning.warning_kind
WARNING_KIND_ZH = {
    "non_poor_at_risk": "非贫困人口因病致贫风险",
    "exited_at_risk": "已脱贫人口因病返贫风险",
}

#: fct_poverty_risk_warning.watched_by
WATCHED_BY_ZH = {"province": "省级监测", "city": "市级监测", "county": "县级监测"}

#: fct_monitoring_change.indicator
INDICATOR_ZH = {
    "outpatient_persons": "门诊人数",
    "inpatient_persons": "住院人数",
    "visits": "就诊人次",
    "outpatient_visits": "门诊人次",
    "inpatient_visits": "住院人次",
    "visits_in_county": "县域内就诊人次",
    "visits_in_city": "市域内县外就诊人次",
    "visits_in_province": "省内市外就诊人次",
    "visits_out_of_province": "省外就诊人次",
    "visits_level_3": "三级机构就诊人次",
    "visits_level_2": "二级机构就诊人次",
    "visits_level_1": "一级机构就诊人次",
    "visits_level_unrated": "未定级机构就诊人次",
    "one_stop_visits": "一站式结算人次",
    "out_of_area_visits": "异地就医人次",
    "out_of_area_one_stop_visits": "异地即时结算人次",
    "total_cost": "医疗总费用",
    "policy_range_cost": "政策范围内费用",
    "basic_fund_paid": "基本医保支付",
    "critical_illness_paid": "大病保险支付",
    "medical_assistance_paid": "医疗救助支付",
    "safety_net_paid": "其他兜底保障支付",
    "other_funds_paid": "其他基金支付",
    "fund_paid_total": "各项基金支付合计",
    "out_of_pocket": "个人自付",
    "actual_reimbursement_ratio": "实际报销比例",
    "policy_range_reimbursement_ratio": "政策范围内报销比例",
    "one_stop_rate": "一站式结算率",
    "out_of_area_instant_rate": "异地就医即时结算率",
}


def label(codes: dict[str, str], code: str | None) -> str:
    """The Chinese label of a code, or the code itself when it has none."""
    return codes.get(code or "", code or "")
