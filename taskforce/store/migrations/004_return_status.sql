-- Version 4: one rule for whether a weekly return was on time, which every query of receipts selects from.
-- A return is due by the end of the Tuesday after the week ends (the week ending plus two days): on time when
-- its first upload arrived before Wednesday began. A resubmission keeps the time of the first receipt.
-- Organisations with no row here have not returned that week: the queries call them 'Missing'.

drop view if exists return_receipt;

create or replace view return_status as
    select r.week_ending, r.org_code, r.first_received_at, r.last_received_at, r.uploads,
           r.uploads > 1 as resubmitted,
           case when r.first_received_at < r.week_ending + interval 3 day then 'On time' else 'Late' end
               as receipt_status
    from org_week_receipt r;
