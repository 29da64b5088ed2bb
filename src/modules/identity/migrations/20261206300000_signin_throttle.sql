-- Sign-in throttling counted atomically: one row per e-mail and per IP address with the failures of its
-- current window. A sign-in takes its place with one upsert before the password is checked, so parallel
-- attempts can never all be checked; a successful sign-in or an administrator's password reset clears the
-- e-mail's row. signin_attempts stays as the log of attempts.
create table signin_throttle (
  key text primary key,
  failures integer not null,
  window_started_at timestamptz not null
);
