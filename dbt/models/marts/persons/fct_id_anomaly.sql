{#- ID number anomalies (身份证号码异常), one row per anomaly and record, under person_key. The
    delivered ID itself stays in the restricted database (int_id_anomalies). -#}
with anomalies as (
    select * from {{ ref('int_id_anomalies') }}
),

record_persons as (
    select source_file, source_row_number, person_key from {{ ref('fct_person_link') }}
)

select
    anomalies.delivery_month,
    anomalies.anomaly_kind,
    anomalies.department,
    anomalies.source_kind,
    anomalies.source_file,
    anomalies.source_row_number,
    record_persons.person_key
from anomalies
join record_persons
    on anomalies.source_file = record_persons.source_file
    and anomalies.source_row_number = record_persons.source_row_number
