-- Weeks that have any returns, newest first, with how many organisations have reported so far.
-- Grain: week_ending. Params: none.
select r.week_ending,
       count(distinct r.org_code) as returns_received,
       (select count(*) from org where expected_to_return) as returns_expected
from org_week_value r
group by r.week_ending
order by r.week_ending desc;
