{#- Schemas are named as configured (staging, intermediate, marts), not prefixed by the target
    schema: the restricted and analyst databases each have one set of them. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
