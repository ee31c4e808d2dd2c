with source as (
    select * from {{ source('raw', 'raw_settlements') }}
),

renamed as (
    select
        {{ provenance() }},
        setl_id as settlement_id,
        refd_setl_flag = '1' as is_reversal,
        mdtrt_id as visit_id,
        psn_no as person_number,
        certno as id_number_raw,
        {{ normalise_id('certno') }} as id_number,
        trim(psn_name) as person_name,
        insutype as insurance_type,
        fixmedins_code as institution_code,
        med_type as medical_type,
        {{ parse_cn_date('begndate') }} as visit_start_date,
        {{ parse_cn_date('enddate') }} as visit_end_date,
        {{ parse_timestamp('setl_time') }} as settled_at,
        dise_codg as diagnosis_code,
        dise_name as diagnosis_name,
        mdtrtarea_admvs as care_region_code,
        cast(medfee_sumamt as decimal(14, 2)) as total_cost,
        cast(fulamt_ownpay_amt as decimal(14, 2)) as fully_self_paid,
        cast(overlmt_selfpay as decimal(14, 2)) as over_limit_self_paid,
        cast(preselfpay_amt as decimal(14, 2)) as pre_self_paid,
        cast(inscp_scp_amt as decimal(14, 2)) as policy_range_cost,
        cast(hifp_pay as decimal(14, 2)) as basic_fund_paid,
        cast(cvlserv_pay as decimal(14, 2)) as civil_servant_subsidy_paid,
        cast(hifes_pay as decimal(14, 2)) as enterprise_supplementary_paid,
        cast(hifmi_pay as decimal(14, 2)) as critical_illness_paid,
        cast(hifob_pay as decimal(14, 2)) as employee_large_amount_paid,
        cast(maf_pay as decimal(14, 2)) as medical_assistance_paid,
        cast(oth_pay as decimal(14, 2)) as safety_net_paid,
        cast(fund_pay_sumamt as decimal(14, 2)) as fund_paid_total,
        cast(psn_part_amt as decimal(14, 2)) as out_of_pocket,
        cast(acct_pay as decimal(14, 2)) as account_paid,
        cast(psn_cash_pay as decimal(14, 2)) as cash_paid,
        cast(hosp_part_amt as decimal(14, 2)) as hospital_borne,
        onestop_flag = '1' as is_one_stop
    from source
)

select * from renamed
