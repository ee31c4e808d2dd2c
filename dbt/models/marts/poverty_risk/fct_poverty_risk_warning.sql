{#- Return-to-poverty early warning (返贫致贫风险预警, S9.3), per delivery month: people not on
    any roster that month (no registered-poor, monitored, 特困, 低保 or 低边 status), and
    registered poor who have exited (已脱贫), whose out-of-pocket cost over the 12 delivered
    months up to this one, as this month knows them (a reversal counts from the month it is
    delivered: int_person_month_out_of_pocket), reaches poverty_risk_oop_income_share of their province's
    per-capita disposable income of the year before (ref_disposable_income). Ranked per
    county by that share, for the county to act on; watched_by says which level watches the
    county (the province where the county's poverty incidence is high, else the county
    itself). A person counts from a settlement anywhere in the window, with the insuring county
    of their latest month. No ID number or name. -#}
with out_of_pocket as (
    select * from {{ ref('int_person_month_out_of_pocket') }}
),

months as (
    {{ delivered_months('out_of_pocket') }}
),

indexed as (
    select out_of_pocket.*, settled.month_index, delivered.month_index as delivered_index
    from out_of_pocket
    join months as settled on out_of_pocket.settlement_delivery_month = settled.delivery_month
    join months as delivered on out_of_pocket.delivery_month = delivered.delivery_month
),

windowed as (
    select months.delivery_month, months.month_index as current_index,
        indexed.person_cluster_id, indexed.month_index,
        min(indexed.insured_county_code) as insured_county_code,
        sum(indexed.out_of_pocket) as out_of_pocket
    from months
    join indexed
        on indexed.month_index between months.month_index - 11 and months.month_index
        and indexed.delivered_index <= months.month_index
    group by months.delivery_month, months.month_index, indexed.person_cluster_id,
        indexed.month_index
    having sum(indexed.settlement_count) > 0
),

summed as (
    select delivery_month, person_cluster_id, max(month_index) as latest_index,
        {{ money('sum(out_of_pocket)') }} as out_of_pocket_12_months
    from windowed
    group by delivery_month, person_cluster_id
),

rolling as (
    select summed.delivery_month, summed.person_cluster_id, windowed.insured_county_code,
        summed.out_of_pocket_12_months
    from summed
    join windowed
        on summed.delivery_month = windowed.delivery_month
        and summed.person_cluster_id = windowed.person_cluster_id
        and summed.latest_index = windowed.month_index
),

poor as (
    select distinct person_cluster_id, delivery_month
    from {{ ref('int_person_month_population_categories') }}
),

exited as (
    select distinct person_cluster_id, delivery_month
    from {{ ref('int_person_categories') }}
    where source_kind = 'poverty_roster' and category = 'registered_poor'
        and category_status = 'exited'
),

watched as (
    select delivery_month, region_code as county_code, is_high_incidence
    from {{ ref('fct_poverty_watch_level') }}
    where region_level = 'county'
),

rules as (
    select county_code, rule_year, value as income_share, source_document, source_article,
        policy_ref
    from {{ ref('int_policy_rules_by_county') }}
    where rule_id = 'poverty_risk_oop_income_share' and population_category = ''
),

assessed as (
    select
        rolling.*,
        case when exited.person_cluster_id is not null then 'exited_at_risk'
            else 'non_poor_at_risk' end as warning_kind,
        income.income_yuan,
        {{ money('income.income_yuan * rules.income_share') }} as threshold_yuan,
        {{ ratio('rolling.out_of_pocket_12_months', 'income.income_yuan') }} as burden_share,
        rules.source_document, rules.source_article, rules.policy_ref
    from rolling
    left join poor
        on rolling.person_cluster_id = poor.person_cluster_id
        and rolling.delivery_month = poor.delivery_month
    left join exited
        on rolling.person_cluster_id = exited.person_cluster_id
        and rolling.delivery_month = exited.delivery_month
    join rules
        on rules.county_code = rolling.insured_county_code
        and rules.rule_year = cast(substr(rolling.delivery_month, 1, 4) as integer)
    join {{ ref('ref_disposable_income') }} as income
        on income.province_code = substr(rolling.insured_county_code, 1, 2)
        and income.year = cast(substr(rolling.delivery_month, 1, 4) as integer) - 1
    where poor.person_cluster_id is null or exited.person_cluster_id is not null
)

select
    assessed.delivery_month,
    persons.person_key,
    assessed.insured_county_code,
    assessed.warning_kind,
    assessed.out_of_pocket_12_months,
    assessed.income_yuan,
    assessed.threshold_yuan,
    assessed.burden_share,
    row_number() over (
        partition by assessed.delivery_month, assessed.insured_county_code
        order by assessed.burden_share desc, persons.person_key
    ) as county_rank,
    case when coalesce(watched.is_high_incidence, false) then 'province' else 'county' end
        as watched_by,
    assessed.source_document,
    assessed.source_article,
    assessed.policy_ref
from assessed
join {{ ref('int_persons') }} as persons
    on assessed.person_cluster_id = persons.person_cluster_id
left join watched
    on assessed.delivery_month = watched.delivery_month
    and assessed.insured_county_code = watched.county_code
where assessed.out_of_pocket_12_months >= assessed.threshold_yuan
