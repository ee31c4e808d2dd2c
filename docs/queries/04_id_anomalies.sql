-- question: Which ID-number anomalies does each department deliver, and how many?
-- 问题：各部门身份证号码异常（重号、位数错误、校验位错误、15位旧号等）数量
-- answers: 施甸县医保扶贫“总攻战”工作方案 五、(一)2. 身份信息核对
select delivery_month, department, anomaly_kind, count(*) as records,
       count(distinct person_key) as persons
from marts.fct_id_anomaly
group by all
order by delivery_month desc, records desc, department, anomaly_kind
