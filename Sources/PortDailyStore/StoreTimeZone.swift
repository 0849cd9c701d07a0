import GRDB

/// The time zone a store's report days were cut in. Each voyage's report date is fixed when it is
/// stored, so a store used under another `timeZone` would put new voyages on other days than the
/// stored ones: every user of a store states its zone first, and a different one is refused.
public struct TimeZoneMismatch: Error, CustomStringConvertible, Equatable {
    public let stored: String
    public let configured: String

    public init(stored: String, configured: String) {
        self.stored = stored
        self.configured = configured
    }

    public var description: String {
        "the store's report days are local days of \(stored), the configuration says timeZone \(configured): "
            + "set timeZone back to \(stored), or start a new store for the new zone"
    }
}

extension PortDailyStore {
    /// Records `identifier` as the store's time zone when it has none or holds no voyage yet;
    /// throws ``TimeZoneMismatch`` when voyages were stored under another one. A read-only store
    /// is only checked.
    public func adoptTimeZone(_ identifier: String) throws {
        let recorded = try writer.read(Self.recordedTimeZone)
        if recorded == identifier { return }
        if isReadOnly {
            if let recorded { throw TimeZoneMismatch(stored: recorded, configured: identifier) }
            return
        }
        try writer.write { db in
            let stored = try Self.recordedTimeZone(db)
            let hasVoyages = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM voyage)") ?? false
            if let stored, stored != identifier, hasVoyages {
                throw TimeZoneMismatch(stored: stored, configured: identifier)
            }
            // A store from before the zone was recorded adopts the first one stated.
            try db.execute(sql: "INSERT OR REPLACE INTO storeSetting (name, value) VALUES ('timeZone', ?)",
                           arguments: [identifier])
        }
    }

    private static func recordedTimeZone(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM storeSetting WHERE name = 'timeZone'")
    }
}
