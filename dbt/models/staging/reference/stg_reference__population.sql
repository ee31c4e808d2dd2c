with source as (
    select * from {{ source('raw', 'raw_population') }}
),

renamed as (
    select
        cast(substr(_source_file, length(_source_file) - 7, 4) as integer) as population_year,
        _source_file as source_file,
        _row_number as source_row_number,
        county_code,
        township_code,
        township_name,
        cast(population as bigint) as registered_population
    from source
)

select * from renamed
