{#- Coverage of the poor population (困难人员参保率, G1, S5.1.2) by delivery month, region level
    (province, city, county, township) and population category (seed ref_population_categories):
    roster, excluded (不符合参保条件), eligible, enrolled and not enrolled counts, the coverage
    rate enrolled / (roster - excluded), and the premium-payment rate for the insured year.
    Built per township and rolled up (macro roll_up_regions), so every level adds up. -#}
with coverage as (
    select * from {{ ref('int_person_month_coverage') }}
),

person_categories as (
    select * from {{ ref('int_person_month_population_categories') }}
),

counted as (
    select
        coverage.delivery_month,
        person_categories.population_category,
        coverage.county_code,
        coverage.township_code,
        1 as roster_count,
        case when not coverage.is_eligible then 1 else 0 end as excluded_count,
        case when coverage.is_eligible then 1 else 0 end as eligible_count,
        case when coverage.is_eligible and coverage.is_enrolled then 1 else 0 end
            as enrolled_count,
        case when coverage.is_eligible and coverage.has_active_resident then 1 else 0 end
            as resident_enrolled_count,
        case when coverage.is_eligible and coverage.has_active_employee
            and not coverage.has_active_resident then 1 else 0 end as employee_enrolled_count,
        case when coverage.is_eligible and coverage.is_enrolled_elsewhere then 1 else 0 end
            as enrolled_elsewhere_count,
        case when coverage.is_eligible and not coverage.is_enrolled then 1 else 0 end
            as not_enrolled_count,
        case when coverage.is_eligible and coverage.has_paid_premium
            and not (coverage.has_active_employee and not coverage.has_active_resident)
            then 1 else 0 end as premium_paid_count
    from coverage
    join person_categories
        on coverage.person_cluster_id = person_categories.person_cluster_id
        and coverage.delivery_month = person_categories.delivery_month
),

rolled_up as (
    {{ roll_up_regions('counted', ['delivery_month', 'population_category'], [
        'roster_count', 'excluded_count', 'eligible_count', 'enrolled_count',
        'resident_enrolled_count', 'employee_enrolled_count', 'enrolled_elsewhere_count',
        'not_enrolled_count', 'premium_paid_count'], from_township=true) }}
),

regions as (
    select region_code, region_name from {{ ref('int_regions') }}
),

categories as (
    select population_category, label_zh from {{ ref('ref_population_categories') }}
)

select
    rolled_up.delivery_month,
    rolled_up.region_level,
    rolled_up.region_code,
    regions.region_name,
    rolled_up.parent_region_code,
    rolled_up.population_category,
    categories.label_zh as population_category_zh,
    rolled_up.roster_count,
    rolled_up.excluded_count,
    rolled_up.eligible_count,
    rolled_up.enrolled_count,
    rolled_up.resident_enrolled_count,
    rolled_up.employee_enrolled_count,
    rolled_up.enrolled_elsewhere_count,
    rolled_up.not_enrolled_count,
    rolled_up.premium_paid_count,
    {{ ratio('rolled_up.enrolled_count', 'rolled_up.eligible_count') }} as coverage_rate,
    {{ ratio('rolled_up.premium_paid_count',
        'rolled_up.eligible_count - rolled_up.employee_enrolled_count') }}
        as premium_payment_rate
from rolled_up
join categories on rolled_up.population_category = categories.population_category
left join regions on rolled_up.region_code = regions.region_code
