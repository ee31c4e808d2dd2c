{#- Cards unused for long (H6: 对长期不用的门诊慢性病进行核实清理): a card held since the first
    day of the month chronic_card_unused_months − 1 months back, with no chronic-outpatient
    visit (门诊慢特病, 14) for its disease in those months up to this one. Judged only from the
    month when that many delivered months of settlements exist. One row per card and month;
    the evidence is the card's row. Restricted. -#}
with cards as (
    select * from {{ ref('int_chronic_cards') }}
),

months as (
    {{ delivered_months(ref('stg_healthcare__settlements')) }}
),

chronic_visits as (
    select visits.person_cluster_id, visits.disease_code, months.month_index
    from {{ ref('int_chronic_visits') }} as visits
    join months on visits.delivery_month = months.delivery_month
    where visits.medical_type = '14'
),

rules as (
    select county_code, rule_year, value as unused_months, source_document, source_article,
        policy_ref
    from {{ ref('int_policy_rules_by_county') }}
    where rule_id = 'chronic_card_unused_months' and population_category = ''
),

candidates as (
    select cards.*, months.month_index, cast(rules.unused_months as integer) as unused_months,
        rules.source_document, rules.source_article, rules.policy_ref
    from cards
    join months on cards.delivery_month = months.delivery_month
    join rules
        on rules.county_code = cards.insured_county_code
        and rules.rule_year = cast(substr(cards.delivery_month, 1, 4) as integer)
    where months.month_index >= cast(rules.unused_months as integer)
        and cards.valid_from <= {{ dbt.dateadd('month', '1 - cast(rules.unused_months as integer)',
            "cast(cards.delivery_month || '-01' as date)") }}
),

used as (
    select distinct candidates.source_file, candidates.source_row_number
    from candidates
    join chronic_visits
        on candidates.person_cluster_id = chronic_visits.person_cluster_id
        and candidates.disease_code = chronic_visits.disease_code
        and chronic_visits.month_index between candidates.month_index
            - candidates.unused_months + 1 and candidates.month_index
)

select
    candidates.delivery_month, candidates.person_cluster_id, candidates.insured_county_code,
    candidates.disease_code, candidates.disease_name,
    'card_unused' as finding_kind,
    'no chronic visit in ' || cast(candidates.unused_months as string) || ' months' as finding_detail,
    candidates.source_file, candidates.source_row_number
from candidates
left join used
    on candidates.source_file = used.source_file
    and candidates.source_row_number = used.source_row_number
where used.source_file is null
