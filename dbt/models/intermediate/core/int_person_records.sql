{#- Every record of the four departments that carries an ID number, in one shape, for ID checks
    and person linkage (the register's person identities carry only its person number). grain_detail is what else keys a record within its file (the assistance category,
    the payment, the insurance type). Grain: source file and row.

    Ephemeral: int_id_number_checks, its one reader, inlines it and filters the months it
    builds; both engines push that filter through the union into each staging table's scan.
    Writing the union out as a table of its own cost about as much as checking it. -#}
{{ config(materialized='ephemeral') }}

with poverty as (
    select
        'poverty' as department,
        'poverty_roster' as source_kind,
        delivery_month, source_file, source_row_number,
        id_number_raw, id_number, person_name,
        sex_code,
        cast(null as date) as birth_date_declared,
        file_county_code as county_code,
        household_id as household_key,
        relation_to_head,
        cast(null as {{ dbt.type_string() }}) as grain_detail
    from {{ ref('stg_poverty__roster') }}
),

civil_affairs as (
    select
        'civil_affairs', 'assistance_roster',
        delivery_month, source_file, source_row_number,
        id_number_raw, id_number, person_name,
        cast(null as {{ dbt.type_string() }}) as sex_code,
        cast(null as date),
        file_county_code,
        household_head_id_number,
        relation_to_head,
        assistance_category
    from {{ ref('stg_civil_affairs__assistance_roster') }}
),

tax as (
    select
        'tax', 'premium_payments',
        delivery_month, source_file, source_row_number,
        id_number_raw, id_number, payer_name,
        cast(null as {{ dbt.type_string() }}),
        cast(null as date),
        county_code,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        payment_id
    from {{ ref('stg_tax__premium_payments') }}
),

healthcare as (
    select
        'healthcare', 'enrolment',
        delivery_month, source_file, source_row_number,
        id_number_raw, id_number, person_name,
        sex_code,
        birth_date,
        insured_region_code,
        person_number,
        cast(null as {{ dbt.type_string() }}),
        insurance_type
    from {{ ref('stg_healthcare__enrolment') }}
),

settlements as (
    select
        'healthcare', 'settlements',
        delivery_month, source_file, source_row_number,
        id_number_raw, id_number, person_name,
        cast(null as {{ dbt.type_string() }}),
        cast(null as date),
        care_region_code,
        person_number,
        cast(null as {{ dbt.type_string() }}),
        settlement_id
    from {{ ref('stg_healthcare__settlements') }}
),

chronic_certifications as (
    select
        'healthcare', 'chronic_certifications',
        delivery_month, source_file, source_row_number,
        id_number_raw, id_number,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as date),
        cast(null as {{ dbt.type_string() }}),
        person_number,
        cast(null as {{ dbt.type_string() }}),
        disease_code
    from {{ ref('stg_healthcare__chronic_certifications') }}
)

select * from poverty
union all select * from civil_affairs
union all select * from tax
union all select * from healthcare
union all select * from settlements
union all select * from chronic_certifications
