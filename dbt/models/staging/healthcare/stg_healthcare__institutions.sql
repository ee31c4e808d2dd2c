with source as (
    select * from {{ source('raw', 'raw_institutions') }}
),

renamed as (
    select
        _delivery_month as delivery_month,
        _source_file as source_file,
        _row_number as source_row_number,
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
