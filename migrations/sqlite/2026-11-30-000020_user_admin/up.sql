-- An administrator can disable an account: its tokens stop working at once
-- and it cannot sign in until enabled again.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;
