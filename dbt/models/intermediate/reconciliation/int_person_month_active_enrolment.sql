{#- Active enrolment (psn_insu_stas = 1, 参保缴费中) per person cluster, delivery month, insurance
    type and insuring region (参保地), with the first register row that shows it. The duplicate
    enrolment check and the county of enrolment read it. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

enrolment as (
    select * from {{ ref('stg_healthcare__enrolment') }}
    where enrolment_status = '1'
        and {{ in_build_months() }}
),

ranked as (
    select
        links.person_cluster_id,
        enrolment.delivery_month,
        enrolment.insurance_type,
        enrolment.insured_region_code,
        enrolment.source_file,
        enrolment.source_row_number,
        row_number() over (
            partition by links.person_cluster_id, enrolment.delivery_month,
                enrolment.insurance_type, enrolment.insured_region_code
            order by enrolment.source_file, enrolment.source_row_number
        ) as row_rank
    from enrolment
    join links
        on enrolment.source_file = links.source_file
        and enrolment.source_row_number = links.source_row_number
)

select
    person_cluster_id,
    delivery_month,
    insurance_type,
    insured_region_code,
    source_file as evidence_file,
    source_row_number as evidence_row_number
from ranked
where row_rank = 1
