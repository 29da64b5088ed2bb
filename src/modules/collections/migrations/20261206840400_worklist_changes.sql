-- The collector's worklist sums every past-due item of every account, like the aging: a server keeps it
-- (src/db/kept-answers.ts) while nothing it was read from has changed. Besides the receivables tables (which
-- already leave a row in receivable_changes), it reads promises, activities and e-mails.
create trigger promises_receivable_changes after insert or update or delete or truncate on promises
  for each statement execute function receivable_inputs_changed();
create trigger activities_receivable_changes after insert or update or delete or truncate on activities
  for each statement execute function receivable_inputs_changed();
create trigger emails_receivable_changes after insert or update or delete or truncate on emails
  for each statement execute function receivable_inputs_changed();
