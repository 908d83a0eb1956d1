DROP TABLE session_refresh_tokens;
DROP TABLE sessions;
