{#- person_key: HMAC-SHA256 (RFC 2104) of a canonical ID number, truncated to its first 128
    bits (32 lower-case hex characters, as RFC 4868's HMAC-SHA-256-128). A collision among 60
    million persons has a probability near 2^-77, and the key is half the storage of the full
    digest: it is most of the analyst warehouse's bytes (fct_person_link carries it on every
    record). HMAC(K, m) = H((K xor opad) || H((K xor ipad) || m)). The padded keys come from
    the environment (yibao.pseudonym.export_for_dbt computes them from YIBAO_PSEUDONYM_SECRET);
    the defaults are those of the public development secret. -#}
{% macro person_key(id_expr) -%}
    {%- set ipad = env_var('YIBAO_PSEUDONYM_IPAD_HEX', '4f5f5457591b525340535a59465b5358421b4553554453421b5859421b5059441b464459524355425f5958363636363636363636363636363636363636363636') -%}
    {%- set opad = env_var('YIBAO_PSEUDONYM_OPAD_HEX', '25353e3d337138392a3930332c31393228712f393f2e392871323328713a332e712c2e3338293f283533325c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c') -%}
    {%- set digest = adapter.dispatch('hmac_sha256_hex', 'yibao')(id_expr, ipad, opad) -%}
    {{ return('substr(' ~ digest ~ ', 1, 32)') }}
{%- endmacro %}

{% macro default__hmac_sha256_hex(message, ipad, opad) -%}
    lower(sha256(unhex('{{ opad }}') || unhex(sha256(unhex('{{ ipad }}') || encode({{ message }})))))
{%- endmacro %}

{% macro spark__hmac_sha256_hex(message, ipad, opad) -%}
    lower(sha2(concat(unhex('{{ opad }}'),
                      unhex(sha2(concat(unhex('{{ ipad }}'), encode({{ message }}, 'UTF-8')), 256))),
               256))
{%- endmacro %}
