-- Row security on the receivables tables, reading the caller's scope once per query instead of once per
-- row: the same rule as clearhouse_visible(account_id) ('*' sees everything, '' or unset nothing, otherwise
-- the listed accounts), written with scalar subqueries that PostgreSQL evaluates once (InitPlans). The aging
-- reads every open item; calling the function for each of a million rows cost a tenth of its time.
alter policy ar_documents_scope on ar_documents using (
  (select coalesce(current_setting('clearhouse.scope', true), '') = '*')
  or account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[])
);
alter policy ar_payments_scope on ar_payments using (
  (select coalesce(current_setting('clearhouse.scope', true), '') = '*')
  or account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[])
);
alter policy ar_applications_scope on ar_applications using (
  (select coalesce(current_setting('clearhouse.scope', true), '') = '*')
  or account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[])
);
alter policy ar_application_entries_scope on ar_application_entries using (
  (select coalesce(current_setting('clearhouse.scope', true), '') = '*')
  or account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[])
);
