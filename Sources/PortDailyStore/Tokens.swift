import Crypto
import Foundation
import GRDB
public import PortDailyCore

/// An API token as listed: never its secret.
public struct TokenInfo: Sendable, Codable, Equatable {
    public let id: Int64
    public let role: String
    public let `operator`: String?
    public let bureau: String?
    public let name: String?
    public let createdAt: Instant
    public let revokedAt: Instant?
}

/// Bearer tokens. Only a SHA-256 hash of each secret is stored: the secrets are 256 random bits,
/// so a fast hash is enough, and a stolen database reveals no usable token.
extension PortDailyStore {
    /// Creates a token and returns its secret, which is shown once and never stored.
    public func issueToken(for caller: Caller, name: String?, now: Instant) throws -> (info: TokenInfo, secret: String) {
        let secret = "pd_" + Self.randomSecret()
        let (operatorID, bureau): (String?, String?) = switch caller {
        case .operator(let id): (id, nil)
        case .bureau(let id): (nil, id)
        case .admin: (nil, nil)
        }
        let id = try writer.write { db in
            try db.execute(sql: """
                INSERT INTO apiToken (role, operator, bureau, name, secretHash, createdAt) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [caller.role, operatorID, bureau, name, Self.hash(secret), now.millisecondsSinceEpoch])
            return db.lastInsertedRowID
        }
        return (TokenInfo(id: id, role: caller.role, operator: operatorID, bureau: bureau, name: name, createdAt: now,
                          revokedAt: nil), secret)
    }

    /// The caller a presented secret stands for; nil when unknown or revoked. This runs on every
    /// request: the unrevoked tokens are kept in memory while the token version (bumped by
    /// triggers on any change, from any process) stays the same, so a revocation still takes
    /// effect at the next request.
    public func caller(forSecret secret: String) throws -> Caller? { try caller(forSecret: secret, at: versions()) }

    /// The caller of `secret` at `versions` read by the same request.
    public func caller(forSecret secret: String, at versions: StoreVersions) throws -> Caller? {
        try tokenCache.value(at: versions.tokens) { try writer.unsafeRead(Self.liveTokens) }[Self.hash(secret)]
    }

    /// The callers of the unrevoked tokens, by secret hash.
    static func liveTokens(_ db: Database) throws -> [Data: Caller] {
        var callers: [Data: Caller] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT role, operator, bureau, secretHash FROM apiToken WHERE revokedAt IS NULL") {
            let read = StoredRow(row: row, table: "apiToken")
            callers[try read.data("secretHash")] = try read.caller()
        }
        return callers
    }

    public func tokens() throws -> [TokenInfo] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM apiToken ORDER BY id").map { row in
                let read = StoredRow(row: row, table: "apiToken")
                return TokenInfo(id: Int64(try read.requiredInt("id")), role: try read.required("role", { $0 }),
                                 operator: try read.optional("operator", { $0 }), bureau: try read.optional("bureau", { $0 }),
                                 name: try read.optional("name", { $0 }),
                                 createdAt: Instant(millisecondsSinceEpoch: Int64(try read.requiredInt("createdAt"))),
                                 revokedAt: try read.optionalInt("revokedAt").map { Instant(millisecondsSinceEpoch: Int64($0)) })
            }
        }
    }

    /// Revokes a token at once; returns false when there is no such (unrevoked) token.
    public func revokeToken(id: Int64, now: Instant) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL",
                           arguments: [now.millisecondsSinceEpoch, id])
            return db.changesCount > 0
        }
    }

    static func hash(_ secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }
}
