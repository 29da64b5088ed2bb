-- Correspondence: bounces (a permanent refusal by the mail server, or a delivery status notification that
-- came back later), resends (a new e-mail copying an earlier one, which keeps its own history), and the item
-- an e-mail is about, so that the item's timeline shows it.
alter table emails drop constraint emails_status_check;
alter table emails add constraint emails_status_check check (status in ('queued', 'sent', 'failed', 'bounced'));
alter table emails add column document_id text;
alter table emails add column resend_of uuid;
alter table emails add column bounced_at timestamptz;
alter table emails add column bounce_reason text;
create index emails_document on emails (document_id) where document_id is not null;
