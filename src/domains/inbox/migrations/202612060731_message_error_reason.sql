-- Why an outbound message failed, as a stable code the console translates (the ChannelError's
-- reason: token_invalid, recipient_blocked, outside_reply_window, rate_limited, …); last_error
-- keeps the provider's own words.
alter table messages add column last_error_reason text;
