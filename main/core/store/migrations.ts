import type { Migration } from './db'

export type { Migration } from './db'

/**
 * The store's own schema. Append only: never edit a migration that has shipped. Each feature owns
 * its migrations and a version range, and the composition root (main/core/database.ts) hands them
 * all to Store.open: 1–9 core (devices, parameters, events, outbox), 10–19 scripts and runs, 20–29
 * sync, 30–39 UI state.
 */
export const CORE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'core: settings, devices, parameters, events, outbox',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );

        CREATE TABLE devices (
          serial TEXT PRIMARY KEY,
          oui TEXT NOT NULL DEFAULT '',
          product_class TEXT NOT NULL DEFAULT '',
          manufacturer TEXT NOT NULL DEFAULT '',
          model TEXT NOT NULL DEFAULT '',
          software_version TEXT NOT NULL DEFAULT '',
          hardware_version TEXT NOT NULL DEFAULT '',
          alias TEXT NOT NULL DEFAULT '',
          ip TEXT NOT NULL DEFAULT '',
          cwmp_version TEXT NOT NULL DEFAULT '',
          data_model TEXT NOT NULL DEFAULT '',
          cr_url TEXT NOT NULL DEFAULT '',
          cr_username TEXT NOT NULL DEFAULT '',
          cr_password TEXT NOT NULL DEFAULT '',
          periodic_inform_interval INTEGER,
          first_seen INTEGER NOT NULL,
          last_inform INTEGER,
          last_boot INTEGER,
          status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2))
        );
        CREATE INDEX devices_last_inform ON devices (last_inform);

        CREATE TABLE parameters (
          serial TEXT NOT NULL REFERENCES devices (serial) ON DELETE CASCADE,
          name TEXT NOT NULL,
          parent TEXT NOT NULL,
          value TEXT,
          type TEXT,
          writable INTEGER,
          object INTEGER NOT NULL DEFAULT 0,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (serial, name)
        ) WITHOUT ROWID;
        CREATE INDEX parameters_parent ON parameters (serial, parent);

        CREATE TABLE events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          ts INTEGER NOT NULL,
          kind TEXT NOT NULL,
          severity TEXT NOT NULL,
          serial TEXT,
          summary TEXT NOT NULL,
          detail TEXT,
          soap_in TEXT,
          soap_out TEXT
        );
        CREATE INDEX events_serial ON events (serial, seq);
        CREATE INDEX events_kind ON events (kind, seq);
        CREATE INDEX events_ts ON events (ts);

        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          site TEXT NOT NULL,
          topic TEXT NOT NULL,
          key TEXT,
          payload TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
      `)
    },
  },
  {
    version: 2,
    name: "settings: script limits saved under the names and units of a script's limits",
    up(db) {
      // The Settings page saved config.scripts.timeoutMs (ms) and memoryBytes; they are wallMs and
      // memoryMb now, as in ScriptLimits, the API and the UI.
      const row = db.prepare("SELECT value FROM settings WHERE key = 'config'").get() as { value: string } | undefined
      if (!row) return
      const config = JSON.parse(row.value) as { scripts?: Record<string, unknown> }
      const s = config.scripts
      if (!s || typeof s !== 'object') return
      if (typeof s.timeoutMs === 'number') s.wallMs = s.timeoutMs
      if (typeof s.memoryBytes === 'number') s.memoryMb = Math.round(s.memoryBytes / (1024 * 1024))
      delete s.timeoutMs
      delete s.memoryBytes
      db.prepare("UPDATE settings SET value = ? WHERE key = 'config'").run(JSON.stringify(config))
    },
  },
  {
    version: 3,
    name: 'device_capabilities: what the ACS learned about how each CPE behaves (main/core/acs/capabilities.ts owns it)',
    up(db) {
      db.exec(`
        CREATE TABLE device_capabilities (
          serial TEXT PRIMARY KEY,
          partial_paths TEXT NOT NULL DEFAULT 'unknown',
          rpc_methods TEXT,
          cookies TEXT NOT NULL DEFAULT 'unknown',
          connection TEXT NOT NULL DEFAULT 'unknown',
          auth TEXT NOT NULL DEFAULT '',
          inform_gaps TEXT NOT NULL DEFAULT '[]',
          unstable TEXT,
          updated_at INTEGER NOT NULL
        );
      `)
    },
  },
  {
    version: 4,
    name: 'soap_bodies: SOAP bodies stored once, deflated, shared by events and the outbox (store/bodies.ts)',
    up(db) {
      // Rows written before this keep their text columns (events.soap_in/soap_out, the inform
      // outbox row's payload); readers take the body when the reference is set, else the text.
      db.exec(`
        CREATE TABLE soap_bodies (
          id INTEGER PRIMARY KEY,
          refs INTEGER NOT NULL,
          body BLOB NOT NULL
        );
        ALTER TABLE events ADD COLUMN soap_in_ref INTEGER;
        ALTER TABLE events ADD COLUMN soap_out_ref INTEGER;
        ALTER TABLE outbox ADD COLUMN body_ref INTEGER;
      `)
    },
  },
  {
    version: 5,
    name: 'device_tags: tags the technician puts on devices (store/tags.ts)',
    up(db) {
      db.exec(`
        CREATE TABLE device_tags (
          serial TEXT NOT NULL REFERENCES devices (serial) ON DELETE CASCADE,
          tag TEXT NOT NULL,
          PRIMARY KEY (serial, tag)
        ) WITHOUT ROWID;
        CREATE INDEX device_tags_tag ON device_tags (tag, serial);
      `)
    },
  },
  {
    version: 6,
    name: 'events: the CWMP session a row belongs to, and the SOAP bodies a grouped session row holds (store/event-log.ts)',
    up(db) {
      // A routine periodic session is one row whose detail lists its messages; the bodies of those
      // messages beyond the row's own soap_in/soap_out are held through event_bodies (released
      // when the row is pruned). Other sessions keep a row per message, tied by `session`.
      db.exec(`
        ALTER TABLE events ADD COLUMN session TEXT;
        CREATE INDEX events_session ON events (session) WHERE session IS NOT NULL;
        CREATE TABLE event_bodies (
          seq INTEGER NOT NULL,
          ref INTEGER NOT NULL
        );
        CREATE INDEX event_bodies_seq ON event_bodies (seq);
      `)
    },
  },
  {
    version: 7,
    name: 'events: rows whose outbox record waits for their session to end (store/event-log.ts recoverUnsynced)',
    up(db) {
      // A routine session's row goes to the outbox when the session ends; `unsynced` marks it until
      // then, so a row left open by a crash is found (through the small partial index) and queued
      // at the next start. Rows written before this: the open ones of the newest sessions.
      db.exec(`
        ALTER TABLE events ADD COLUMN unsynced INTEGER;
        CREATE INDEX events_unsynced ON events (seq) WHERE unsynced IS NOT NULL;
        UPDATE events SET unsynced = 1
          WHERE seq > (SELECT COALESCE(MAX(seq), 0) - 100000 FROM events)
            AND kind = 'session' AND session IS NOT NULL AND json_extract(detail, '$.open') = 1;
      `)
    },
  },
]
