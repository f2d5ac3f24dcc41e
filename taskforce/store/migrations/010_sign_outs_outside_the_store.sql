-- Version 10: sign-outs move out of the store, into a list of their own beside it (store/sign_outs.py), so that
-- a sign-out publishes no snapshot and no restore of the data brings a signed-out sign-in back. The rows this
-- table held were appended to that list just before this step (schema.BEFORE_SQL).

drop table if exists signed_out;
