{#- Benefit compliance (待遇政策落实核查), one row per settlement and benefit rule that applies
    to it, in the month the settlement is delivered, with the reversals delivered that month
    netted (a reversal delivered later counts in its own month and does not restate this
    one): the amount the rule gives against what was paid, the difference in yuan and the
    finding (null when compliant). The rule families are the int_benefit_check__* models;
    values come from ref_policy_parameters. No ID number or name. -#}
{{ config(**incremental_by_month()) }}
{%- set checks = ['critical_illness', 'medical_assistance', 'self_pay_caps', 'catalogue',
    'covid', 'newborn'] %}
{%- set columns = ['delivery_month', 'person_cluster_id', 'settlement_id', 'settlement_year',
    'insured_county_code', 'medical_type', 'settled_on', 'rule_id', 'basis_category',
    'expected_amount', 'actual_amount', 'finding_kind', 'source_document', 'source_article',
    'policy_ref', 'source_file', 'source_row_number'] %}
with checks as (
    {{- union_by_name('int_benefit_check__', checks, columns, where=in_build_months()) }}
)

select
    checks.delivery_month,
    persons.person_key,
    checks.settlement_id,
    checks.settlement_year,
    checks.insured_county_code,
    checks.medical_type,
    checks.settled_on,
    checks.rule_id,
    checks.basis_category,
    {{ money('checks.expected_amount') }} as expected_amount,
    {{ money('checks.actual_amount') }} as actual_amount,
    {{ money('checks.actual_amount - checks.expected_amount') }} as difference_yuan,
    checks.finding_kind,
    checks.source_document,
    checks.source_article,
    checks.policy_ref,
    checks.source_file,
    checks.source_row_number
from checks
join {{ ref('int_persons') }} as persons
    on checks.person_cluster_id = persons.person_cluster_id
