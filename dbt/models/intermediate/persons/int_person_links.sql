{#- Every person-bearing record and the person it belongs to, as a cluster ID:
    1. exact_id: the record's valid, normalised ID number (15-digit IDs converted);
    2. probabilistic: no valid ID, but Splink's best candidate reaches the
       `linkage_match_threshold` var; the candidate's valid ID;
    3. person_number: a register identity row (人员身份), through the register's 人员编号 and
       that month's register row;
    4. unlinked: none of these; the record's own normalised ID, so leftovers with the same
       broken ID still form one person (a blank ID stands alone).
    Every link is made with what was delivered up to the record's month (Splink's candidates
    as of the month, the same month's register row), so the model builds incrementally by
    month. Grain: source file and row. Restricted. -#}
{{ config(**incremental_by_month()) }}

{#- resolved is read twice, by the final select and by register_persons: it, id_records and
    features are not_materialized, so neither read buffers the month's records (DuckDB would
    otherwise materialise the first CTE read twice) -#}
with features as {{ not_materialized() }} (
    select * from {{ ref('int_linkage_features') }}
    where {{ in_build_months() }}
),

matches as (
    select * from {{ source('linkage', 'probabilistic_matches') }}
    where {{ in_build_months() }}
),

identities as (
    select * from {{ ref('stg_healthcare__person_identities') }}
    where {{ in_build_months() }}
),

id_records as {{ not_materialized() }} (
    select
        features.department,
        features.source_kind,
        features.delivery_month,
        features.source_file,
        features.source_row_number,
        features.id_number,
        features.valid_id_number,
        features.sex_code,
        features.birth_date,
        features.county_code,
        features.person_number,
        case
            when features.valid_id_number is not null then 'exact_id'
            when matches.match_probability >= {{ var('linkage_match_threshold') }}
                then 'probabilistic'
            else 'unlinked'
        end as link_method,
        matches.matched_id_number,
        matches.match_probability as candidate_probability
    from features
    left join matches
        on features.source_file = matches.source_file
        and features.source_row_number = matches.source_row_number
),

resolved as {{ not_materialized() }} (
    select
        *,
        case link_method
            when 'exact_id' then valid_id_number
            when 'probabilistic' then matched_id_number
            else coalesce(id_number,
                'blank:' || source_file || '#' || cast(source_row_number as {{ dbt.type_string() }}))
        end as person_cluster_id,
        case link_method
            when 'exact_id' then 1.0
            when 'probabilistic' then candidate_probability
        end as match_probability
    from id_records
),

register_persons as (
    {#- the register's person number names one person: the cluster of its enrolment row of
        the same month (the first in file order, should a month have two) -#}
    select person_number, delivery_month, person_cluster_id
    from (
        select person_number, delivery_month, person_cluster_id, row_number() over (
            partition by person_number, delivery_month
            order by source_file, source_row_number
        ) as recency
        from resolved
        {#- only the person numbers an identity row names: the ranking then sorts those rows,
            not the month's whole register (60M rows at the province tier) #}
        where source_kind = 'enrolment' and person_number is not null
            and person_number in (select person_number from identities)
    ) ranked
    where recency = 1
),

identity_records as (
    select
        'healthcare' as department,
        'person_identities' as source_kind,
        identities.delivery_month,
        identities.source_file,
        identities.source_row_number,
        cast(null as {{ dbt.type_string() }}) as id_number,
        cast(null as {{ dbt.type_string() }}) as valid_id_number,
        cast(null as {{ dbt.type_string() }}) as sex_code,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as county_code,
        identities.person_number,
        case when register_persons.person_cluster_id is not null
            then 'person_number' else 'unlinked' end as link_method,
        coalesce(register_persons.person_cluster_id, 'psn:' || identities.person_number)
            as person_cluster_id,
        case when register_persons.person_cluster_id is not null then 1.0 end
            as match_probability
    from identities
    left join register_persons
        on identities.person_number = register_persons.person_number
        and identities.delivery_month = register_persons.delivery_month
)

{#- no ID numbers or person numbers: readers need the cluster and the attributes int_persons
    aggregates, and this table keeps every month (they were 60% of its 3.6 GB a month at the
    province tier). int_linkage_features holds them for the month being built. -#}
select
    department, source_kind, delivery_month, source_file, source_row_number, sex_code,
    birth_date, county_code, link_method, person_cluster_id, match_probability
from resolved
union all
select
    department, source_kind, delivery_month, source_file, source_row_number, sex_code,
    birth_date, county_code, link_method, person_cluster_id, match_probability
from identity_records
