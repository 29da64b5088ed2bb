-- SLA alerts are e-mailed once: the run that records an alert queues its notifications (the rebate analyst,
-- managers on escalation, the partner's claims contact when the claim waits for the partner) and marks the
-- alert notified with the e-mails it queued. Alerts recorded before notifications existed count as notified.
alter table claim_sla_alerts
  add column notified_at timestamptz,
  add column email_ids uuid[] not null default '{}',
  add column notify_note text;
update claim_sla_alerts set notified_at = created_at, notify_note = 'recorded before e-mail notifications';
create index claim_sla_alerts_unnotified on claim_sla_alerts (created_at) where notified_at is null;
