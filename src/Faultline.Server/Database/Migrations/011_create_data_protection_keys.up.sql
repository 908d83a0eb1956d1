-- ASP.NET Core Data Protection's key ring, kept in PostgreSQL so that every server instance on
-- this database can read what another encrypted (GitHub tokens, the sign-in cookie).
CREATE TABLE data_protection_keys (
  id SERIAL PRIMARY KEY,
  friendly_name TEXT UNIQUE NOT NULL,
  xml TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
