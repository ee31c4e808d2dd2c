with source as (
    select * from {{ source('raw', 'raw_chronic_certifications') }}
),

renamed as (
    select
        {{ provenance() }},
        psn_no as person_number,
        certno as id_number_raw,
        {{ normalise_id('certno') }} as id_number,
        opsp_dise_code as disease_code,
        opsp_dise_name as disease_name,
        {{ parse_cn_date('begndate') }} as valid_from,
        {{ parse_cn_date('enddate') }} as valid_to,
        fixmedins_code as institution_code,
        cast(doctor_count as integer) as doctor_count
    from source
)

select * from renamed
