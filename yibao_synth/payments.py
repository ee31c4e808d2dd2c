"""The tax bureau's premium payments: the whole period's plan, then one month at a time.

Residents pay next year's personal premium in the collection season (September to December). The
medical-assistance fund pays the subsidy of people who hold a category on the payment date; the
highest amount applies (就高, S5.2.1), and in Wenzhou a category counts from the month after it
starts (次月生效, W). About 1% of payments are voided a month later (冲红: a row with the
same ticket, 作废标志 = 1 and negative amounts) and paid again under a new ticket.
"""

from __future__ import annotations

import duckdb

from .delivered import as_read
from .world import BIG, World

# Personal premium per insured year (A1.2; 医保发〔2020〕24号 and its neighbours).
PREMIUM = {2019: 250, 2020: 280, 2021: 320, 2022: 350}
# Subsidy rules the generator follows: (region prefix, category, kind, value); the most specific
# region wins. Issue 7 checks payments against the same parameters kept as seeds.
SUBSIDY_RULES = (
    ("", "特困人员", "ratio", 1.0),
    ("", "低保对象", "ratio", 0.8),
    ("", "建档立卡贫困人口", "ratio", 0.8),
    ("3401", "低保对象", "ratio", 0.9),
    ("3401", "建档立卡贫困人口", "ratio", 0.9),
    ("530521", "低保对象", "fixed", 120.0),
    ("530521", "建档立卡贫困人口", "fixed", 180.0),
)
# A new subsidy counts from the month after its category starts (温州: 次月生效, W).
START_LAG_MONTHS = (("3303", 1),)
# Equal subsidies: the order the categories are named in (特困, 低保, 建档立卡).
PRIORITY = ("特困人员", "低保对象", "建档立卡贫困人口")
SEASON = {9: 0.10, 10: 0.30, 11: 0.35, 12: 0.25}
VOID_RATE = 0.01


def _lag_months(county: str) -> str:
    whens = " ".join(f"when starts_with({county}, '{r}') then {n}" for r, n in START_LAG_MONTHS)
    return f"(case {whens} else 0 end)::integer"


def _priority(category: str) -> str:
    whens = " ".join(f"when '{c}' then {i}" for i, c in enumerate(PRIORITY))
    return f"case {category} {whens} end"


def build_payment_plan(con: duckdb.DuckDBPyConnection, world: World) -> None:
    """Create ``payment_plan``: one row per payment or void, with the month it is booked."""
    first = world.months[0]
    years = sorted({int(m[:4]) + 1 for m in world.months if int(m[5:]) >= 9})
    con.execute(
        "create or replace table payment_plan (person_uid bigint, insured_year int, "
        "pay_m int, pay_date date, county_code varchar, void_flag varchar, ticket varchar, "
        "category varchar, due decimal(10,2), subsidy decimal(10,2))"
    )
    rules = " union all ".join(
        f"select '{r}' as region, '{c}' as category, '{k}' as kind, {v} as value"
        for r, c, k, v in SUBSIDY_RULES
    )
    cumulative, bounds = 0.0, []
    for month, share in SEASON.items():
        cumulative += share
        bounds.append(f"when d < {cumulative:.4f} then {month}")
    pick_month = "case " + " ".join(bounds) + " else 12 end"
    for year in years:
        jan = (year - int(first[:4])) * 12 + 1 - int(first[5:])
        premium = PREMIUM.get(year, PREMIUM[max(PREMIUM)])
        con.execute(f"""
            insert into payment_plan
            with payers as (
                select e.person_uid, e.admdvs::varchar as county_code, p.birth
                from enrolment_spec e join persons p using (person_uid)
                where e.insutype = '390' and e.psn_seq = 0 and e.from_m <= {jan}
                  and {jan} < e.to_m and e.stop_m > {jan} and p.status_m = {BIG}
                union all
                select x.person_uid, p.county_code, p.birth
                from extra_payers x join people p using (person_uid)
            ), timed as (
                select person_uid, county_code, birth,
                    hash(person_uid, {year}, 'season') % 10000 / 10000.0 as d,
                    hash(person_uid, {year}, 'day') % 28 as day
                from payers
            ), dated as (
                select person_uid, county_code, birth,
                    make_date({year - 1}, {pick_month}, 1 + day::integer) as pay_date
                from timed
            ), placed as (
                select *, (year(pay_date) - {int(first[:4])}) * 12 + month(pay_date)
                    - {int(first[5:])} as pay_m
                from dated
            ), held as (  -- as the civil roster's dates are read: to the month if so spelled
                select pl.person_uid, pl.pay_date, pl.county_code,
                    case ms.category when '特困供养' then '特困人员' else '低保对象' end
                        as category
                from placed pl join memberships ms using (person_uid)
                join persons dice using (person_uid)
                where ms.category in ('特困供养', '城乡低保')
                  and {as_read("ms.start_date", "dice.u")} <= pl.pay_date and not ms.paused
                  and (ms.stop_date is null
                       or {as_read("ms.stop_date", "dice.u")} > pl.pay_date)
                  and date_trunc('month', ms.start_date) + to_months(
                        {_lag_months("pl.county_code")}) <= pl.pay_date
                union all
                select pl.person_uid, pl.pay_date, pl.county_code, '建档立卡贫困人口'
                from placed pl join persons p using (person_uid)
                join households h using (household)
                where h.poor and h.hh_from <= pl.pay_m
            ), rules as ({rules}), priced as (
                select held.person_uid, held.category,
                    (select r.kind || ':' || r.value from rules r
                     where r.category = held.category
                       and starts_with(held.county_code, r.region)
                     order by length(r.region) desc limit 1) as rule
                from held
            ), amounts as (
                select person_uid, category, rule,
                    case when rule is null then 0
                         when starts_with(rule, 'ratio')
                         then round({premium} * split_part(rule, ':', 2)::double, 2)
                         else split_part(rule, ':', 2)::double end as amount
                from priced
            ), highest as (  -- 就高: the highest subsidy of the categories held (S5.2.1)
                select person_uid, category, amount from amounts
                qualify row_number() over (
                    partition by person_uid
                    order by amount desc, {_priority("category")}) = 1
            ), categorised as (
                select pl.*, h.category, coalesce(h.amount, 0) as subsidy
                from placed pl left join highest h using (person_uid)
                where pl.pay_m >= 0 and pl.pay_m < {world.n_months} and pl.birth <= pl.pay_date
            )
            select person_uid, {year}, pay_m, pay_date, county_code, '0',
                county_code || strftime(pay_date, '%Y%m') || lpad(
                    row_number() over (
                        partition by county_code, pay_m order by person_uid
                    )::varchar, 7, '0'),
                category, {premium}, subsidy
            from categorised
        """)
    # voids a month later, each with its re-payment under a new ticket; the re-payment keeps
    # the original's subsidy, so only where the categories held do not change in between
    con.execute(f"""
        create or replace temp table voided as
        select * from payment_plan pp
        where hash(person_uid, insured_year, 'void') % 10000 < {int(VOID_RATE * 10000)}
          and pay_m + 1 < {world.n_months}
          and not exists (
              select 1 from memberships ms
              where ms.person_uid = pp.person_uid
                and ms.category in ('特困供养', '城乡低保')
                and (ms.start_date between pp.pay_date - interval 62 day
                                       and pp.pay_date + interval 62 day
                     or ms.stop_date between pp.pay_date - interval 62 day
                                         and pp.pay_date + interval 62 day))
          and not exists (
              select 1 from persons p join households h using (household)
              where p.person_uid = pp.person_uid and h.poor
                and h.hh_from between pp.pay_m - 1 and pp.pay_m + 2)
    """)
    con.execute("""
        insert into payment_plan
        select person_uid, insured_year, pay_m + 1, (pay_date + interval 30 day)::date,
            county_code, '1', ticket, category, -due, -subsidy from voided;
        insert into payment_plan
        select person_uid, insured_year, pay_m + 1, (pay_date + interval 31 day)::date,
            county_code, '0', ticket || 'R', category, due, subsidy from voided;
    """)


# Injected subsidy violations (issue 7): kind → share of the candidate payments, at least one.
SUBSIDY_FAULTS = {
    "under_subsidised": 0.004,
    "over_subsidised": 0.004,
    "subsidised_without_category": 0.001,
    "subsidised_twice": 0.001,
    "void_not_refunded": 0.05,
}


def inject_subsidy_faults(con: duckdb.DuckDBPyConnection) -> None:
    """Mark and apply the injected violations in ``payment_plan.subsidy_fault``. Candidates are
    standing payments of people whose payment was not voided that year (and voids, for
    void_not_refunded); a subsidy 20 yuan short or over, a subsidy 80% of the premium for
    someone who holds no category, a second subsidised payment the same day under a new
    ticket, a void that gives back 10 yuan less than was paid (only a void of a payment of at
    least 10 yuan: one of a fully subsidised payment would turn into a positive void, which
    the staging gate rightly refuses as a broken delivery, not a rule finding)."""
    con.execute("alter table payment_plan add column subsidy_fault varchar")
    standing = """void_flag = '0' and not ends_with(ticket, 'R')
        and (person_uid, insured_year) not in (select person_uid, insured_year from voided)
        and person_uid not in (select person_uid from extra_payers)"""
    candidates = {
        "under_subsidised": f"{standing} and subsidy >= 20",
        "over_subsidised": f"{standing} and subsidy > 0 and subsidy + 20 <= due",
        "subsidised_without_category": f"{standing} and subsidy = 0 and category is null",
        "subsidised_twice": f"{standing} and subsidy > 0",
        "void_not_refunded": "void_flag = '1' and due - subsidy <= -10",
    }
    for kind, where in candidates.items():
        con.execute(f"""
            update payment_plan set subsidy_fault = '{kind}'
            where (ticket, void_flag) in (
                select ticket, void_flag from (
                    select ticket, void_flag, count(*) over () as n, row_number() over (
                        order by hash(person_uid, insured_year, ticket, '{kind}')) as r
                    from payment_plan where {where} and subsidy_fault is null)
                where r <= greatest(1, round(n * {SUBSIDY_FAULTS[kind]})))
        """)
    con.execute("""
        update payment_plan set subsidy = subsidy - 20 where subsidy_fault = 'under_subsidised';
        update payment_plan set subsidy = subsidy + 20 where subsidy_fault = 'over_subsidised';
        update payment_plan set subsidy = round(due * 0.8, 2), category = '低保对象'
            where subsidy_fault = 'subsidised_without_category';
        update payment_plan set due = due + 10 where subsidy_fault = 'void_not_refunded';
        insert into payment_plan
            select person_uid, insured_year, pay_m, pay_date, county_code, void_flag,
                ticket || 'D', category, due, subsidy, subsidy_fault
            from payment_plan where subsidy_fault = 'subsidised_twice';
        update payment_plan set subsidy_fault = null
            where subsidy_fault = 'subsidised_twice' and not ends_with(ticket, 'D');
    """)
