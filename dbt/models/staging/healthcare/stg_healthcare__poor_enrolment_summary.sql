with source as (
    select * from {{ source('raw', 'raw_poor_enrolment_summary') }}
),

renamed as (
    select
        {{ provenance() }},
        report_level,
        admdvs as region_code,
        category as population_category,
        cast(roster_count as bigint) as roster_count,
        cast(enrolled_count as bigint) as enrolled_count,
        cast(not_enrolled_count as bigint) as not_enrolled_count
    from source
)

select * from renamed
