with source as (
    select * from {{ source('raw', 'raw_enrolment') }}
),

renamed as (
    select
        {{ provenance() }},
        psn_no as person_number,
        psn_cert_type as certificate_type,
        certno as id_number_raw,
        {{ normalise_id('certno') }} as id_number,
        trim(psn_name) as person_name,
        gend as sex_code,
        {{ parse_cn_date('brdy') }} as birth_date,
        insutype as insurance_type,
        psn_insu_stas as enrolment_status,
        {{ parse_cn_date('psn_insu_date') }} as enrolment_date,
        {{ parse_cn_date('paus_insu_date') }} as suspension_date,
        insuplc_admdvs as insured_region_code,
        stop_rsn as stop_reason
    from source
)

select * from renamed
