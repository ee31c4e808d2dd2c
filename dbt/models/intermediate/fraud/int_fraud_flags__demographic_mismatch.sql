{#- A diagnosis that does not fit the registered person (性别、年龄与诊断不符, a signal of 冒名就医,
    S9.2): the diagnosis starts with a prefix of ref_diagnosis_demographics whose sex is the
    other one, or whose age range excludes the person's age in whole years on the first day of
    care. Sex and birth date are the register's for the settlement's person number. One flag
    per settlement (the longest matching prefix). Score 1. Restricted. -#}
with settlements as (
    select * from {{ ref('int_fraud_settlements') }}
    where birth_date is not null
),

demographics as (
    select icd10_prefix, condition_name, allowed_sex_code, min_age_years, max_age_years
    from {{ ref('ref_diagnosis_demographics') }}
),

matched as (
    select settlements.*, demographics.*,
        {{ age_in_years('settlements.birth_date', 'settlements.visit_start_date') }} as age_years
    from settlements
    join demographics
        on substr(settlements.diagnosis_code, 1, length(demographics.icd10_prefix))
            = demographics.icd10_prefix
),

mismatched as (
    select matched.*,
        row_number() over (
            partition by settlement_id order by length(icd10_prefix) desc, icd10_prefix
        ) as specificity
    from matched
    where (allowed_sex_code in ('1', '2') and sex_code is not null
            and sex_code <> allowed_sex_code)
        or age_years < min_age_years
        or age_years > max_age_years
)

select
    delivery_month,
    'demographic_mismatch' as rule_id,
    person_cluster_id,
    insured_county_code,
    institution_code,
    settlement_id,
    cast(null as string) as related_settlement_id,
    visit_start_date,
    'diagnosis ' || diagnosis_code || ' (' || condition_name || ') for a '
        || case sex_code when '1' then 'male' when '2' then 'female' else 'person' end
        || ' aged ' || cast(age_years as string) as evidence,
    cast(1 as decimal(6, 4)) as score,
    source_file,
    source_row_number
from mismatched
where specificity = 1
