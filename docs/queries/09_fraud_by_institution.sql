-- question: Which designated institutions have the most fraud flags, and under which rules?
-- 问题：欺诈骗保线索最多的定点医疗机构及涉及规则
-- answers: 施甸县医保扶贫“总攻战”工作方案 九、(二)；合医保发〔2020〕33号 三、10.
select institution_code, county_code, count(*) as flags,
       count(distinct person_key) as persons,
       string_agg(distinct rule_name, '、' order by rule_name) as rules
from marts.fct_fraud_flag
where institution_code is not null
group by all
order by flags desc, institution_code
limit 20
