{#- What the benefit rules need to know about each settlement, in the month it is delivered
    (int_settlements_netted without its late-reversal rows): the categories the
    person held on the settlement date (assistance rows 在保 valid that day; the poverty roster
    of the month, with 脱贫状态 and 脱贫年度), whether care was in the insuring county at a
    designated institution (定点, agreement valid that day), whether the diagnosis is on a
    list of ref_benefit_diagnoses (covid, rare_disease) for the insuring county, and whether
    the visit is inpatient (code_medical_types). One row per settlement. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with settlements as (
    select * from {{ ref('int_settlements_netted') }}
    where not is_late_reversal and {{ in_build_months() }}
),

categories as (
    select * from {{ ref('int_person_categories') }}
),

assistance as (
    select settlements.settlement_id, categories.category
    from settlements
    join categories
        on settlements.person_cluster_id = categories.person_cluster_id
        and settlements.delivery_month = categories.delivery_month
    where categories.source_kind = 'assistance_roster'
        and categories.category_status = '在保'
        and categories.valid_from <= settlements.settled_on
        and (categories.valid_to is null or categories.valid_to > settlements.settled_on)
),

poverty as (
    select settlements.settlement_id, categories.category_status as poverty_status,
        roster.exit_year
    from settlements
    join categories
        on settlements.person_cluster_id = categories.person_cluster_id
        and settlements.delivery_month = categories.delivery_month
    join {{ ref('stg_poverty__roster') }} as roster
        on categories.source_file = roster.source_file
        and categories.source_row_number = roster.source_row_number
    where categories.source_kind = 'poverty_roster'
        and categories.category = 'registered_poor'
),

held as (
    select settlement_id,
        max(case when category = 'extremely_poor' then 1 else 0 end) = 1 as is_extremely_poor,
        max(case when category = 'minimum_living_allowance' then 1 else 0 end) = 1
            as is_minimum_living_allowance,
        max(case when category = 'low_income_marginal' then 1 else 0 end) = 1
            as is_low_income_marginal,
        max(case when category = 'poverty_due_to_illness' then 1 else 0 end) = 1
            as is_poverty_due_to_illness
    from assistance
    group by settlement_id
),

institutions as (
    select distinct delivery_month, institution_code, region_code, agreement_start_date,
        agreement_end_date
    from {{ ref('stg_healthcare__institutions') }}
),

designated as (
    select distinct settlements.settlement_id
    from settlements
    join institutions
        on settlements.institution_code = institutions.institution_code
        and settlements.delivery_month = institutions.delivery_month
    where institutions.agreement_start_date <= settlements.settled_on
        and (institutions.agreement_end_date is null
            or institutions.agreement_end_date >= settlements.settled_on)
),

diagnoses as (
    select diagnosis_list, diagnosis_code,
        coalesce({{ seed_text('region_code') }}, '') as region_prefix
    from {{ ref('ref_benefit_diagnoses') }}
),

listed as (
    select settlements.settlement_id,
        max(case when diagnoses.diagnosis_list = 'covid' then 1 else 0 end) = 1 as is_covid,
        max(case when diagnoses.diagnosis_list = 'rare_disease' then 1 else 0 end) = 1
            as is_rare_disease
    from settlements
    join diagnoses
        on substr(settlements.diagnosis_code, 1, length(diagnoses.diagnosis_code))
            = diagnoses.diagnosis_code
        and substr(settlements.insured_county_code, 1, length(diagnoses.region_prefix))
            = diagnoses.region_prefix
    group by settlements.settlement_id
)

select
    settlements.*,
    coalesce(medical_types.is_inpatient, false) as is_inpatient,
    coalesce(held.is_extremely_poor, false) as is_extremely_poor,
    coalesce(held.is_minimum_living_allowance, false) as is_minimum_living_allowance,
    coalesce(held.is_low_income_marginal, false) as is_low_income_marginal,
    coalesce(held.is_poverty_due_to_illness, false) as is_poverty_due_to_illness,
    poverty.settlement_id is not null as is_registered_poor,
    poverty.poverty_status,
    poverty.exit_year,
    settlements.care_region_code = settlements.insured_county_code as is_in_county,
    designated.settlement_id is not null as is_designated,
    coalesce(listed.is_covid, false) as is_covid,
    coalesce(listed.is_rare_disease, false) as is_rare_disease
from settlements
left join {{ ref('code_medical_types') }} as medical_types
    on settlements.medical_type = medical_types.medical_type
left join held on settlements.settlement_id = held.settlement_id
left join poverty on settlements.settlement_id = poverty.settlement_id
left join designated on settlements.settlement_id = designated.settlement_id
left join listed on settlements.settlement_id = listed.settlement_id
