{#- The monthly flag exchange back to the poverty office (扶贫部门参保信息反馈, S5.3.3): one row
    per person on the poverty roster and month, with the roster's own 人编号, ID and name (the
    office owns them), what the register says (参保状态, 参保险种, 参保地) and why someone is
    not enrolled. The exporter adds the findings' reasons and suggested actions and writes one
    file per county under exports/restricted/. Restricted. -#}
with coverage as (
    select * from {{ ref('int_person_month_coverage') }}
    where on_poverty_roster
),

roster as (
    select source_file, source_row_number, poverty_person_id, id_number_raw, person_name
    from {{ ref('stg_poverty__roster') }}
),

insurance_types as (
    select insurance_type, short_label_zh from {{ ref('code_insurance_types') }}
),

states as (
    select enrolment_state, label_zh from {{ ref('code_exchange_statuses') }}
),

classified as (
    select
        coverage.*,
        case when not coverage.is_eligible then 'not_eligible'
            when coverage.is_enrolled then 'enrolled'
            else 'not_enrolled' end as enrolment_state
    from coverage
)

select
    classified.delivery_month,
    classified.county_code,
    classified.person_cluster_id,
    classified.evidence_file as source_file,
    classified.evidence_row_number as source_row_number,
    roster.poverty_person_id,
    roster.id_number_raw,
    roster.person_name,
    classified.enrolment_state,
    states.label_zh as enrolment_state_zh,
    insurance_types.short_label_zh as insurance_type_zh,
    classified.insured_region_code,
    classified.ineligible_reason
from classified
join roster
    on classified.evidence_file = roster.source_file
    and classified.evidence_row_number = roster.source_row_number
join states on classified.enrolment_state = states.enrolment_state
left join insurance_types
    on classified.insurance_type = insurance_types.insurance_type
    and classified.is_eligible
