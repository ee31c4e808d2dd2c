with source as (
    select * from {{ source('raw', 'raw_assistance_roster') }}
),

renamed as (
    select
        {{ provenance() }},
        _file_county as file_county_code,
        trim({{ col('区县') }}) as county_name_as_written,
        trim({{ col('乡镇（街道）') }}) as township_name,
        trim({{ col('村（社区）') }}) as village_name,
        {{ col('救助类别') }} as assistance_category,
        {{ col('城乡类别') }} as urban_rural,
        trim({{ col('户主姓名') }}) as household_head_name,
        {{ col('户主身份证号') }} as household_head_id_number_raw,
        {{ normalise_id(col('户主身份证号')) }} as household_head_id_number,
        trim({{ col('成员姓名') }}) as person_name,
        {{ col('成员身份证号') }} as id_number_raw,
        {{ normalise_id(col('成员身份证号')) }} as id_number,
        {{ col('与户主关系') }} as relation_to_head,
        {{ parse_cn_date(col('保障起始日期')) }} as assistance_start_date,
        {{ parse_cn_date(col('保障终止日期')) }} as assistance_end_date,
        {{ col('状态') }} as assistance_status,
        {{ col('残疾类别') }} as disability_type,
        {{ col('残疾等级') }} as disability_grade,
        cast({{ col('月保障金额') }} as decimal(12, 2)) as monthly_allowance
    from source
)

select * from renamed
