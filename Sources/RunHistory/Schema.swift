import GRDB

/// The schema, one named migration per change. Never edit a shipped migration: add "v2".
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      // Schedules are never deleted (only deactivated), so runs can keep pointing at them.
      try db.execute(
        sql: """
          CREATE TABLE schedule (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            profile TEXT NOT NULL,
            spec TEXT NOT NULL,
            createdAt DATETIME NOT NULL,
            lastCheckedAt DATETIME,
            active BOOLEAN NOT NULL DEFAULT 1
          );
          CREATE INDEX schedule_profile ON schedule(profile);

          CREATE TABLE run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            profile TEXT NOT NULL,
            "trigger" TEXT NOT NULL CHECK ("trigger" IN ('manual', 'scheduled', 'approval')),
            scheduleId INTEGER REFERENCES schedule(id),
            scheduledAt DATETIME,
            startedAt DATETIME,
            endedAt DATETIME,
            status TEXT NOT NULL CHECK (status IN
              ('pending', 'running', 'succeeded', 'failed', 'held', 'skipped', 'cancelled', 'interrupted')),
            pid INTEGER,
            summary TEXT,
            uploadResult TEXT,
            reason TEXT,
            artifacts TEXT,
            approvesRunId INTEGER REFERENCES run(id) ON DELETE SET NULL,
            uploaded BOOLEAN NOT NULL DEFAULT 0
          );
          CREATE INDEX run_profile_status ON run(profile, status);
          CREATE INDEX run_approves ON run(approvesRunId);
          -- Two ticks adding the next occurrence of a schedule at once: only one row can be Pending.
          CREATE UNIQUE INDEX run_one_pending_per_schedule ON run(scheduleId) WHERE status = 'pending';
          """)
    }
    return migrator
  }
}
