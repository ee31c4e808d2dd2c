with source as (
    select * from {{ source('raw', 'raw_premium_payments') }}
),

renamed as (
    select
        {{ provenance() }},
        _file_county as file_county_code,
        {{ col('电子税票号码') }} as payment_id,
        {{ col('作废标志') }} = '1' as is_void,
        {{ col('缴费人证件类型') }} as payer_id_type,
        {{ col('缴费人证件号码') }} as id_number_raw,
        {{ normalise_id(col('缴费人证件号码')) }} as id_number,
        trim({{ col('缴费人姓名') }}) as payer_name,
        {{ col('征收品目') }} as levy_item,
        {{ parse_cn_date(col('费款所属期起')) }} as insured_period_start,
        {{ parse_cn_date(col('费款所属期止')) }} as insured_period_end,
        cast({{ col('应缴费额') }} as decimal(12, 2)) as premium_due,
        {{ col('资助类别') }} as subsidy_category,
        cast({{ col('资助金额') }} as decimal(12, 2)) as subsidy_amount,
        cast({{ col('实缴费额') }} as decimal(12, 2)) as premium_paid,
        {{ parse_cn_date(col('缴费日期')) }} as payment_date,
        {{ col('主管税务机关代码') }} as tax_office_code,
        substr({{ col('主管税务机关代码') }}, 2, 6) as county_code
    from source
)

select * from renamed
