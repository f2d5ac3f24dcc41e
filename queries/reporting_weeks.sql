-- Weeks that have any returns, newest first: how many organisations owe a return, how many complete returns
-- (every reported measure) are in so far, and how many partial ones.
-- Grain: week_ending. Params: none.
select s.week_ending,
       count(*) filter (where s.complete) as returns_complete,
       count(*) filter (where not s.complete) as returns_partial,
       (select count(*) from org where expected_to_return) as returns_expected
from return_status s
join org o on o.code = s.org_code and o.expected_to_return
group by s.week_ending
order by s.week_ending desc;
