-- question: How many people are at risk of falling (back) into poverty through medical costs, by county?
-- 问题：各区县因病致贫返贫预警人数及12个月个人负担中位数
-- answers: 施甸县医保扶贫“总攻战”工作方案 九、(三) 探索建立返贫监测预警机制
select w.delivery_month, w.insured_county_code as county_code, r.region_name as county_name,
       w.warning_kind, count(*) as persons,
       median(w.out_of_pocket_12_months) as median_out_of_pocket_12_months
from marts.fct_poverty_risk_warning as w
left join marts.dim_region as r on r.region_code = w.insured_county_code
group by all
order by w.delivery_month desc, persons desc, county_code, w.warning_kind
