-- The measure catalogue as loaded: every measure with its definition, unit and source.
-- Grain: measure. Params: none.
select code, label, category, unit, kind, aggregation, higher_is_better, numerator, denominator,
       definition, source
from measure
order by display_order;
