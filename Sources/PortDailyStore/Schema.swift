import GRDB

/// The schema, as migrations. A shipped migration is never edited: changes are new migrations.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: register, voyages, report revisions, sealing") { db in
            try db.execute(sql: """
                CREATE TABLE vessel (
                    mmsi TEXT PRIMARY KEY NOT NULL,
                    imo TEXT,
                    name TEXT NOT NULL,
                    callSign TEXT,
                    type TEXT NOT NULL,
                    operator TEXT NOT NULL,
                    homeBureau TEXT NOT NULL,
                    admittedFrom INTEGER NOT NULL,
                    admittedUntil INTEGER,
                    updatedAt INTEGER NOT NULL
                );
                CREATE INDEX vessel_operator ON vessel(operator);

                CREATE TABLE voyage (
                    id INTEGER PRIMARY KEY,
                    operator TEXT NOT NULL,
                    movementId TEXT NOT NULL,
                    mmsi TEXT NOT NULL,
                    job TEXT NOT NULL,
                    departedAt INTEGER NOT NULL,
                    fromArea TEXT NOT NULL,
                    fromBerth TEXT,
                    arrivedAt INTEGER NOT NULL,
                    toArea TEXT NOT NULL,
                    toBerth TEXT,
                    servedShipImo TEXT,
                    servedShipName TEXT,
                    personsAboard INTEGER,
                    remarks TEXT,
                    reportDate INTEGER NOT NULL,
                    cancelled INTEGER NOT NULL DEFAULT 0,
                    recordedAt INTEGER NOT NULL,
                    UNIQUE (operator, movementId)
                );
                CREATE INDEX voyage_vessel_day ON voyage(mmsi, reportDate);
                CREATE INDEX voyage_day ON voyage(reportDate);

                CREATE TABLE voyageAudit (
                    id INTEGER PRIMARY KEY,
                    operator TEXT NOT NULL,
                    movementId TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('corrected', 'cancelled')),
                    previous TEXT NOT NULL,
                    current TEXT,
                    reason TEXT,
                    recordedAt INTEGER NOT NULL
                );
                CREATE INDEX voyageAudit_key ON voyageAudit(operator, movementId);

                CREATE TABLE reportRevision (
                    id INTEGER PRIMARY KEY,
                    reportId TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    mmsi TEXT NOT NULL,
                    operator TEXT NOT NULL,
                    reportDate INTEGER NOT NULL,
                    revision INTEGER NOT NULL,
                    late INTEGER NOT NULL,
                    voyageCount INTEGER NOT NULL,
                    content TEXT NOT NULL,
                    changes TEXT NOT NULL,
                    recordedAt INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    UNIQUE (reportId, revision)
                );
                CREATE INDEX reportRevision_day ON reportRevision(reportDate);
                CREATE INDEX reportRevision_vessel_day ON reportRevision(mmsi, reportDate);
                CREATE UNIQUE INDEX reportRevision_seq ON reportRevision(seq);

                CREATE TABLE reportShare (
                    revisionId INTEGER NOT NULL REFERENCES reportRevision(id) ON DELETE CASCADE,
                    bureau TEXT NOT NULL,
                    PRIMARY KEY (bureau, revisionId)
                ) WITHOUT ROWID;
                CREATE INDEX reportShare_revision ON reportShare(revisionId);

                CREATE TABLE sealState (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    sealedThrough INTEGER,
                    lastRunAt INTEGER
                );
                INSERT INTO sealState (id) VALUES (1);
                """)
        }
        migrator.registerMigration("v2: API tokens and acknowledgements") { db in
            try db.execute(sql: """
                CREATE TABLE apiToken (
                    id INTEGER PRIMARY KEY,
                    role TEXT NOT NULL CHECK (role IN ('operator', 'bureau', 'admin')),
                    operator TEXT,
                    bureau TEXT,
                    name TEXT,
                    secretHash BLOB NOT NULL UNIQUE,
                    createdAt INTEGER NOT NULL,
                    revokedAt INTEGER
                );

                CREATE TABLE acknowledgement (
                    id INTEGER PRIMARY KEY,
                    reportId TEXT NOT NULL,
                    bureau TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    remark TEXT,
                    recordedAt INTEGER NOT NULL
                );
                CREATE INDEX acknowledgement_report ON acknowledgement(reportId, bureau);
                """)
        }
        migrator.registerMigration("v3: register version, bumped by any change to the register") { db in
            try db.execute(sql: """
                CREATE TABLE registerState (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
                INSERT INTO registerState (id, version) VALUES (1, 0);
                CREATE TRIGGER vessel_inserted AFTER INSERT ON vessel
                    BEGIN UPDATE registerState SET version = version + 1; END;
                CREATE TRIGGER vessel_updated AFTER UPDATE ON vessel
                    BEGIN UPDATE registerState SET version = version + 1; END;
                CREATE TRIGGER vessel_deleted AFTER DELETE ON vessel
                    BEGIN UPDATE registerState SET version = version + 1; END;
                """)
        }
        migrator.registerMigration("v4: each revision's CSV row around its bookkeeping") { db in
            // Rows written before stay NULL and are made from the decoded report when read.
            try db.execute(sql: """
                ALTER TABLE reportRevision ADD COLUMN csvHead TEXT;
                ALTER TABLE reportRevision ADD COLUMN csvTail TEXT;
                """)
        }
        migrator.registerMigration("v5: settings the stored data depends on") { db in
            try db.execute(sql: "CREATE TABLE storeSetting (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v6: token version, bumped by any change to the tokens") { db in
            try db.execute(sql: """
                CREATE TABLE tokenState (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
                INSERT INTO tokenState (id, version) VALUES (1, 0);
                CREATE TRIGGER apiToken_inserted AFTER INSERT ON apiToken
                    BEGIN UPDATE tokenState SET version = version + 1; END;
                CREATE TRIGGER apiToken_updated AFTER UPDATE ON apiToken
                    BEGIN UPDATE tokenState SET version = version + 1; END;
                CREATE TRIGGER apiToken_deleted AFTER DELETE ON apiToken
                    BEGIN UPDATE tokenState SET version = version + 1; END;
                """)
        }
        migrator.registerMigration("v7: vessel-days whose reports are folded when read (see StaleDays)") { db in
            try db.execute(sql: """
                CREATE TABLE staleDay (
                    reportDate INTEGER NOT NULL,
                    mmsi TEXT NOT NULL,
                    PRIMARY KEY (reportDate, mmsi)
                ) WITHOUT ROWID
                """)
        }
        migrator.registerMigration("v8: no index on the voyage date alone (see VoyagesByVessel)") { db in
            try db.execute(sql: "DROP INDEX voyage_day")
        }
        migrator.registerMigration("v9: people of the web console and their sign-in sessions") { db in
            // A session is kept by the hash of its id (as tokens are), so a copy of the database
            // opens no session; sessions live here so that they survive a restart of the daemon.
            try db.execute(sql: """
                CREATE TABLE consoleUser (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL CHECK (role IN ('operator', 'bureau', 'admin')),
                    operator TEXT,
                    bureau TEXT,
                    passwordHash TEXT NOT NULL,
                    createdAt INTEGER NOT NULL,
                    passwordChangedAt INTEGER NOT NULL,
                    disabledAt INTEGER,
                    lastSignInAt INTEGER
                );

                CREATE TABLE consoleSession (
                    idHash BLOB PRIMARY KEY NOT NULL,
                    userId INTEGER NOT NULL REFERENCES consoleUser(id) ON DELETE CASCADE,
                    csrfToken TEXT NOT NULL,
                    createdAt INTEGER NOT NULL,
                    lastSeenAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX consoleSession_user ON consoleSession(userId);
                """)
        }
        migrator.registerMigration("v10: token expiry, rotation and last use") { db in
            // Tokens issued before keep no expiry (NULL): they go on working, and `tokens list`
            // shows them so. Last use has a table of its own: a change to apiToken bumps the token
            // version (v6's triggers), and a write there each minute a token is used would empty
            // every daemon's token cache as often.
            try db.execute(sql: """
                ALTER TABLE apiToken ADD COLUMN expiresAt INTEGER;
                ALTER TABLE apiToken ADD COLUMN replacesId INTEGER REFERENCES apiToken(id);
                CREATE TABLE tokenUse (
                    tokenId INTEGER PRIMARY KEY REFERENCES apiToken(id) ON DELETE CASCADE,
                    lastUsedAt INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v11: a token may be bound to a client certificate's subject (mutual TLS)") { db in
            try db.execute(sql: "ALTER TABLE apiToken ADD COLUMN clientSubject TEXT")
        }
        migrator.registerMigration("v12: the audit trail: who made each write, from where; append-only") { db in
            // One event per write (a submission, a cancellation, a register change, an
            // acknowledgement, a token or user change). The voyages a submission stored and the
            // corrections and cancellations name their event (auditId), so a voyage's history says
            // who. The triggers refuse any change to an event: no route or command can edit it.
            try db.execute(sql: """
                CREATE TABLE auditEvent (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    address TEXT,
                    action TEXT NOT NULL,
                    subject TEXT,
                    detail TEXT
                );
                CREATE INDEX auditEvent_at ON auditEvent(at);
                CREATE TRIGGER auditEvent_no_update BEFORE UPDATE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                CREATE TRIGGER auditEvent_no_delete BEFORE DELETE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                ALTER TABLE voyage ADD COLUMN auditId INTEGER;
                ALTER TABLE voyageAudit ADD COLUMN auditId INTEGER;
                """)
        }
        migrator.registerMigration("v13: a token's own rate limit (NULL: the configured one)") { db in
            try db.execute(sql: """
                ALTER TABLE apiToken ADD COLUMN ratePerSecond REAL;
                ALTER TABLE apiToken ADD COLUMN rateBurst INTEGER;
                """)
        }
        migrator.registerMigration("v14: AIS positions of the register's vessels, for the cross-check") { db in
            // Keyed by vessel and receive time, without a rowid: a vessel-day's track is one range
            // of the key. Positions in the message's own unit (1/600,000 degree), speed in tenths
            // of a knot (NULL: not available). A second report of a vessel at the same millisecond
            // (another receiver) is the same position.
            try db.execute(sql: """
                CREATE TABLE aisPosition (
                    mmsi INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    lat INTEGER NOT NULL,
                    lon INTEGER NOT NULL,
                    sog INTEGER,
                    PRIMARY KEY (mmsi, at)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
