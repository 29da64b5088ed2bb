-- A partner sees a program's name on its claims while it is enrolled (program_visible() reads
-- program_partners): a change of enrolment is a change for the kept claim answers too.
create trigger program_partners_claim_changes after insert or update or delete or truncate on program_partners
  for each statement execute function claim_inputs_changed();
