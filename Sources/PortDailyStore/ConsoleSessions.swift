import Crypto
import Foundation
import GRDB
public import PortDailyCore

/// A signed-in person's session, as a request finds it.
public struct ConsoleSession: Sendable, Equatable {
    public let user: ConsoleUser
    /// The token every form that changes something must carry (tied to this session).
    public let csrfToken: String
    public let createdAt: Instant
    public let lastSeenAt: Instant
}

/// How long a session lives: `idle` since its last request, and at most `lifetime` in all.
public struct SessionTimeouts: Sendable, Equatable {
    public var idleMilliseconds: Int64
    public var lifetimeMilliseconds: Int64

    public init(idleMilliseconds: Int64 = 30 * 60_000, lifetimeMilliseconds: Int64 = 12 * 3_600_000) {
        self.idleMilliseconds = idleMilliseconds
        self.lifetimeMilliseconds = lifetimeMilliseconds
    }

    func live(createdAt: Int64, lastSeenAt: Int64, now: Int64) -> Bool {
        now - lastSeenAt < idleMilliseconds && now - createdAt < lifetimeMilliseconds
    }
}

/// Sign-in sessions of the web console. The id is 256 random bits made here (never one a client
/// chose) and kept only as its SHA-256 hash, like a token's secret.
extension PortDailyStore {
    /// A new session for `user`; returns the id for the cookie (shown once, never stored).
    public func startSession(for user: ConsoleUser, now: Instant) throws -> (id: String, session: ConsoleSession) {
        let id = Self.randomSecret()
        let csrf = Self.randomSecret()
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO consoleSession (idHash, userId, csrfToken, createdAt, lastSeenAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [Self.hash(id), user.id, csrf, now.millisecondsSinceEpoch, now.millisecondsSinceEpoch])
            try db.execute(sql: "UPDATE consoleUser SET lastSignInAt = ? WHERE id = ?", arguments: [now.millisecondsSinceEpoch, user.id])
        }
        return (id, ConsoleSession(user: user, csrfToken: csrf, createdAt: now, lastSeenAt: now))
    }

    /// The live session of `id`, its last use moved to `now`; nil when unknown, expired (then it
    /// is deleted) or its user disabled. The last use is written at most once a minute.
    public func session(id: String, timeouts: SessionTimeouts, now: Instant) throws -> ConsoleSession? {
        guard !id.isEmpty, id.utf8.count <= 128 else { return nil }
        let idHash = Self.hash(id)
        let found = try writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.csrfToken, s.createdAt AS sessionCreatedAt, s.lastSeenAt, u.* FROM consoleSession s
                JOIN consoleUser u ON u.id = s.userId WHERE s.idHash = ? AND u.disabledAt IS NULL
                """, arguments: [idHash])
        }
        guard let found else { return nil }
        let read = StoredRow(row: found, table: "consoleSession")
        let createdAt = Int64(try read.requiredInt("sessionCreatedAt"))
        let lastSeenAt = Int64(try read.requiredInt("lastSeenAt"))
        let nowMs = now.millisecondsSinceEpoch
        guard timeouts.live(createdAt: createdAt, lastSeenAt: lastSeenAt, now: nowMs) else {
            try? endSession(id: id)
            return nil
        }
        if nowMs - lastSeenAt >= 60_000 {
            // A store that cannot write (disk full, read-only) must not sign everyone out: the
            // session stays valid, and its last use is written by a later request.
            try? writer.write { db in
                try db.execute(sql: "UPDATE consoleSession SET lastSeenAt = ? WHERE idHash = ?", arguments: [nowMs, idHash])
            }
        }
        return ConsoleSession(user: try Self.user(found), csrfToken: try read.required("csrfToken", { $0 }),
                              createdAt: Instant(millisecondsSinceEpoch: createdAt), lastSeenAt: now)
    }

    public func endSession(id: String) throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM consoleSession WHERE idHash = ?", arguments: [Self.hash(id)]) }
    }

    /// Deletes the sessions past either timeout; returns how many.
    @discardableResult
    public func pruneSessions(timeouts: SessionTimeouts, now: Instant) throws -> Int {
        let nowMs = now.millisecondsSinceEpoch
        return try writer.write { db in
            try db.execute(sql: "DELETE FROM consoleSession WHERE lastSeenAt <= ? OR createdAt <= ?",
                           arguments: [nowMs - timeouts.idleMilliseconds, nowMs - timeouts.lifetimeMilliseconds])
            return db.changesCount
        }
    }

    /// How many sessions are open, by user id (for the admin's page).
    public func openSessions(timeouts: SessionTimeouts, now: Instant) throws -> [Int64: Int] {
        let nowMs = now.millisecondsSinceEpoch
        return try writer.read { db in
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT userId, COUNT(*) FROM consoleSession WHERE lastSeenAt > ? AND createdAt > ? GROUP BY userId
                """, arguments: [nowMs - timeouts.idleMilliseconds, nowMs - timeouts.lifetimeMilliseconds]) {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// 256 random bits, base64url without padding.
    public static func randomSecret() -> String {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
