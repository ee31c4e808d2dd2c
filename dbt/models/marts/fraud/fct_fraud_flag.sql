{#- Fraud flags (欺诈骗保负面清单, S9.2, H10, A3.2), one row per flagged settlement and rule, or
    per flagged institution, month and rule: the rule, its evidence in words, the settlement it
    was compared with, and a score from 0 to 1 for ranking (how each rule scores is in
    docs/fraud.md). Thresholds and lists come from seeds. A flag is a lead for the fund
    supervisors to check, not a finding of fraud. No ID number or name. -#}
{%- set rules = ['split_hospitalisation', 'overlapping_stays', 'care_after_death',
    'distant_same_day', 'demographic_mismatch', 'admission_rate', 'lowered_admission_standard'] %}
{%- set columns = ['delivery_month', 'rule_id', 'person_cluster_id', 'insured_county_code',
    'institution_code', 'settlement_id', 'related_settlement_id', 'visit_start_date', 'evidence',
    'score', 'source_file', 'source_row_number'] %}
with flags as (
    {{- union_by_name('int_fraud_flags__', rules, columns) }}
),

rules as (
    select 'split_hospitalisation' as rule_id, '分解住院' as rule_name,
        '施甸县医保扶贫“总攻战”工作方案' as source_document, '九、(二)' as source_article,
        'S9.2' as policy_ref
    union all select 'overlapping_stays', '住院时间重叠（虚列费用）',
        '施甸县医保扶贫“总攻战”工作方案', '九、(二)', 'S9.2'
    union all select 'care_after_death', '死亡后就医（虚列费用）',
        '施甸县医保扶贫“总攻战”工作方案', '九、(二)', 'S9.2'
    union all select 'distant_same_day', '同日异地就医（冒名就医）',
        '施甸县医保扶贫“总攻战”工作方案', '九、(二)', 'S9.2'
    union all select 'demographic_mismatch', '性别年龄与诊断不符（冒名就医）',
        '施甸县医保扶贫“总攻战”工作方案', '九、(二)', 'S9.2'
    union all select 'admission_rate_outlier', '贫困人口住院率畸高',
        '皖医保发〔2020〕15号', '三、(二)', 'A3.2'
    union all select 'lowered_admission_standard', '降低住院标准（小病大治）',
        '施甸县医保扶贫“总攻战”工作方案', '九、(二)', 'S9.2'
)

select
    flags.rule_id || ':' || coalesce(flags.settlement_id,
        flags.institution_code || ':' || flags.delivery_month) as flag_id,
    flags.delivery_month,
    flags.rule_id,
    rules.rule_name,
    case when flags.settlement_id is null then 'institution' else 'settlement' end
        as flag_level,
    persons.person_key,
    flags.insured_county_code as county_code,
    flags.institution_code,
    flags.settlement_id,
    flags.related_settlement_id,
    flags.visit_start_date,
    flags.evidence,
    flags.score,
    rules.source_document,
    rules.source_article,
    rules.policy_ref,
    flags.source_file,
    flags.source_row_number
from flags
join rules on flags.rule_id = rules.rule_id
left join {{ ref('int_persons') }} as persons
    on flags.person_cluster_id = persons.person_cluster_id
