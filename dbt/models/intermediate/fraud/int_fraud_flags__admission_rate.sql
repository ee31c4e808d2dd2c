{#- Institutions whose admission rate for poor patients is far above their peers (贫困人口住院率
    畸高, A3.2), per delivery month. The rate ratio of an institution is its admissions (standing
    inpatient settlements) of poor patients per insured poor person of its county, over its
    admissions of other patients per other insured person: a county-wide rise (an epidemic) or
    the institution's share of the county's care moves both and leaves the ratio alone. Poor =
    counted under all_poor that month. Peers are the institutions of the same level and type
    with at least admission_rate_min_admissions poor admissions; with at least
    admission_rate_min_peers of them, an institution whose robust z-score,
    0.6745 × (ratio − median) / MAD, exceeds admission_rate_z_max is flagged. An institution
    outside the generated counties (no insured there) is not rated. Score: z over twice the
    limit, at most 1. A month's rates read that month's rows only, so the model builds by month
    (the enrolment it reads doubles with every month of history). Restricted. -#}
{{ config(**incremental_by_month()) }}

with admissions as (
    select * from {{ ref('int_fraud_settlements') }}
    where is_inpatient and institution_region_code is not null
        and {{ in_build_months('delivery_month') }}
),

poor as (
    select person_cluster_id, delivery_month
    from {{ ref('int_person_month_population_categories') }}
    where population_category = 'all_poor' and {{ in_build_months('delivery_month') }}
),

insured as (
    select distinct enrolment.delivery_month,
        enrolment.insured_region_code as county_code, links.person_cluster_id
    from {{ ref('stg_healthcare__enrolment') }} as enrolment
    join {{ ref('int_person_links') }} as links
        on enrolment.source_file = links.source_file
        and enrolment.source_row_number = links.source_row_number
    where enrolment.enrolment_status = '1'
        and {{ in_build_months('enrolment.delivery_month') }}
        and {{ in_build_months('links.delivery_month') }}
),

population as (
    select insured.delivery_month, insured.county_code,
        count(case when poor.person_cluster_id is not null then 1 end) as poor_insured,
        count(case when poor.person_cluster_id is null then 1 end) as other_insured
    from insured
    left join poor
        on insured.person_cluster_id = poor.person_cluster_id
        and insured.delivery_month = poor.delivery_month
    group by insured.delivery_month, insured.county_code
),

counted as (
    select admissions.delivery_month, admissions.institution_code,
        min(admissions.institution_level) as institution_level,
        min(admissions.institution_type) as institution_type,
        min(admissions.institution_region_code) as institution_region_code,
        count(case when poor.person_cluster_id is not null then 1 end) as poor_admissions,
        count(case when poor.person_cluster_id is null then 1 end) as other_admissions
    from admissions
    left join poor
        on admissions.person_cluster_id = poor.person_cluster_id
        and admissions.delivery_month = poor.delivery_month
    group by admissions.delivery_month, admissions.institution_code
),

parameters as (
    select * from {{ ref('int_fraud_parameters') }}
),

rated as (
    select counted.*, population.poor_insured, population.other_insured,
        cast(parameters.admission_rate_z_max as double) as z_max,
        cast(parameters.admission_rate_min_peers as integer) as min_peers,
        (cast(counted.poor_admissions as double) / population.poor_insured)
            / (cast(counted.other_admissions as double) / population.other_insured)
            as rate_ratio
    from counted
    join population
        on counted.delivery_month = population.delivery_month
        and counted.institution_region_code = population.county_code
    join parameters
        on counted.institution_region_code = parameters.county_code
        and cast(substr(counted.delivery_month, 1, 4) as integer) = parameters.rule_year
    where population.poor_insured > 0 and population.other_insured > 0
        and counted.other_admissions > 0
        and counted.poor_admissions >= parameters.admission_rate_min_admissions
),

centred as (
    select rated.*,
        {{ median('rate_ratio') }} over (
            partition by delivery_month, institution_level, institution_type) as centre,
        count(*) over (
            partition by delivery_month, institution_level, institution_type) as peers
    from rated
),

spread as (
    select centred.*,
        {{ median('abs(rate_ratio - centre)') }} over (
            partition by delivery_month, institution_level, institution_type) as mad
    from centred
),

scored as (
    select spread.*,
        round(0.6745 * (rate_ratio - centre) / mad, 4) as z_score
    from spread
    where mad > 0 and peers >= min_peers
)

select
    delivery_month,
    'admission_rate_outlier' as rule_id,
    cast(null as string) as person_cluster_id,
    institution_region_code as insured_county_code,
    institution_code,
    cast(null as string) as settlement_id,
    cast(null as string) as related_settlement_id,
    cast(null as date) as visit_start_date,
    cast(poor_admissions as string) || ' poor admissions per ' || cast(poor_insured as string)
        || ' poor insured against ' || cast(other_admissions as string) || ' per '
        || cast(other_insured as string) || ' others: rate ratio '
        || cast({{ ratio('poor_admissions * other_insured', 'other_admissions * poor_insured',
                         2) }} as string)
        || ', robust z-score ' || cast(cast(z_score as decimal(12, 4)) as string) || ' among '
        || cast(peers as string) || ' ' || institution_level || ' ' || institution_type
        as evidence,
    cast(case when z_score >= 2 * z_max then 1
        else {{ ratio('cast(z_score as decimal(12, 4)) * 100',
                      '2 * cast(z_max as decimal(12, 4)) * 100') }}
        end as decimal(6, 4)) as score,
    cast(null as string) as source_file,
    cast(null as bigint) as source_row_number
from scored
where z_score > z_max
