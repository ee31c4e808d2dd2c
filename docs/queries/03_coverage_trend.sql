-- question: How has each province's coverage of the poor moved month by month?
-- 问题：各省困难人员参保率逐月变化
-- answers: 桂医保发〔2019〕14号 一、(二) 建立月通报制度
select delivery_month, region_code as province_code, region_name as province_name,
       eligible_count, enrolled_count, round(100 * coverage_rate, 2) as coverage_percent,
       round(100 * (coverage_rate - lag(coverage_rate) over (
           partition by region_code order by delivery_month)), 2) as change_points
from marts.fct_coverage_monthly
where region_level = 'province' and population_category = 'all_poor'
order by region_code, delivery_month
