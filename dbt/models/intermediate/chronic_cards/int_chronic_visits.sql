{#- Every settled visit (reversal rows aside: the visit took place) whose diagnosis names a card
    disease of ref_chronic_diseases (诊断 starting with the disease's ICD-10 code, in a region
    where the list applies), with the person, the insuring county of that month's register and
    the cost. The chronic-card checks (H6) read it. Restricted. -#}
with settlements as (
    select * from {{ ref('stg_healthcare__settlements') }}
    where not is_reversal
),

register as (
    select * from {{ ref('int_register_by_person_number') }}
),

diseases as (
    select disease_code, disease_name, diagnosis_code,
        coalesce({{ seed_text('region_code') }}, '') as region_prefix
    from {{ ref('ref_chronic_diseases') }}
)

select
    settlements.delivery_month,
    links.person_cluster_id,
    settlements.settlement_id,
    register.insured_county_code,
    settlements.medical_type,
    settlements.visit_start_date,
    diseases.disease_code,
    diseases.disease_name,
    settlements.total_cost,
    settlements.source_file,
    settlements.source_row_number
from settlements
join {{ ref('int_person_links') }} as links
    on settlements.source_file = links.source_file
    and settlements.source_row_number = links.source_row_number
join register
    on settlements.person_number = register.person_number
    and settlements.delivery_month = register.delivery_month
join diseases
    on substr(upper(trim(settlements.diagnosis_code)), 1, length(diseases.diagnosis_code))
        = diseases.diagnosis_code
    and substr(register.insured_county_code, 1, length(diseases.region_prefix))
        = diseases.region_prefix
