-- question: Who among the poor became not insured this month, by county and village?
-- 问题：本月新增的困难人员未参保名单（按区县、村）
-- answers: 施甸县医保扶贫“总攻战”工作方案 五、(一)2. 横向比对
select f.county_code, r.region_name as county_name, f.township_name, f.village_name,
       f.person_key, f.finding_detail, f.suggested_action_zh
from marts.fct_reconciliation_finding as f
left join marts.dim_region as r on r.region_code = f.county_code
where f.delivery_month = (select max(delivery_month) from marts.fct_reconciliation_finding)
  and f.finding_category = 'poor_not_enrolled'
  and f.status = 'new'
order by f.county_code, f.township_name, f.village_name, f.person_key
