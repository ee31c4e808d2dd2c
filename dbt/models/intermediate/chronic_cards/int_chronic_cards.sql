{#- Every chronic-disease card (门诊慢特病认定) as delivered each month (the file lists every
    card held), with the person, the insuring county, and the certifying institution's level
    (医院等级: 三级 3, 二级 2, 一级 1, else 0) from that month's institutions file.
    Restricted. -#}
with cards as (
    select * from {{ ref('stg_healthcare__chronic_certifications') }}
),

register as (
    select * from {{ ref('int_register_by_person_number') }}
),

institutions as (
    select * from {{ ref('int_institutions_by_month') }}
)

select
    cards.delivery_month,
    links.person_cluster_id,
    register.insured_county_code,
    cards.disease_code,
    cards.disease_name,
    cards.valid_from,
    cards.valid_to,
    cards.institution_code,
    institutions.institution_level,
    coalesce(institutions.institution_level_rank, 0) as institution_level_rank,
    cards.doctor_count,
    cards.source_file,
    cards.source_row_number
from cards
join {{ ref('int_person_links') }} as links
    on cards.source_file = links.source_file
    and cards.source_row_number = links.source_row_number
left join register
    on cards.person_number = register.person_number
    and cards.delivery_month = register.delivery_month
left join institutions
    on cards.institution_code = institutions.institution_code
    and cards.delivery_month = institutions.delivery_month
