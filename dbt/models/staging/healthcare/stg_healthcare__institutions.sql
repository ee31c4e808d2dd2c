with source as (
    select * from {{ source('raw', 'raw_institutions') }}
),

renamed as (
    select
        {{ provenance() }},
        fixmedins_code as institution_code,
        fixmedins_name as institution_name,
        fixmedins_type as institution_type,
        hosp_lv as institution_level,
        admdvs as region_code,
        {{ parse_cn_date('agreement_begndate') }} as agreement_start_date,
        {{ parse_cn_date('agreement_enddate') }} as agreement_end_date
    from source
)

select * from renamed
