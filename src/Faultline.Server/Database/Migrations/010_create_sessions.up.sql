-- Sign-in sessions of the CLI, editors and dashboard. Only SHA-256 hashes of the tokens are kept,
-- so a leaked table holds nothing that signs anyone in. Each rotated refresh token stays on record
-- until the session expires: presenting one again means it was stolen, and revokes the session.
CREATE TABLE sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind VARCHAR(20) NOT NULL, -- 'device', 'local', 'browser'
  access_token_hash BYTEA UNIQUE,
  access_expires_at TIMESTAMPTZ,
  refresh_expires_at TIMESTAMPTZ NOT NULL,
  github_token_protected TEXT, -- GitHub's token, encrypted with ASP.NET Core Data Protection
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_used_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  revoked_at TIMESTAMPTZ
);

CREATE INDEX idx_sessions_user_id ON sessions(user_id);

CREATE TABLE session_refresh_tokens (
  token_hash BYTEA PRIMARY KEY,
  session_id UUID NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  rotated_at TIMESTAMPTZ -- set when exchanged for a new pair; presenting it again revokes the session
);

CREATE INDEX idx_session_refresh_tokens_session_id ON session_refresh_tokens(session_id);
