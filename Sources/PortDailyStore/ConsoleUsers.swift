import Foundation
import GRDB
import HummingbirdBcrypt
public import PortDailyCore

/// A person of the web console, as listed: never the password hash.
public struct ConsoleUser: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let caller: Caller
    public let createdAt: Instant
    public let disabledAt: Instant?
    public let lastSignInAt: Instant?
}

/// Why a change to the console's users was refused.
public enum ConsoleUserError: Error, Equatable, CustomStringConvertible {
    case nameTaken(String)
    case noSuchUser(String)
    case unacceptable(String)

    public var description: String {
        switch self {
        case .nameTaken(let name): return "a user named '\(name)' exists already"
        case .noSuchUser(let name): return "no user named '\(name)'"
        case .unacceptable(let reason): return reason
        }
    }
}

/// The console's people. Passwords are kept as bcrypt hashes (slow on purpose: unlike a token's
/// 256 random bits, a password can be guessed); `cost` is bcrypt's work factor.
extension PortDailyStore {
    public static let defaultPasswordCost: UInt8 = 12

    public func addUser(name: String, caller: Caller, password: String, cost: UInt8 = defaultPasswordCost,
                        now: Instant, by actor: AuditActor = .unattributed) throws -> ConsoleUser {
        if let problem = UserNamePolicy.problem(name) ?? PasswordPolicy.problem(password) { throw ConsoleUserError.unacceptable(problem) }
        let hash = Bcrypt.hash(password, cost: cost)
        let (operatorID, bureau): (String?, String?) = switch caller {
        case .operator(let id): (id, nil)
        case .bureau(let id): (nil, id)
        case .admin: (nil, nil)
        }
        return try writer.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM consoleUser WHERE name = ?", arguments: [name]) != nil {
                throw ConsoleUserError.nameTaken(name)
            }
            try db.execute(sql: """
                INSERT INTO consoleUser (name, role, operator, bureau, passwordHash, createdAt, passwordChangedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, caller.role, operatorID, bureau, hash, now.millisecondsSinceEpoch, now.millisecondsSinceEpoch])
            // The row's id, read before the event's insert changes lastInsertedRowID.
            let id = db.lastInsertedRowID
            try Self.recordAudit(db, actor: actor, action: "user.added", subject: "user \(name)", detail: "\(caller)", at: now)
            return ConsoleUser(id: id, name: name, caller: caller, createdAt: now, disabledAt: nil, lastSignInAt: nil)
        }
    }

    public func users() throws -> [ConsoleUser] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM consoleUser ORDER BY name").map(Self.user) }
    }

    /// Disables a user and ends every session of theirs; false when already disabled.
    public func disableUser(name: String, now: Instant, by actor: AuditActor = .unattributed) throws -> Bool {
        try writer.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM consoleUser WHERE name = ?", arguments: [name]) else {
                throw ConsoleUserError.noSuchUser(name)
            }
            try db.execute(sql: "UPDATE consoleUser SET disabledAt = ? WHERE id = ? AND disabledAt IS NULL",
                           arguments: [now.millisecondsSinceEpoch, id])
            let changed = db.changesCount > 0
            try db.execute(sql: "DELETE FROM consoleSession WHERE userId = ?", arguments: [id])
            if changed { try Self.recordAudit(db, actor: actor, action: "user.disabled", subject: "user \(name)", detail: nil, at: now) }
            return changed
        }
    }

    /// Sets a new password and ends every session of the user (whoever knew the old one is out).
    public func setPassword(name: String, password: String, cost: UInt8 = defaultPasswordCost, now: Instant,
                            by actor: AuditActor = .unattributed) throws {
        if let problem = PasswordPolicy.problem(password) { throw ConsoleUserError.unacceptable(problem) }
        let hash = Bcrypt.hash(password, cost: cost)
        try writer.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM consoleUser WHERE name = ?", arguments: [name]) else {
                throw ConsoleUserError.noSuchUser(name)
            }
            try db.execute(sql: "UPDATE consoleUser SET passwordHash = ?, passwordChangedAt = ? WHERE id = ?",
                           arguments: [hash, now.millisecondsSinceEpoch, id])
            try db.execute(sql: "DELETE FROM consoleSession WHERE userId = ?", arguments: [id])
            try Self.recordAudit(db, actor: actor, action: "user.passwordSet", subject: "user \(name)", detail: nil, at: now)
        }
    }

    /// The enabled user `name` if `password` is theirs. An unknown name costs as much as a wrong
    /// password (a hash is checked either way), so the time taken tells nothing about who exists.
    public func verifyPassword(name: String, password: String) throws -> ConsoleUser? {
        let row = try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM consoleUser WHERE name = ? AND disabledAt IS NULL", arguments: [name])
        }
        guard let row else {
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        let hash = try StoredRow(row: row, table: "consoleUser").required("passwordHash", { $0 })
        guard password.utf8.count <= PasswordPolicy.maximumBytes, Bcrypt.verify(password, hash: hash) else { return nil }
        return try Self.user(row)
    }

    /// A hash of no one's password, at the default cost, checked when the name is unknown.
    static let decoyHash = Bcrypt.hash("no user has this password", cost: defaultPasswordCost)

    static func user(_ row: Row) throws -> ConsoleUser {
        let read = StoredRow(row: row, table: "consoleUser")
        return ConsoleUser(id: Int64(try read.requiredInt("id")), name: try read.required("name", { $0 }), caller: try read.caller(),
                           createdAt: Instant(millisecondsSinceEpoch: Int64(try read.requiredInt("createdAt"))),
                           disabledAt: try read.optionalInt("disabledAt").map { Instant(millisecondsSinceEpoch: Int64($0)) },
                           lastSignInAt: try read.optionalInt("lastSignInAt").map { Instant(millisecondsSinceEpoch: Int64($0)) })
    }
}

extension StoredRow {
    /// The caller of a row with `role`, `operator` and `bureau` columns (tokens and users).
    func caller() throws -> Caller {
        let role = try required("role", { $0 })
        switch role {
        case "operator": return .operator(try required("operator", { $0 }))
        case "bureau": return .bureau(try required("bureau", { $0 }))
        case "admin": return .admin
        default: throw StoreError.unreadableRow(table: table, column: "role", value: role)
        }
    }
}
