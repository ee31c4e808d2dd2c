-- question: Which benefit rules were underpaid or overpaid, by month, and by how much?
-- 问题：按月份和规则统计待遇少付、多付的结算笔数与金额
-- answers: 皖医保发〔2020〕15号 二、(二) 大病保险；温州实施方案政策解读 三是 医疗救助
select delivery_month, rule_id, finding_kind, count(*) as settlements,
       sum(difference_yuan) as difference_yuan, any_value(source_document) as source_document,
       any_value(source_article) as source_article
from marts.fct_benefit_check
where finding_kind is not null
group by all
order by delivery_month desc, abs(sum(difference_yuan)) desc
