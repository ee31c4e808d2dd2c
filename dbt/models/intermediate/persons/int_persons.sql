{#- One row per person (a cluster of int_person_links), with the canonical ID and person_key.

    The canonical ID rule keeps person_key stable as months arrive. Among the ID numbers the
    person's records were delivered with (normalised, 15-digit IDs converted), take:
      1. the one first delivered (earliest delivery month);
      2. then a valid one before a broken one;
      3. then the smallest.
    A later month cannot deliver an ID earlier than one already seen, so the canonical ID, and
    with it the key, does not change when a month is added. The one exception is a merge: if a
    later month links two people that were apart, the merged person keeps the key of the ID
    seen first. person_key = HMAC-SHA256(secret, canonical ID) (macros/person_key.sql).
    Grain: person. Restricted. -#}
with links as (
    select * from {{ ref('int_person_links') }}
),

delivered_ids as (
    select
        person_cluster_id,
        coalesce(id_number, person_cluster_id) as candidate_id,
        min(delivery_month) as first_delivered,
        max(case when valid_id_number is not null then 1 else 0 end) as is_valid
    from links
    where link_method <> 'person_number'
    group by person_cluster_id, coalesce(id_number, person_cluster_id)
),

canonical as (
    select person_cluster_id, candidate_id as canonical_id, is_valid as has_valid_id
    from (
        select *, row_number() over (
            partition by person_cluster_id
            order by first_delivered, is_valid desc, candidate_id
        ) as preference
        from delivered_ids
    ) ranked
    where preference = 1
),

attributes as (
    select
        person_cluster_id,
        min(delivery_month) as first_seen_month,
        max(delivery_month) as last_seen_month,
        count(*) as record_count,
        max(case when link_method = 'probabilistic' then 1 else 0 end) as has_probabilistic_link,
        max(case when source_kind = 'poverty_roster' then 1 else 0 end) as on_poverty_roster,
        max(case when source_kind = 'assistance_roster' then 1 else 0 end) as on_assistance_roster,
        max(case when source_kind = 'premium_payments' then 1 else 0 end) as in_tax_payments,
        max(case when department = 'healthcare' then 1 else 0 end) as in_healthcare_register,
        {#- birth date and sex: from the valid ID, else from what a source declares -#}
        max(valid_id_number) as valid_id_number,
        max(birth_date) as any_birth_date,
        max(sex_code) as any_sex_code
    from links
    group by person_cluster_id
),

{#- county of household registration: the poverty roster's county first, then civil affairs,
    the register's insuring region, tax; the latest month within each -#}
counties as (
    select person_cluster_id, county_code as registered_county_code
    from (
        select person_cluster_id, county_code, row_number() over (
            partition by person_cluster_id
            order by case source_kind
                    when 'poverty_roster' then 1 when 'assistance_roster' then 2
                    when 'enrolment' then 3 else 4 end,
                delivery_month desc, source_file, source_row_number
        ) as preference
        from links
        where county_code is not null
    ) ranked
    where preference = 1
)

select
    {{ person_key('canonical.canonical_id') }} as person_key,
    canonical.person_cluster_id,
    canonical.canonical_id,
    canonical.has_valid_id = 1 as has_valid_id,
    coalesce(
        {{ try_parse_yyyymmdd('substr(attributes.valid_id_number, 7, 8)') }},
        attributes.any_birth_date
    ) as birth_date,
    case
        when attributes.valid_id_number is not null then
            case when {{ regex_full_match('substr(attributes.valid_id_number, 17, 1)', '[13579]') }}
                then '1' else '2' end
        else attributes.any_sex_code
    end as sex_code,
    counties.registered_county_code,
    attributes.first_seen_month,
    attributes.last_seen_month,
    attributes.record_count,
    attributes.has_probabilistic_link = 1 as has_probabilistic_link,
    attributes.on_poverty_roster = 1 as on_poverty_roster,
    attributes.on_assistance_roster = 1 as on_assistance_roster,
    attributes.in_tax_payments = 1 as in_tax_payments,
    attributes.in_healthcare_register = 1 as in_healthcare_register
from canonical
join attributes on canonical.person_cluster_id = attributes.person_cluster_id
left join counties on canonical.person_cluster_id = counties.person_cluster_id
