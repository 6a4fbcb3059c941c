/// The two SQL dialects the history is kept in, and the pieces of the schema and of the
/// statements where they differ. Everything else is written once.
enum SchemaDialect: Sendable {
  case sqlite, postgresql

  /// A table's own id, given by the database, never reused.
  var identity: String {
    switch self {
    case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
    case .postgresql: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    }
  }

  /// A column holding another table's id.
  var reference: String {
    switch self {
    case .sqlite: "INTEGER"
    case .postgresql: "BIGINT"
    }
  }

  /// An instant: SQLite keeps GRDB's UTC text to the millisecond, PostgreSQL the same precision.
  var timestamp: String {
    switch self {
    case .sqlite: "DATETIME"
    case .postgresql: "TIMESTAMPTZ(3)"
    }
  }

  /// Bytes kept as they are: a file of a run's set.
  var blob: String {
    switch self {
    case .sqlite: "BLOB"
    case .postgresql: "BYTEA"
    }
  }

  func boolean(_ value: Bool) -> String {
    switch self {
    case .sqlite: value ? "1" : "0"
    case .postgresql: value ? "TRUE" : "FALSE"
    }
  }

  /// Appended to a SELECT of a row that a transaction checks and then acts on. SQLite has one
  /// writer at a time; PostgreSQL's READ COMMITTED needs the row locked, so that a second
  /// transaction waits and then sees the first one's outcome.
  var lockingRow: String {
    switch self {
    case .sqlite: ""
    case .postgresql: " FOR UPDATE"
    }
  }

  /// The database's clock, in the form the timestamps are stored in: leases are compared
  /// with one clock, the server's, whatever the machines' clocks say.
  var now: String {
    switch self {
    case .sqlite: "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    case .postgresql: "clock_timestamp()"
    }
  }

  /// The database's clock plus the whole seconds bound to the `?` it contains.
  var nowPlusSeconds: String {
    switch self {
    case .sqlite: "strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || ? || ' seconds')"
    case .postgresql: "clock_timestamp() + CAST(? AS INTEGER) * INTERVAL '1 second'"
    }
  }
}

/// A step of the schema, by name. Both stores record the names they applied in a table
/// `grdb_migrations` (GRDB's own, in SQLite), so the two histories read alike.
struct Migration: Sendable {
  let identifier: String
  let sql: @Sendable (SchemaDialect) -> String
}

/// The schema, one named migration per change. Never edit a shipped migration: add "v2".
enum Schema {
  static let migrations = [
    Migration(identifier: "v1", sql: v1), Migration(identifier: "v2", sql: v2), Migration(identifier: "v3", sql: v3),
  ]

  static func v1(_ d: SchemaDialect) -> String {
    // Schedules are never deleted (only deactivated), so runs can keep pointing at them.
    """
    CREATE TABLE schedule (
      id \(d.identity),
      profile TEXT NOT NULL,
      spec TEXT NOT NULL,
      createdAt \(d.timestamp) NOT NULL,
      lastCheckedAt \(d.timestamp),
      active BOOLEAN NOT NULL DEFAULT \(d.boolean(true))
    );
    CREATE INDEX schedule_profile ON schedule(profile);

    CREATE TABLE run (
      id \(d.identity),
      profile TEXT NOT NULL,
      "trigger" TEXT NOT NULL CHECK ("trigger" IN ('manual', 'scheduled', 'approval')),
      scheduleId \(d.reference) REFERENCES schedule(id),
      scheduledAt \(d.timestamp),
      startedAt \(d.timestamp),
      endedAt \(d.timestamp),
      status TEXT NOT NULL CHECK (status IN
        ('pending', 'running', 'succeeded', 'failed', 'held', 'skipped', 'cancelled', 'interrupted')),
      pid INTEGER,
      summary TEXT,
      uploadResult TEXT,
      reason TEXT,
      artifacts TEXT,
      approvesRunId \(d.reference) REFERENCES run(id) ON DELETE SET NULL,
      uploaded BOOLEAN NOT NULL DEFAULT \(d.boolean(false))
    );
    CREATE INDEX run_profile_status ON run(profile, status);
    CREATE INDEX run_approves ON run(approvesRunId);
    -- Two ticks adding the next occurrence of a schedule at once: only one row can be Pending.
    CREATE UNIQUE INDEX run_one_pending_per_schedule ON run(scheduleId) WHERE status = 'pending';
    """
  }

  /// Leases: what a run holds, in the store every machine shares, so that one run of a
  /// profile (and of a QuickSchools key) goes on at a time across a fleet. A row is a
  /// claim on `name` ("profile/NAME", "key/DIGEST") until `expiresAt`, by the database's
  /// clock; its holder renews it while the run goes on.
  static func v2(_ d: SchemaDialect) -> String {
    """
    CREATE TABLE lease (
      name TEXT NOT NULL PRIMARY KEY,
      holder TEXT NOT NULL,
      expiresAt \(d.timestamp) NOT NULL
    );
    CREATE INDEX lease_holder ON lease(holder);
    """
  }

  /// The sets runs need from earlier runs, kept where every machine of a fleet reads them:
  /// a Held run's set (what `approve` uploads) and the last uploaded set (the guard's
  /// baseline). A file's bytes as clever-csv wrote them, with the SHA-256 it recorded.
  static func v3(_ d: SchemaDialect) -> String {
    """
    CREATE TABLE run_file (
      runId \(d.reference) NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      content \(d.blob) NOT NULL,
      PRIMARY KEY (runId, name)
    );
    """
  }
}
