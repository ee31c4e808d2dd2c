{#- Settlements (结算) as each delivery month knows them. A reversal (冲销, refd_setl_flag = 1)
    carries the setl_id it cancels with negative amounts, and counts in the month it is
    delivered, so loading a month never restates an earlier one:
    - a settlement row, in the month the settlement is first delivered: the original plus the
      reversals delivered that same month (a settlement cancelled in full that month drops
      out);
    - a late-reversal row, in a later month that delivers reversals of it: their amounts
      (negative), with the original's person, dates and codes, and whether the settlement now
      stands cancelled in full (is_cancelled).
    Summing a settlement's rows up to month M gives what stands as of M. With the person
    (cluster), and the insuring county, enrolment date, birth date and sex from the register of
    the settlement's month. The original row is the evidence. Restricted. -#}
{{ config(**incremental_by_month()) }}
{%- set amounts = ['total_cost', 'fully_self_paid', 'over_limit_self_paid', 'pre_self_paid',
    'policy_range_cost', 'basic_fund_paid', 'critical_illness_paid', 'medical_assistance_paid',
    'safety_net_paid', 'fund_paid_total', 'out_of_pocket', 'hospital_borne'] %}
with settlements as (
    select * from {{ ref('stg_healthcare__settlements') }}
),

touched as (
    select distinct settlement_id from settlements where {{ in_build_months() }}
),

first_delivered as (
    select settlements.*, row_number() over (
        partition by settlements.settlement_id
        order by settlements.delivery_month, settlements.source_file,
            settlements.source_row_number
    ) as delivery_rank
    from settlements
    join touched on settlements.settlement_id = touched.settlement_id
    where not settlements.is_reversal
),

reversals as (
    select settlements.settlement_id, settlements.delivery_month,
        {%- for amount in amounts %}
        sum(settlements.{{ amount }}) as {{ amount }}{{ ',' if not loop.last }}
        {%- endfor %}
    from settlements
    join touched on settlements.settlement_id = touched.settlement_id
    where settlements.is_reversal
    group by settlements.settlement_id, settlements.delivery_month
),

originals as (
    select first_delivered.*,
        {%- for amount in amounts %}
        {{ money('first_delivered.' ~ amount ~ ' + coalesce(same_month.' ~ amount ~ ', 0)') }}
            as net_{{ amount }},
        {%- endfor %}
        same_month.settlement_id is not null as has_same_month_reversal
    from first_delivered
    left join reversals as same_month
        on first_delivered.settlement_id = same_month.settlement_id
        and first_delivered.delivery_month = same_month.delivery_month
    where first_delivered.delivery_rank = 1
),

late_reversals as (
    select reversals.*,
        originals.net_total_cost + sum(reversals.total_cost) over (
            partition by reversals.settlement_id order by reversals.delivery_month
            rows between unbounded preceding and current row
        ) = 0 as is_cancelled
    from reversals
    join originals
        on reversals.settlement_id = originals.settlement_id
        and reversals.delivery_month > originals.delivery_month
    where originals.net_total_cost <> 0
),

rows_of_months as (
    select originals.delivery_month, false as is_late_reversal, false as is_cancelled,
        {%- for amount in amounts %}
        originals.net_{{ amount }} as {{ amount }},
        {%- endfor %}
        originals.has_same_month_reversal as has_reversal,
        originals.settlement_id
    from originals
    where originals.net_total_cost <> 0

    union all
    select late_reversals.delivery_month, true, late_reversals.is_cancelled,
        {%- for amount in amounts %}
        late_reversals.{{ amount }},
        {%- endfor %}
        true,
        late_reversals.settlement_id
    from late_reversals
),

register as (
    select * from {{ ref('int_register_by_person_number') }}
),

links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
)

select
    rows_of_months.delivery_month,
    originals.delivery_month as settlement_delivery_month,
    rows_of_months.is_late_reversal,
    rows_of_months.is_cancelled,
    links.person_cluster_id,
    originals.settlement_id,
    originals.person_number,
    originals.insurance_type,
    originals.institution_code,
    originals.medical_type,
    originals.visit_start_date,
    originals.visit_end_date,
    originals.settled_at,
    cast(originals.settled_at as date) as settled_on,
    extract(year from originals.settled_at) as settlement_year,
    upper(trim(originals.diagnosis_code)) as diagnosis_code,
    originals.care_region_code,
    register.insured_county_code,
    register.enrolment_date,
    register.birth_date,
    register.sex_code,
    {%- for amount in amounts %}
    rows_of_months.{{ amount }},
    {%- endfor %}
    originals.is_one_stop,
    rows_of_months.has_reversal,
    originals.source_file,
    originals.source_row_number
from rows_of_months
join originals on rows_of_months.settlement_id = originals.settlement_id
join links
    on originals.source_file = links.source_file
    and originals.source_row_number = links.source_row_number
left join register
    on originals.person_number = register.person_number
    and originals.delivery_month = register.delivery_month
where {{ in_build_months('rows_of_months.delivery_month') }}
