{#- ID number anomalies (身份证号码异常), one row per anomaly and record, under person_key. The
    delivered ID itself stays in the restricted database (int_id_anomalies). -#}
with anomalies as (
    select * from {{ ref('int_id_anomalies') }}
),

links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
),

persons as (
    select person_cluster_id, person_key from {{ ref('int_persons') }}
)

select
    anomalies.delivery_month,
    anomalies.anomaly_kind,
    anomalies.department,
    anomalies.source_kind,
    anomalies.source_file,
    anomalies.source_row_number,
    persons.person_key
from anomalies
join links
    on anomalies.source_file = links.source_file
    and anomalies.source_row_number = links.source_row_number
join persons on links.person_cluster_id = persons.person_cluster_id
