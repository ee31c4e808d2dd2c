-- question: Where do the province, city and county reports disagree with each other or with the warehouse?
-- 问题：纵向比对中省、市、县上报数与逐县汇总或本库计算不一致的项
-- answers: 施甸县医保扶贫“总攻战”工作方案 五、(一)3. 纵向比对（每月15日）
select delivery_month, report_level, region_code, summary_category, measure,
       reported_value, counties_value, warehouse_value, finding_detail, source_file
from marts.fct_vertical_consistency
where not agrees_with_counties or not agrees_with_warehouse
order by delivery_month desc, report_level, region_code, measure
