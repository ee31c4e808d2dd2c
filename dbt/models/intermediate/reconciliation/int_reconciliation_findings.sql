{#- Every reconciliation finding of every month, per person cluster: the union of the rule
    families (int_findings__coverage, __flags, __register). fct_reconciliation_finding
    publishes it under person_key; the poverty office's exchange file reads it. Restricted. -#}
select * from {{ ref('int_findings__coverage') }}
union all
select * from {{ ref('int_findings__flags') }}
union all
select * from {{ ref('int_findings__register') }}
