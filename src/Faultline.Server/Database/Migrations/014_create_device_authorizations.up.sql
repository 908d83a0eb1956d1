-- The device flow (RFC 8628) that the server proxies to GitHub: one row per device_code handed
-- out by POST /api/v1/auth/device/start, so that any instance can enforce the polling interval
-- (slow_down, +5 s each time) and the expiry. Only the SHA-256 of the device code is kept.
CREATE TABLE device_authorizations (
  device_code_hash BYTEA PRIMARY KEY,
  interval_seconds INTEGER NOT NULL,
  next_poll_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_device_authorizations_expires_at ON device_authorizations(expires_at);
