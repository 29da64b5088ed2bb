-- A settlement run's files reach its folder only after its transaction commits, exported from the files kept
-- with the batch (payment_batch_files). A run killed after its commit but before its export leaves its
-- batches unexported; the next run exports them, into the folder they were made for.

-- The folder the batch's files are exported to (the run's --out).
alter table payment_batches add column export_dir text;
-- When its files were written to export_dir; null while they have not been (yet).
alter table payment_batches add column exported_at timestamptz;

-- Batches from before this step had their files written by their run.
update payment_batches set exported_at = created_at;

create index payment_batches_unexported on payment_batches (batch_id) where exported_at is null;
