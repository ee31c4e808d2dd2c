{#- Split hospitalisation (分解住院, S9.2): an inpatient stay that begins 0 to
    readmission_window_days days after the same person was discharged from the same
    institution, for a related diagnosis (the same ICD-10 category, or categories of one group
    in ref_diagnosis_groups). The later stay is flagged, with the closest earlier stay as
    evidence; the earlier stay must have been delivered by the later one's month and not
    cancelled by a reversal delivered by then, so loading a month never flags or unflags an
    earlier one. Score: 1 − gap / (window + 1), so a readmission on the
    day of discharge scores 1. Restricted. -#}
with stays as (
    select * from {{ ref('int_fraud_settlements') }}
    where is_inpatient
),

groups as (
    select icd10_category, diagnosis_group from {{ ref('ref_diagnosis_groups') }}
),

grouped as (
    select stays.*, coalesce(groups.diagnosis_group, stays.diagnosis_category) as related_key
    from stays
    left join groups on stays.diagnosis_category = groups.icd10_category
),

parameters as (
    select county_code, rule_year, readmission_window_days
    from {{ ref('int_fraud_parameters') }}
),

pairs as (
    select
        later.*,
        earlier.settlement_id as related_settlement_id,
        earlier.diagnosis_code as earlier_diagnosis_code,
        earlier.visit_end_date as earlier_end_date,
        {{ days_between('earlier.visit_end_date', 'later.visit_start_date') }} as gap_days,
        cast(parameters.readmission_window_days as integer) as window_days
    from grouped as later
    join grouped as earlier
        on later.person_cluster_id = earlier.person_cluster_id
        and later.institution_code = earlier.institution_code
        and later.related_key = earlier.related_key
        and later.settlement_id <> earlier.settlement_id
        and earlier.delivery_month <= later.delivery_month
        and (earlier.cancelled_month is null or earlier.cancelled_month > later.delivery_month)
        and earlier.visit_start_date < later.visit_start_date
        and earlier.visit_end_date <= later.visit_start_date
    join parameters
        on later.insured_county_code = parameters.county_code
        and later.rule_year = parameters.rule_year
),

closest as (
    select pairs.*,
        row_number() over (
            partition by settlement_id order by gap_days, related_settlement_id
        ) as closeness
    from pairs
    where gap_days <= window_days
)

select
    delivery_month,
    'split_hospitalisation' as rule_id,
    person_cluster_id,
    insured_county_code,
    institution_code,
    settlement_id,
    related_settlement_id,
    visit_start_date,
    'readmitted ' || cast(gap_days as string) || ' days after discharge on '
        || cast(earlier_end_date as string) || ' (' || earlier_diagnosis_code || ' then '
        || diagnosis_code || '), window ' || cast(window_days as string) || ' days'
        as evidence,
    cast(1 - {{ ratio('gap_days', 'window_days + 1') }} as decimal(6, 4)) as score,
    source_file,
    source_row_number
from closest
where closeness = 1
