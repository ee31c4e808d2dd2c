{#- Every settlement in the month it is delivered (int_settlements_netted without its
    late-reversal rows) as the fraud flags (欺诈骗保负面清单) read it, with the month a reversal
    delivered later cancelled it in full (cancelled_month: a rule pairing it with a later
    settlement ignores it from that month on): the person (cluster), the institution with its
    level, type and region, inpatient or not, the days of care, the diagnosis and its ICD-10
    category (first three characters), the city of care (就医地市) and the registered sex and
    birth date. The rule parameters are those of the insuring county and the delivery year.
    Restricted. -#}
with settlements as (
    select * from {{ ref('int_settlements_netted') }}
    where not is_late_reversal
),

cancellations as (
    select settlement_id, min(delivery_month) as cancelled_month
    from {{ ref('int_settlements_netted') }}
    where is_cancelled
    group by settlement_id
),

institutions as (
    select * from {{ ref('int_institutions_by_month') }}
),

medical_types as (
    select medical_type, is_inpatient from {{ ref('code_medical_types') }}
)

select
    settlements.delivery_month,
    settlements.person_cluster_id,
    settlements.settlement_id,
    settlements.insured_county_code,
    settlements.institution_code,
    institutions.institution_level,
    institutions.institution_type,
    institutions.institution_region_code,
    settlements.medical_type,
    coalesce(medical_types.is_inpatient, false) as is_inpatient,
    settlements.visit_start_date,
    settlements.visit_end_date,
    {{ days_between('settlements.visit_start_date', 'settlements.visit_end_date') }}
        as stay_days,
    settlements.diagnosis_code,
    substr(settlements.diagnosis_code, 1, 3) as diagnosis_category,
    settlements.care_region_code,
    substr(settlements.care_region_code, 1, 4) || '00' as care_city_code,
    settlements.sex_code,
    settlements.birth_date,
    settlements.total_cost,
    cast(substr(settlements.delivery_month, 1, 4) as integer) as rule_year,
    cancellations.cancelled_month,
    settlements.source_file,
    settlements.source_row_number
from settlements
left join cancellations on settlements.settlement_id = cancellations.settlement_id
left join institutions
    on settlements.institution_code = institutions.institution_code
    and settlements.delivery_month = institutions.delivery_month
left join medical_types
    on settlements.medical_type = medical_types.medical_type
