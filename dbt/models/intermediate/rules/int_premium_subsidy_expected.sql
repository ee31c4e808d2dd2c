{#- The subsidy each premium payment should carry (分类资助参保, A1.3, H2, S5.2.1, W): the
    categories the payer held on the payment date (特困 and 低保 from the assistance roster of
    the payment's month, not 暂停, valid on that date; registered poor from that month's poverty
    roster), each priced by the rule in force in the payment's county and insured year
    (int_policy_rules_by_county: a share of the personal premium, or fixed yuan), and the
    highest applies (就高). Where premium_subsidy_start_lag_months is set (温州: 次月生效), a
    category counts only from the month after it starts. A category gained or lost after the
    payment changes nothing (S5.2.3). Stably exited registered poor (已脱贫; A1.3: 逐步降低)
    take the registered_poor_exited row where the seed has one, else the registered_poor row.
    One row per non-void payment row; a payment is priced with its own month's rosters only,
    so the model builds incrementally by month. Restricted. -#}
{{ config(**incremental_by_month()) }}

with links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

payments as (
    select links.person_cluster_id, payments.*,
        extract(year from payments.insured_period_start) as insured_year
    from {{ ref('stg_tax__premium_payments') }} as payments
    join links
        on payments.source_file = links.source_file
        and payments.source_row_number = links.source_row_number
    where not payments.is_void and {{ in_build_months('payments.delivery_month') }}
),

rules as (
    select * from {{ ref('int_policy_rules_by_county') }}
),

held as (
    select person_cluster_id, delivery_month, category, source_kind, category_status,
        valid_from, valid_to
    from {{ ref('int_person_categories') }}
    where {{ in_build_months() }}
        and ((source_kind = 'assistance_roster' and category_status <> '暂停')
            or (source_kind = 'poverty_roster' and category = 'registered_poor'))
),

held_on_payment_date as (
    select payments.source_file, payments.source_row_number, held.category,
        held.category_status, held.valid_from
    from payments
    join held
        on payments.person_cluster_id = held.person_cluster_id
        and payments.delivery_month = held.delivery_month
    left join rules as lag
        on lag.rule_id = 'premium_subsidy_start_lag_months'
        and lag.county_code = payments.county_code
        and lag.rule_year = payments.insured_year
        and lag.population_category = ''
    where (held.source_kind = 'poverty_roster'
            or (held.valid_from <= payments.payment_date
                and (held.valid_to is null or held.valid_to > payments.payment_date)))
        and (lag.value is null or held.source_kind = 'poverty_roster'
            or {{ dbt.dateadd('month', 'cast(lag.value as integer)',
                dbt.date_trunc('month', 'held.valid_from')) }}
                <= payments.payment_date)
),

priced as (
    select
        held_on_payment_date.source_file,
        held_on_payment_date.source_row_number,
        held_on_payment_date.category,
        case coalesce(exited.unit, subsidy.unit)
            when 'share' then {{ money('premium.value * coalesce(exited.value, subsidy.value)') }}
            else {{ money('coalesce(exited.value, subsidy.value)') }}
        end as expected_subsidy,
        coalesce(exited.source_document, subsidy.source_document) as source_document,
        coalesce(exited.source_article, subsidy.source_article) as source_article,
        coalesce(exited.policy_ref, subsidy.policy_ref) as policy_ref
    from held_on_payment_date
    join payments
        on held_on_payment_date.source_file = payments.source_file
        and held_on_payment_date.source_row_number = payments.source_row_number
    join rules as subsidy
        on subsidy.rule_id = 'premium_subsidy'
        and subsidy.county_code = payments.county_code
        and subsidy.rule_year = payments.insured_year
        and subsidy.population_category = held_on_payment_date.category
    left join rules as exited
        on exited.rule_id = 'premium_subsidy'
        and exited.county_code = payments.county_code
        and exited.rule_year = payments.insured_year
        and exited.population_category = 'registered_poor_exited'
        and held_on_payment_date.category = 'registered_poor'
        and held_on_payment_date.category_status = 'exited'
    join rules as premium
        on premium.rule_id = 'premium_personal'
        and premium.county_code = payments.county_code
        and premium.rule_year = payments.insured_year
        and premium.population_category = ''
),

highest as (
    select priced.*, row_number() over (
        partition by source_file, source_row_number
        order by expected_subsidy desc, category
    ) as rank_by_amount
    from priced
)

select
    payments.person_cluster_id,
    payments.delivery_month,
    payments.source_file,
    payments.source_row_number,
    payments.payment_id,
    payments.insured_year,
    payments.payment_date,
    payments.county_code,
    payments.premium_due,
    payments.subsidy_category,
    payments.subsidy_amount,
    highest.category as subsidy_basis_category,
    coalesce(highest.expected_subsidy, {{ money('0') }}) as expected_subsidy,
    highest.source_document,
    highest.source_article,
    highest.policy_ref
from payments
left join highest
    on payments.source_file = highest.source_file
    and payments.source_row_number = highest.source_row_number
    and highest.rank_by_amount = 1
