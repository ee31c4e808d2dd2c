-- question: Which monitoring indicators swung past their alert threshold this month?
-- 问题：本月超过预警阈值的运行监测指标
-- answers: 施甸县医保扶贫“总攻战”工作方案 六、(二) 建立运行预警机制
select region_level, region_code, region_name, indicator, previous_value, indicator_value,
       relative_change, absolute_change, threshold
from marts.fct_monitoring_alert
where delivery_month = (select max(delivery_month) from marts.fct_monitoring_alert)
  and population_category = 'all_insured'
order by region_level, region_code, indicator
