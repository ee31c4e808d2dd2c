{#- The person master (人员主索引): one row per real person seen by any department, under the
    keyed pseudonym person_key. No ID number, name or phone number. -#}
select
    person_key,
    birth_date,
    sex_code,
    registered_county_code,
    has_valid_id,
    has_probabilistic_link,
    on_poverty_roster,
    on_assistance_roster,
    in_tax_payments,
    in_healthcare_register,
    first_seen_month,
    last_seen_month,
    record_count
from {{ ref('int_persons') }}
