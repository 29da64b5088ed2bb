-- The account's sales owner (a user's e-mail address): payment delays are escalated to them as tasks.
alter table accounts add column sales_owner text;
