import type { Migration } from '../store/migrations'

/** Provisioning profiles (versions 50–59); main/core/database.ts gathers them. */
export const PROFILE_MIGRATIONS: Migration[] = [
  {
    version: 50,
    name: 'profiles: definitions with versions, runs per device with per-step outcomes, marks',
    up(db) {
      db.exec(`
        CREATE TABLE profiles (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL COLLATE NOCASE UNIQUE,
          enabled INTEGER NOT NULL,
          version INTEGER NOT NULL,
          definition TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );

        -- Every saved version, so a run always shows what it applied.
        CREATE TABLE profile_versions (
          profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
          version INTEGER NOT NULL,
          definition TEXT NOT NULL,
          saved_at INTEGER NOT NULL,
          PRIMARY KEY (profile_id, version)
        ) WITHOUT ROWID;

        -- A run outlives its profile (profile_id is cleared, the name stays).
        CREATE TABLE profile_runs (
          id TEXT PRIMARY KEY,
          profile_id TEXT REFERENCES profiles (id) ON DELETE SET NULL,
          profile_name TEXT NOT NULL,
          profile_version INTEGER NOT NULL,
          serial TEXT NOT NULL,
          trigger TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
          started_at INTEGER NOT NULL,
          ended_at INTEGER,
          steps TEXT NOT NULL
        );
        CREATE INDEX profile_runs_serial ON profile_runs (serial, started_at);
        CREATE INDEX profile_runs_profile ON profile_runs (profile_id, started_at);

        -- What a profile put on a device that the device cannot tell back (a restored configuration
        -- file's sha256), so the step is known to hold on the next run.
        CREATE TABLE profile_marks (
          serial TEXT NOT NULL,
          mark TEXT NOT NULL,
          value TEXT NOT NULL,
          at INTEGER NOT NULL,
          PRIMARY KEY (serial, mark)
        ) WITHOUT ROWID;
      `)
    },
  },
]
