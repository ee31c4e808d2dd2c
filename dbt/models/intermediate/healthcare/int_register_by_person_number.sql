{#- The register (参保登记) as the settlement, card and benefit models look a psn_no up: per
    person number (个人编号) and delivery month, the insuring county (the smallest code if a
    number has rows in two regions), the enrolment date (参保日期), the birth date and sex (性别).
    Restricted. -#}
{{ config(**incremental_by_month()) }}

select
    person_number,
    delivery_month,
    min(insured_region_code) as insured_county_code,
    min(enrolment_date) as enrolment_date,
    min(birth_date) as birth_date,
    min(sex_code) as sex_code
from {{ ref('stg_healthcare__enrolment') }}
where {{ in_build_months() }}
group by person_number, delivery_month
