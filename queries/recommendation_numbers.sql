-- The number of every recommendation the store holds (what an action may follow).
-- Grain: recommendation. Params: none.
select number
from recommendation
order by number;
