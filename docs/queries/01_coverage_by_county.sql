-- question: Which counties have the lowest coverage of the poor this month?
-- 问题：本月各区县困难人员参保率（从低到高）
-- answers: 桂医保发〔2019〕14号 一、(一) 确保建档立卡贫困人口100%参加基本医疗保险
select c.region_code as county_code, c.region_name as county_name,
       c.eligible_count, c.enrolled_count, c.not_enrolled_count,
       round(100 * c.coverage_rate, 2) as coverage_percent
from marts.fct_coverage_monthly as c
where c.delivery_month = (select max(delivery_month) from marts.fct_coverage_monthly)
  and c.region_level = 'county'
  and c.population_category = 'all_poor'
order by c.coverage_rate, c.region_code
