{#- Cards certified below the standard (G8: 二级（县级）及以上定点医疗机构, 2 名主治及以上职称的
    医师): the certifying institution's level below chronic_certifier_min_level or fewer
    doctors than chronic_certifier_min_doctors, where those rules are in force (Guangxi). One
    row per card, in the first month it is delivered. Restricted. -#}
with cards as (
    select * from {{ ref('int_chronic_cards') }}
),

rules as (
    select county_code, rule_year, rule_id, value
    from {{ ref('int_policy_rules_by_county') }}
    where population_category = ''
        and rule_id in ('chronic_certifier_min_level', 'chronic_certifier_min_doctors')
),

below as (
    select cards.*,
        row_number() over (
            partition by cards.person_cluster_id, cards.disease_code, cards.valid_from
            order by cards.delivery_month, cards.source_file, cards.source_row_number
        ) as delivery_order
    from cards
    join rules as min_level
        on min_level.rule_id = 'chronic_certifier_min_level'
        and min_level.county_code = cards.insured_county_code
        and min_level.rule_year = cast(substr(cards.delivery_month, 1, 4) as integer)
    join rules as min_doctors
        on min_doctors.rule_id = 'chronic_certifier_min_doctors'
        and min_doctors.county_code = cards.insured_county_code
        and min_doctors.rule_year = cast(substr(cards.delivery_month, 1, 4) as integer)
    where cards.institution_level_rank < min_level.value
        or cards.doctor_count < min_doctors.value
)

select
    delivery_month, person_cluster_id, insured_county_code, disease_code, disease_name,
    'certifier_below_standard' as finding_kind,
    'certified at ' || coalesce(institution_level, 'an unknown institution') || ' by '
        || cast(doctor_count as string) || ' doctor(s)' as finding_detail,
    source_file, source_row_number
from below
where delivery_order = 1
