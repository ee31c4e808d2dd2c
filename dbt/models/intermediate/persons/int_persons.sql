{#- One row per person (a cluster of int_person_links), with the canonical ID and person_key.

    The canonical ID is the cluster's own ID: the valid ID number of an exactly linked person
    (Splink only links to valid IDs delivered by then, so that ID is never delivered later
    than a record linked to it), the broken ID of an unlinked one, or the record's own
    'blank:' or 'psn:' mark. A month therefore never changes a person's canonical ID, and
    person_key = HMAC-SHA256(secret, canonical ID) (macros/person_key.sql) stays the same as
    months arrive.

    Every attribute is a mergeable aggregate of the person's records, so on DuckDB a new month
    merges into the previous table (macros/merged_state.sql) instead of re-reading every
    month: keys, first months and counts carry over, and only the new month's records are
    aggregated. Re-running an old month, a full refresh and Spark rebuild from every record.
    Grain: person. Restricted. -#}
{%- set merged_months = months_to_merge('last_seen_month', ['county_source_rank']) %}

{#- one aggregate reads the links once -#}
with links as (
    select
        *,
        case source_kind
            when 'poverty_roster' then 1 when 'assistance_roster' then 2
            when 'enrolment' then 3 else 4
        end as county_source_rank
    from {{ ref('int_person_links') }}
    {%- if merged_months %}
    where delivery_month in ({{ month_literals(merged_months) }})
    {%- endif %}
),

added as (
    select
        person_cluster_id,
        min(delivery_month) as first_seen_month,
        max(delivery_month) as last_seen_month,
        count(*) as record_count,
        {#- exact_id is the method of exactly the records with a valid ID -#}
        max(case when link_method = 'exact_id' then 1 else 0 end) = 1 as has_valid_id,
        max(case when link_method = 'probabilistic' then 1 else 0 end) = 1
            as has_probabilistic_link,
        max(case when source_kind = 'poverty_roster' then 1 else 0 end) = 1
            as on_poverty_roster,
        max(case when source_kind = 'assistance_roster' then 1 else 0 end) = 1
            as on_assistance_roster,
        max(case when source_kind = 'premium_payments' then 1 else 0 end) = 1
            as in_tax_payments,
        max(case when department = 'healthcare' then 1 else 0 end) = 1
            as in_healthcare_register,
        {#- for people without a valid ID: what a source declares -#}
        max(birth_date) as max_record_birth_date,
        max(sex_code) as max_record_sex_code,
        {#- county of household registration: the poverty roster's county first, then civil
            affairs, the register's insuring region, tax; the latest month within each. In the
            same aggregate: a window ranking every record of the month sorted them all -#}
        {{ value_at_least('county_code', [
            'county_source_rank',
            "-cast(replace(delivery_month, '-', '') as integer)",
            'source_file', 'source_row_number']) }}
            filter (where county_code is not null) as registered_county_code,
        min(county_source_rank) filter (where county_code is not null) as county_source_rank
    from links
    group by person_cluster_id
),

{% if merged_months -%}
{#- the previous months' persons and what the new months add; the new months are later, so
    they win a county of the same or a better source -#}
combined as (
    select
        coalesce(previous.person_cluster_id, added.person_cluster_id) as person_cluster_id,
        previous.person_key as previous_person_key,
        coalesce(previous.first_seen_month, added.first_seen_month) as first_seen_month,
        coalesce(added.last_seen_month, previous.last_seen_month) as last_seen_month,
        coalesce(previous.record_count, 0) + coalesce(added.record_count, 0) as record_count,
        {%- for flag in ['has_valid_id', 'has_probabilistic_link', 'on_poverty_roster',
            'on_assistance_roster', 'in_tax_payments', 'in_healthcare_register'] %}
        coalesce(previous.{{ flag }}, false) or coalesce(added.{{ flag }}, false) as {{ flag }},
        {%- endfor %}
        {{ larger_of('previous.max_record_birth_date', 'added.max_record_birth_date') }}
            as max_record_birth_date,
        {{ larger_of('previous.max_record_sex_code', 'added.max_record_sex_code') }}
            as max_record_sex_code,
        case when previous.county_source_rank is null
                or added.county_source_rank <= previous.county_source_rank
            then added.registered_county_code else previous.registered_county_code
        end as registered_county_code,
        case when previous.county_source_rank is null
                or added.county_source_rank <= previous.county_source_rank
            then added.county_source_rank else previous.county_source_rank
        end as county_source_rank
    from {{ this }} as previous
    full outer join added on previous.person_cluster_id = added.person_cluster_id
)
{%- else -%}
combined as (
    select added.*, cast(null as {{ dbt.type_string() }}) as previous_person_key
    from added
)
{%- endif %}

select
    coalesce(previous_person_key, {{ person_key('person_cluster_id') }}) as person_key,
    person_cluster_id,
    person_cluster_id as canonical_id,
    has_valid_id,
    coalesce(
        case when has_valid_id then {{ try_parse_yyyymmdd('substr(person_cluster_id, 7, 8)') }} end,
        max_record_birth_date
    ) as birth_date,
    case
        when has_valid_id then
            case when {{ regex_full_match('substr(person_cluster_id, 17, 1)', '[13579]') }}
                then '1' else '2' end
        else max_record_sex_code
    end as sex_code,
    registered_county_code,
    first_seen_month,
    last_seen_month,
    record_count,
    has_probabilistic_link,
    on_poverty_roster,
    on_assistance_roster,
    in_tax_payments,
    in_healthcare_register,
    max_record_birth_date,
    max_record_sex_code,
    county_source_rank
from combined
