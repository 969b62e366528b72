import type { Migration } from '../store/migrations'

/** The file library's tables (versions 40–49); main/core/database.ts gathers them. */
export const FILE_MIGRATIONS: Migration[] = [
  {
    version: 40,
    name: 'files: library, fetch log, download grants, upload slots, transfers in flight',
    up(db) {
      db.exec(`
        -- Content lives in <dataDir>/files/<blob> (a generated name: a file's name never reaches a path).
        CREATE TABLE library_files (
          name TEXT PRIMARY KEY,
          blob TEXT NOT NULL UNIQUE,
          file_type TEXT NOT NULL,
          size INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          version TEXT NOT NULL DEFAULT '',
          product_class TEXT NOT NULL DEFAULT '',
          description TEXT NOT NULL DEFAULT '',
          owner_serial TEXT,
          username TEXT NOT NULL DEFAULT '',
          password TEXT NOT NULL DEFAULT '',
          added_at INTEGER NOT NULL,
          downloads INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX library_files_firmware ON library_files (product_class, version);

        CREATE TABLE file_fetches (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          serial TEXT,
          remote_address TEXT NOT NULL,
          method TEXT NOT NULL,
          range TEXT,
          status INTEGER NOT NULL,
          bytes INTEGER NOT NULL,
          expected INTEGER NOT NULL,
          started_at INTEGER NOT NULL,
          duration_ms INTEGER NOT NULL,
          outcome TEXT NOT NULL
        );
        CREATE INDEX file_fetches_name ON file_fetches (name, id);

        -- A Download the technician sent: its URL carries the token, which lets that device fetch
        -- that file (also a device's own upload) until the transfer completes or the grant expires.
        CREATE TABLE file_grants (
          token TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          serial TEXT NOT NULL,
          command_key TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE INDEX file_grants_transfer ON file_grants (serial, command_key);

        -- An Upload the ACS sent: one PUT/POST to /upload/<token> lands one file (file_name, then).
        CREATE TABLE upload_slots (
          token TEXT PRIMARY KEY,
          serial TEXT NOT NULL,
          command_key TEXT NOT NULL,
          file_type TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          file_name TEXT
        );
        CREATE INDEX upload_slots_transfer ON upload_slots (serial, command_key);

        -- Downloads and Uploads a CPE accepted with status 1, until its TransferComplete (which may
        -- come after a restart of the ACS: TR-069 has the CPE retry it until acknowledged).
        CREATE TABLE acs_transfers (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          serial TEXT NOT NULL,
          command_key TEXT NOT NULL,
          method TEXT NOT NULL,
          rpc_id TEXT NOT NULL,
          at INTEGER NOT NULL
        );
        CREATE INDEX acs_transfers_serial ON acs_transfers (serial, command_key, id);
      `)
    },
  },
]
