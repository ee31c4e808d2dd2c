{#- Every standing settlement (结算), reversals netted out first: a reversal (冲销,
    refd_setl_flag = 1) carries the setl_id it cancels with negative amounts, so each amount is
    the original plus its reversals, and a settlement cancelled in full (net total 0) drops out.
    With the person (cluster), the insuring county and enrolment date from that month's
    register, and the settlement year. The original row is the evidence. Restricted. -#}
{%- set amounts = ['total_cost', 'fully_self_paid', 'over_limit_self_paid', 'pre_self_paid',
    'policy_range_cost', 'basic_fund_paid', 'critical_illness_paid', 'medical_assistance_paid',
    'safety_net_paid', 'fund_paid_total', 'out_of_pocket', 'hospital_borne'] %}
with settlements as (
    select * from {{ ref('stg_healthcare__settlements') }}
),

originals as (
    select *, row_number() over (
        partition by settlement_id order by delivery_month desc, source_file, source_row_number
    ) as recency
    from settlements
    where not is_reversal
),

reversals as (
    select settlement_id,
        {%- for amount in amounts %}
        sum({{ amount }}) as {{ amount }}{{ ',' if not loop.last }}
        {%- endfor %}
    from settlements
    where is_reversal
    group by settlement_id
),

register as (
    select * from {{ ref('int_register_by_person_number') }}
),

links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
),

netted as (
    select
        originals.delivery_month,
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
        {{ money('originals.' ~ amount ~ ' + coalesce(reversals.' ~ amount ~ ', 0)') }}
            as {{ amount }},
        {%- endfor %}
        originals.is_one_stop,
        reversals.settlement_id is not null as has_reversal,
        originals.source_file,
        originals.source_row_number
    from originals
    join links
        on originals.source_file = links.source_file
        and originals.source_row_number = links.source_row_number
    left join reversals on originals.settlement_id = reversals.settlement_id
    left join register
        on originals.person_number = register.person_number
        and originals.delivery_month = register.delivery_month
    where originals.recency = 1
)

select * from netted
where total_cost <> 0
