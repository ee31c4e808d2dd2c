-- question: Where were premium subsidies paid other than the rules say, and by how much?
-- 问题：各区县资助参保不符合规定的笔数和差额（元）
-- answers: 皖医保发〔2020〕15号 一、(三)；施甸县医保扶贫“总攻战”工作方案 五、(二)1.
select c.county_code, r.region_name as county_name, c.finding_category,
       count(*) as payments, sum(c.difference_yuan) as difference_yuan,
       sum(abs(c.difference_yuan)) as yuan_at_stake
from marts.fct_premium_subsidy_check as c
left join marts.dim_region as r on r.region_code = c.county_code
where c.finding_category is not null
group by all
order by yuan_at_stake desc, c.county_code, c.finding_category
