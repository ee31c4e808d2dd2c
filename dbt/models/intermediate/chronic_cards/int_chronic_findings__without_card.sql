{#- Poor and marginal people who should have a card (H6: 确保符合慢性病鉴定办证条件的贫困人口及
    边缘贫困人口全部办理慢性病卡): a person poor that month (all_poor of
    int_person_month_population_categories: the poverty roster, or 特困/低保/低边 在保) whose
    visit names a card disease they held no card for on the visit date. One row per person,
    month and disease; the evidence is the first such visit. Restricted. -#}
with visits as (
    select * from {{ ref('int_chronic_visits') }}
),

poor as (
    select person_cluster_id, delivery_month
    from {{ ref('int_person_month_population_categories') }}
    where population_category = 'all_poor'
),

cards as (
    select * from {{ ref('int_chronic_cards') }}
),

uncovered as (
    select visits.*
    from visits
    join poor
        on visits.person_cluster_id = poor.person_cluster_id
        and visits.delivery_month = poor.delivery_month
    left join cards
        on visits.person_cluster_id = cards.person_cluster_id
        and visits.delivery_month = cards.delivery_month
        and visits.disease_code = cards.disease_code
        and cards.valid_from <= visits.visit_start_date
        and (cards.valid_to is null or cards.valid_to >= visits.visit_start_date)
    where cards.person_cluster_id is null
)

select
    delivery_month, person_cluster_id, min(insured_county_code) as insured_county_code,
    disease_code, min(disease_name) as disease_name,
    'eligible_without_card' as finding_kind,
    cast(count(*) as string) || ' visit(s) naming the disease, no card' as finding_detail,
    min(source_file) as source_file, min(source_row_number) as source_row_number
from uncovered
group by delivery_month, person_cluster_id, disease_code
