with source as (
    select * from {{ source('raw', 'raw_poverty_roster') }}
),

renamed as (
    select
        {{ provenance() }},
        _file_county as file_county_code,
        cast({{ col('序号') }} as bigint) as roster_sequence,
        {{ col('省') }} as province_name,
        {{ col('市') }} as city_name,
        {{ col('县') }} as county_name,
        {{ col('乡（镇）') }} as township_name,
        {{ col('村') }} as village_name,
        {{ col('村行政区划代码') }} as village_code,
        {{ col('户编号') }} as household_id,
        {{ col('人编号') }} as poverty_person_id,
        trim({{ col('姓名') }}) as person_name,
        {{ col('证件号码') }} as id_number_raw,
        {{ normalise_id(col('证件号码')) }} as id_number,
        case {{ col('性别') }} when '男' then '1' when '女' then '2' end as sex_code,
        {{ col('民族') }} as ethnicity,
        {{ col('与户主关系') }} as relation_to_head,
        {{ col('贫困户属性') }} as poverty_attribute,
        {{ col('脱贫状态') }} as poverty_status,
        cast({{ col('脱贫年度') }} as integer) as exit_year,
        {{ col('监测对象类别') }} as monitoring_category,
        {{ col('主要致贫原因') }} as poverty_cause,
        {{ col('是否参加城乡居民基本医疗保险') }} = '是' as believes_resident_insured,
        {{ col('人员状态') }} as person_status,
        {{ parse_cn_date(col('状态变更日期')) }} as status_change_date,
        coalesce({{ col('状态变更日期') }} like '%年%月', false) as status_change_month_only,
        {{ col('联系电话') }} as phone
    from source
)

select * from renamed
