-- The payments list (GET /api/settlement/payments) is paged newest first: these indexes give its order, so a
-- page is read from the top of an index instead of sorting every payment; one account's payments (a partner's,
-- or the desk's filter) are found account first.
create index settlement_payments_newest on settlement_payments (as_of desc, batch_id desc, account_id, claim_id);
create index settlement_payments_account_newest
  on settlement_payments (account_id, as_of desc, batch_id desc, claim_id);
