with source as (
    select * from {{ source('raw', 'raw_person_identities') }}
),

renamed as (
    select
        {{ provenance() }},
        psn_no as person_number,
        psn_idet_type as identity_type,
        psn_type_lv as identity_level,
        {{ parse_cn_date('begntime') }} as valid_from,
        {{ parse_cn_date('endtime') }} as valid_to
    from source
)

select * from renamed
