-- Sign-in to the web interface (issue 7): a password per account (PBKDF2-SHA256, self-describing string; null means
-- the account signs in with API keys only), and the lockout counters.
ALTER TABLE accounts ADD COLUMN password_hash TEXT;
ALTER TABLE accounts ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
