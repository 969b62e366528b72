import type { Migration } from '../store/migrations'

/** Sync's own tables (versions 20–29). Appended to MIGRATIONS in main/core/store/migrations.ts. */
export const SYNC_MIGRATIONS: Migration[] = [
  {
    version: 20,
    name: 'sync: per-target cursors and acknowledgements ahead of the cursor',
    up(db) {
      db.exec(`
        -- Everything up to seq has been acknowledged by the target. Advanced only after the ack,
        -- in one transaction with sync_acked, so a restart resumes exactly where the acks stopped.
        CREATE TABLE sync_cursors (
          target TEXT PRIMARY KEY,
          seq INTEGER NOT NULL DEFAULT 0,
          last_success_at INTEGER,
          last_error TEXT,
          last_error_hint TEXT,
          last_error_at INTEGER
        );

        -- Messages acknowledged beyond the cursor (a pipelined batch where an earlier message
        -- failed): they are never sent again, whatever the server's duplicate window.
        CREATE TABLE sync_acked (
          target TEXT NOT NULL,
          seq INTEGER NOT NULL,
          part INTEGER NOT NULL,
          PRIMARY KEY (target, seq, part)
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 21,
    name: 'sync: quarantine for rows a target can never take',
    up(db) {
      db.exec(`
        -- A copy of each outbox row a target refused for good (larger than its max_payload), so
        -- it no longer blocks the rows after it, survives the outbox's retention, and can be
        -- retried once the server takes it. sent_parts: parts already acknowledged (JSON array).
        CREATE TABLE sync_quarantine (
          target TEXT NOT NULL,
          seq INTEGER NOT NULL,
          id TEXT NOT NULL,
          site TEXT NOT NULL,
          topic TEXT NOT NULL,
          key TEXT,
          payload TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          reason TEXT NOT NULL,
          hint TEXT NOT NULL,
          at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 1,
          sent_parts TEXT NOT NULL DEFAULT '[]',
          PRIMARY KEY (target, seq)
        ) WITHOUT ROWID;
      `)
    },
  },
]
