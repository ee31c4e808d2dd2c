{#- Every reconciliation finding of every month, per person cluster: the union of the rule
    families (int_findings__coverage, __flags, __register). fct_reconciliation_finding
    publishes it under person_key; the poverty office's exchange file reads it. Restricted.
    The columns are named (macros/union_by_name.sql). -#}
{%- set families = ['coverage', 'flags', 'register'] %}
{%- set columns = ['person_cluster_id', 'delivery_month', 'finding_category', 'finding_detail',
    'evidence_department', 'evidence_file', 'evidence_row_number', 'county_code',
    'township_name', 'village_name'] %}
{{ union_by_name('int_findings__', families, columns) }}
