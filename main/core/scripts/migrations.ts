import type { Migration } from '../store/migrations'

/** Scripts, runs and triggers (versions 10–19). Appended to MIGRATIONS in main/core/store/migrations.ts. */
export const SCRIPT_MIGRATIONS: Migration[] = [
  {
    version: 10,
    name: 'scripts: library with versions, runs with output, triggers',
    up(db) {
      db.exec(`
        CREATE TABLE scripts (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL COLLATE NOCASE UNIQUE,
          description TEXT NOT NULL DEFAULT '',
          source TEXT NOT NULL,
          limits TEXT NOT NULL DEFAULT '{}',
          version INTEGER NOT NULL,
          example INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );

        -- Every saved version, the current one included, so a run can always show what it ran.
        CREATE TABLE script_versions (
          script_id TEXT NOT NULL REFERENCES scripts (id) ON DELETE CASCADE,
          version INTEGER NOT NULL,
          name TEXT NOT NULL,
          description TEXT NOT NULL,
          source TEXT NOT NULL,
          limits TEXT NOT NULL,
          saved_at INTEGER NOT NULL,
          PRIMARY KEY (script_id, version)
        ) WITHOUT ROWID;

        -- A run outlives its script (script_id is cleared, the name stays).
        CREATE TABLE runs (
          id TEXT PRIMARY KEY,
          script_id TEXT REFERENCES scripts (id) ON DELETE SET NULL,
          script_name TEXT NOT NULL,
          script_version INTEGER,
          batch_id TEXT,
          targets TEXT NOT NULL DEFAULT '[]',
          serial TEXT,
          trigger TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'ok', 'error', 'killed', 'timeout')),
          limits TEXT NOT NULL,
          queued_at INTEGER NOT NULL,
          started_at INTEGER,
          ended_at INTEGER,
          output_bytes INTEGER NOT NULL DEFAULT 0,
          result TEXT,
          error TEXT,
          host_calls INTEGER NOT NULL DEFAULT 0,
          calls TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX runs_script ON runs (script_id, id);
        CREATE INDEX runs_serial ON runs (serial, id);
        CREATE INDEX runs_active ON runs (status) WHERE status IN ('queued', 'running');

        CREATE TABLE run_output (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          stream TEXT NOT NULL,
          level TEXT,
          text TEXT NOT NULL,
          PRIMARY KEY (run_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE triggers (
          id TEXT PRIMARY KEY,
          script_id TEXT NOT NULL REFERENCES scripts (id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('event', 'schedule')),
          enabled INTEGER NOT NULL DEFAULT 1,
          events TEXT NOT NULL DEFAULT '[]',
          device_filter TEXT NOT NULL DEFAULT '',
          every_seconds INTEGER,
          cron TEXT,
          target TEXT NOT NULL DEFAULT '{"kind":"none"}',
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          last_fired_at INTEGER
        );
        CREATE INDEX triggers_script ON triggers (script_id);
      `)
    },
  },
  {
    version: 11,
    name: 'scripts: which process runs each run, so another process on the same data leaves it alone',
    up(db) {
      db.exec(`
        ALTER TABLE runs ADD COLUMN owner TEXT;

        -- Processes running scripts on this database ("pid:instance"), with a heartbeat: a run
        -- left active is settled as interrupted at start unless its process is alive and beating.
        CREATE TABLE script_hosts (
          owner TEXT PRIMARY KEY,
          pid INTEGER NOT NULL,
          started_at INTEGER NOT NULL,
          seen_at INTEGER NOT NULL
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 12,
    name: 'scripts: environments, named sets of variables a run reads as env (secrets kept out of output)',
    up(db) {
      db.exec(`
        CREATE TABLE script_envs (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL COLLATE NOCASE UNIQUE,
          -- At most one: the environment of runs that name none (triggers, bench-acs run without --env).
          is_default INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX script_envs_default ON script_envs (is_default) WHERE is_default = 1;

        -- The environment's name as it was when the run started (null: none).
        ALTER TABLE runs ADD COLUMN env TEXT;

        CREATE TABLE script_env_vars (
          env_id TEXT NOT NULL REFERENCES script_envs (id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          value TEXT NOT NULL,
          secret INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (env_id, name)
        ) WITHOUT ROWID;
      `)
    },
  },
]
