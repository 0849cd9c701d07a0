import Crypto
import Foundation
import GRDB
public import PortDailyCore
import Synchronization

/// An API token as listed: never its secret.
public struct TokenInfo: Sendable, Codable, Equatable {
    public let id: Int64
    public let role: String
    public let `operator`: String?
    public let bureau: String?
    public let name: String?
    public let createdAt: Instant
    public let revokedAt: Instant?
    /// nil: never (asked for by name, or issued before tokens expired).
    public let expiresAt: Instant?
    /// To the minute (see ``PortDailyStore/tokenUseIsDue(id:now:)``); nil: never used since recorded.
    public let lastUsedAt: Instant?
    /// The token this one succeeded (`tokens rotate`).
    public let replaces: Int64?
    /// Accepted only over a TLS connection whose client certificate has this subject (`tokens
    /// issue --client-subject`); nil: from any connection.
    public var clientSubject: String? = nil
    /// Its own rate limit (`tokens issue --rate`); nil: the configured `http.rateLimits.perToken`.
    public var rate: TokenRate? = nil

    /// Whether it is in force at `now` and expires within `window` milliseconds of it.
    public func expires(within window: Int64, of now: Instant) -> Bool {
        guard revokedAt == nil, let expiry = expiresAt else { return false }
        return expiry > now && expiry <= now.adding(milliseconds: window)
    }

    /// In force, and never to expire.
    public var neverExpires: Bool { revokedAt == nil && expiresAt == nil }
}

/// A token's own request rate: `burst` at once, then `perSecond` a second.
public struct TokenRate: Sendable, Codable, Equatable {
    public let perSecond: Double
    public let burst: Int

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// What a presented secret is worth at a given time.
public enum TokenCheck: Sendable, Equatable {
    /// `name`: the token's label (`--name`), for the journal's ACTOR field.
    /// `clientSubject`: the client certificate's subject it must come with, if it is bound to one.
    case valid(Caller, tokenID: Int64, name: String?, clientSubject: String? = nil, rate: TokenRate? = nil)
    case expired(at: Instant)
    /// Unknown or revoked: a caller is told no more.
    case unknown
}

/// An unrevoked token as the request path needs it.
struct LiveToken: Sendable {
    let id: Int64
    let caller: Caller
    let name: String?
    let expiresAt: Instant?
    let clientSubject: String?
    let rate: TokenRate?
}

/// Bearer tokens. Only a SHA-256 hash of each secret is stored: the secrets are 256 random bits,
/// so a fast hash is enough, and a stolen database reveals no usable token.
extension PortDailyStore {
    /// Creates a token and returns its secret, which is shown once and never stored. `expiresAt`
    /// nil: a token that never expires (the CLI issues one only when asked by name).
    public func issueToken(for caller: Caller, name: String?, expiresAt: Instant? = nil, clientSubject: String? = nil,
                           rate: TokenRate? = nil, now: Instant,
                           by actor: AuditActor = .unattributed) throws -> (info: TokenInfo, secret: String) {
        let secret = "pd_" + Self.randomSecret()
        let (operatorID, bureau): (String?, String?) = switch caller {
        case .operator(let id): (id, nil)
        case .bureau(let id): (nil, id)
        case .admin: (nil, nil)
        }
        let id = try writer.write { db in
            let id = try Self.insertToken(db, role: caller.role, operator: operatorID, bureau: bureau, name: name, secret: secret,
                                 expiresAt: expiresAt, replaces: nil, clientSubject: clientSubject, rate: rate, now: now)
            try Self.recordAudit(db, actor: actor, action: "token.issued", subject: Self.tokenLabel(id, name),
                                 detail: Self.tokenDetail(caller.role, operatorID, bureau, expiresAt, clientSubject, rate), at: now)
            return id
        }
        return (TokenInfo(id: id, role: caller.role, operator: operatorID, bureau: bureau, name: name, createdAt: now,
                          revokedAt: nil, expiresAt: expiresAt, lastUsedAt: nil, replaces: nil, clientSubject: clientSubject,
                          rate: rate), secret)
    }

    /// Issues a successor of token `id` (same role, scope and name) expiring at `expiresAt`, and
    /// shortens the old one's life to `graceUntil` (unless it ends sooner), so its holder can
    /// switch without a gap. nil when `id` is not a token in force at `now`.
    public func rotateToken(id: Int64, graceUntil: Instant, expiresAt: Instant?,
                            now: Instant, by actor: AuditActor = .unattributed) throws -> (info: TokenInfo, secret: String)? {
        let secret = "pd_" + Self.randomSecret()
        let info: TokenInfo? = try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM apiToken WHERE id = ? AND revokedAt IS NULL AND (expiresAt IS NULL OR expiresAt > ?)
                """, arguments: [id, now.millisecondsSinceEpoch]) else { return nil }
            let old = try Self.tokenInfo(row)
            let successor = try Self.insertToken(db, role: old.role, operator: old.operator, bureau: old.bureau, name: old.name,
                                                 secret: secret, expiresAt: expiresAt, replaces: id,
                                                 clientSubject: old.clientSubject, rate: old.rate, now: now)
            let oldExpiry = min(old.expiresAt ?? graceUntil, graceUntil)
            try db.execute(sql: "UPDATE apiToken SET expiresAt = ? WHERE id = ?", arguments: [oldExpiry.millisecondsSinceEpoch, id])
            try Self.recordAudit(db, actor: actor, action: "token.rotated", subject: Self.tokenLabel(successor, old.name),
                                 detail: "replaces token \(id), which works until \(oldExpiry); "
                                    + Self.tokenDetail(old.role, old.operator, old.bureau, expiresAt, old.clientSubject, old.rate),
                                 at: now)
            return TokenInfo(id: successor, role: old.role, operator: old.operator, bureau: old.bureau, name: old.name,
                             createdAt: now, revokedAt: nil, expiresAt: expiresAt, lastUsedAt: nil, replaces: id,
                             clientSubject: old.clientSubject, rate: old.rate)
        }
        return info.map { ($0, secret) }
    }

    private static func insertToken(_ db: Database, role: String, operator operatorID: String?, bureau: String?, name: String?,
                                    secret: String, expiresAt: Instant?, replaces: Int64?, clientSubject: String?,
                                    rate: TokenRate?, now: Instant) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO apiToken (role, operator, bureau, name, secretHash, createdAt, expiresAt, replacesId, clientSubject,
                                  ratePerSecond, rateBurst)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [role, operatorID, bureau, name, hash(secret), now.millisecondsSinceEpoch,
                             expiresAt?.millisecondsSinceEpoch, replaces, clientSubject, rate?.perSecond, rate?.burst])
        return db.lastInsertedRowID
    }

    /// What `secret` is worth at `now`, against the store's tokens at `versions` (read by the same
    /// request). This runs on every request: the unrevoked tokens are kept in memory while the
    /// token version (bumped by triggers on any change, from any process) stays the same, so a
    /// revocation or rotation still takes effect at the next request.
    public func checkToken(_ secret: String, at versions: StoreVersions, now: Instant) throws -> TokenCheck {
        guard let token = try tokenCache.value(at: versions.tokens, orRead: { try writer.unsafeRead(Self.liveTokens) })[Self.hash(secret)] else {
            return .unknown
        }
        if let expiry = token.expiresAt, expiry <= now { return .expired(at: expiry) }
        return .valid(token.caller, tokenID: token.id, name: token.name, clientSubject: token.clientSubject, rate: token.rate)
    }

    /// The caller a presented secret stands for at `now`; nil when unknown, revoked or expired.
    public func caller(forSecret secret: String, now: Instant) throws -> Caller? {
        if case .valid(let caller, _, _, _, _) = try checkToken(secret, at: versions(), now: now) { return caller }
        return nil
    }

    /// The unrevoked tokens, by secret hash.
    static func liveTokens(_ db: Database) throws -> [Data: LiveToken] {
        var tokens: [Data: LiveToken] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT id, role, operator, bureau, name, secretHash, expiresAt, clientSubject, ratePerSecond, rateBurst
            FROM apiToken WHERE revokedAt IS NULL
            """) {
            let read = StoredRow(row: row, table: "apiToken")
            tokens[try read.data("secretHash")] = LiveToken(
                id: Int64(try read.requiredInt("id")), caller: try read.caller(), name: try read.optional("name", { $0 }),
                expiresAt: try read.optionalInt("expiresAt").map { Instant(millisecondsSinceEpoch: Int64($0)) },
                clientSubject: try read.optional("clientSubject", { $0 }), rate: Self.rate(row))
        }
        return tokens
    }

    public func tokens() throws -> [TokenInfo] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT apiToken.*, tokenUse.lastUsedAt FROM apiToken LEFT JOIN tokenUse ON tokenUse.tokenId = apiToken.id
                ORDER BY apiToken.id
                """).map(Self.tokenInfo)
        }
    }

    private static func tokenInfo(_ row: Row) throws -> TokenInfo {
        let read = StoredRow(row: row, table: "apiToken")
        let instant = { (column: String) throws -> Instant? in
            try read.optionalInt(column).map { Instant(millisecondsSinceEpoch: Int64($0)) }
        }
        return TokenInfo(id: Int64(try read.requiredInt("id")), role: try read.required("role", { $0 }),
                         operator: try read.optional("operator", { $0 }), bureau: try read.optional("bureau", { $0 }),
                         name: try read.optional("name", { $0 }),
                         createdAt: Instant(millisecondsSinceEpoch: Int64(try read.requiredInt("createdAt"))),
                         revokedAt: try instant("revokedAt"), expiresAt: try instant("expiresAt"),
                         lastUsedAt: row.hasColumn("lastUsedAt") ? try instant("lastUsedAt") : nil,
                         replaces: try read.optionalInt("replacesId").map { Int64($0) },
                         clientSubject: try read.optional("clientSubject", { $0 }), rate: Self.rate(row))
    }

    /// Revokes a token at once; returns false when there is no such (unrevoked) token.
    public func revokeToken(id: Int64, now: Instant, by actor: AuditActor = .unattributed) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL",
                           arguments: [now.millisecondsSinceEpoch, id])
            guard db.changesCount > 0 else { return false }
            let name = try String.fetchOne(db, sql: "SELECT name FROM apiToken WHERE id = ?", arguments: [id])
            try Self.recordAudit(db, actor: actor, action: "token.revoked", subject: Self.tokenLabel(id, name), detail: nil, at: now)
            return true
        }
    }

    /// Whether a use of token `id` at `now` is to be recorded: the first since the store was
    /// opened, or a minute after the last recorded. (Recording each request would add a write to
    /// every read.)
    public func tokenUseIsDue(id: Int64, now: Instant) -> Bool { tokenUse.due(id, now) }

    /// Records that token `id` was used at `now` (`tokens list` shows it).
    public func recordTokenUse(id: Int64, now: Instant) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO tokenUse (tokenId, lastUsedAt) VALUES (?, ?)
                ON CONFLICT (tokenId) DO UPDATE SET lastUsedAt = max(lastUsedAt, excluded.lastUsedAt)
                """, arguments: [id, now.millisecondsSinceEpoch])
        }
    }

    /// A token as the audit trail's subject names it (as the journal's ACTOR does).
    static func tokenLabel(_ id: Int64, _ name: String?) -> String { name.map { "token \(id) (\($0))" } ?? "token \(id)" }

    private static func rate(_ row: Row) -> TokenRate? {
        guard let perSecond: Double = row["ratePerSecond"], let burst: Int = row["rateBurst"] else { return nil }
        return TokenRate(perSecond: perSecond, burst: burst)
    }

    private static func tokenDetail(_ role: String, _ operatorID: String?, _ bureau: String?, _ expiresAt: Instant?,
                                    _ clientSubject: String?, _ rate: TokenRate?) -> String {
        var parts = ["role \(role)"]
        if let operatorID { parts.append("operator \(operatorID)") }
        if let bureau { parts.append("bureau \(bureau)") }
        parts.append(expiresAt.map { "expires \($0)" } ?? "never expires")
        if let clientSubject { parts.append("client certificate \(clientSubject)") }
        if let rate { parts.append("rate \(rate.perSecond)/s, burst \(rate.burst)") }
        return parts.joined(separator: ", ")
    }

    static func hash(_ secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }
}

/// When each token's use was last recorded, by this process.
final class TokenUseThrottle: Sendable {
    private let recorded = Mutex<[Int64: Int64]>([:])
    static let interval: Int64 = 60_000

    func due(_ id: Int64, _ now: Instant) -> Bool {
        let time = now.millisecondsSinceEpoch
        return recorded.withLock { recorded in
            if let last = recorded[id], time >= last, time - last < Self.interval { return false }
            recorded[id] = time
            return true
        }
    }
}
