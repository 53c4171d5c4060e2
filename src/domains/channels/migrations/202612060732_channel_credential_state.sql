-- The health panel's "token state": what a provider last said of the channel's credentials. Test
-- connection sets the time (and clears the problem when they work); a send or a test the provider
-- refuses as unauthorised sets the problem (token_invalid, token_expired); new credentials clear it.
alter table channels add column credentials_checked_at timestamptz;
alter table channels add column credentials_problem text;
