{#- Chronic-disease card findings (慢性病卡管理, H6, G8), one row per person, month, disease and
    finding: poor and marginal people with a card disease but no card, cards unused for long,
    abnormal purchases (frequency, cost) and cards certified below the standard. Each names its
    evidence row and the document; thresholds come from ref_policy_parameters. No ID number or
    name. -#}
{%- set families = ['without_card', 'unused', 'purchases', 'certification'] %}
with findings as (
    {%- for family in families %}
    select * from {{ ref('int_chronic_findings__' ~ family) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

documents as (
    select 'eligible_without_card' as finding_kind, '合医保发〔2020〕33号' as source_document,
        '三、6.' as source_article, 'H6' as policy_ref
    union all select 'card_unused', '合医保发〔2020〕33号', '三、6.', 'H6'
    union all select 'chronic_abnormal_frequency', '合医保发〔2020〕33号', '三、6.', 'H6'
    union all select 'chronic_abnormal_cost', '合医保发〔2020〕33号', '三、6.', 'H6'
    union all select 'certifier_below_standard', '桂医保发〔2019〕14号', '三、(八)', 'G8'
)

select
    findings.delivery_month,
    persons.person_key,
    findings.insured_county_code,
    findings.disease_code,
    findings.disease_name,
    findings.finding_kind,
    findings.finding_detail,
    documents.source_document,
    documents.source_article,
    documents.policy_ref,
    findings.source_file,
    findings.source_row_number
from findings
join {{ ref('int_persons') }} as persons
    on findings.person_cluster_id = persons.person_cluster_id
left join documents on findings.finding_kind = documents.finding_kind
