{#- Every reconciliation finding of every month, per person cluster: the union of the rule
    families (int_findings__coverage, __flags, __register). fct_reconciliation_finding
    publishes it under person_key; the poverty office's exchange file reads it. Restricted.
    The columns are named, not `select *`: a union matches columns by position, and on Spark an
    incremental model's partition column (delivery_month) comes last. -#}
{%- set families = ['coverage', 'flags', 'register'] %}
{%- set columns = ['person_cluster_id', 'delivery_month', 'finding_category', 'finding_detail',
    'evidence_department', 'evidence_file', 'evidence_row_number', 'county_code',
    'township_name', 'village_name'] %}
{%- for family in families %}
select {{ columns | join(', ') }}
from {{ ref('int_findings__' ~ family) }}
{{ 'union all' if not loop.last }}
{%- endfor %}
