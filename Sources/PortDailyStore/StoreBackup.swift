import Crypto
import Foundation
import GRDB
public import PortDailyCore

/// What a backup (or any store file) holds, and the SHA-256 of its bytes (so a copy moved to
/// another machine can be checked with `sha256sum`).
public struct StoreFileSummary: Sendable, Equatable, Codable {
    public var path: String
    public var vessels: Int
    public var voyages: Int
    public var revisions: Int
    public var acknowledgements: Int
    public var bytes: Int64
    public var sha256: String
}

/// A backup that failed its check, or could not be written.
public struct BackupError: Error, CustomStringConvertible {
    public let description: String
}

/// Consistent copies of a store while it runs, checked before they count, and putting one back.
///
/// A copy is `VACUUM INTO` a temporary file in the destination's directory, from a read-only
/// connection of its own: one read transaction, so the copy is the database as of one commit and
/// the daemon's writers never wait for it. The file is synced, renamed into place, its directory
/// synced, then opened again and checked with `PRAGMA integrity_check`.
public enum StoreBackup {
    /// Copies the database at `databasePath` to `destination` (which must not exist) and checks it.
    public static func write(from databasePath: String, to destination: String) throws -> StoreFileSummary {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw BackupError(description: "\(destination) exists already; a backup never replaces a file")
        }
        let directory = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let source = try readOnlyQueue(databasePath)
            defer { try? source.close() }
            try source.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [partial]) }
            try place(partial, at: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return try verify(destination)
    }

    /// Checks a store file with `PRAGMA integrity_check` and counts what it holds; throws when it is damaged.
    public static func verify(_ path: String) throws -> StoreFileSummary {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError(description: "\(path) does not exist") }
        let queue = try readOnlyQueue(path)
        defer { try? queue.close() }
        // Outside a transaction: after SQLite meets a damaged page, a COMMIT fails as well.
        var summary = try queue.inDatabase { db in
            let findings = try IntegrityCheck.run(db, full: true)
            guard findings.isEmpty else {
                throw BackupError(description: "\(path) is damaged: " + findings.prefix(5).map(\.description).joined(separator: "; "))
            }
            return StoreFileSummary(path: path,
                             vessels: try Int.fetchOne(db, sql: "SELECT count(*) FROM vessel") ?? 0,
                             voyages: try Int.fetchOne(db, sql: "SELECT count(*) FROM voyage") ?? 0,
                             revisions: try Int.fetchOne(db, sql: "SELECT count(*) FROM reportRevision") ?? 0,
                             acknowledgements: try Int.fetchOne(db, sql: "SELECT count(*) FROM acknowledgement") ?? 0,
                             bytes: 0, sha256: "")
        }
        (summary.bytes, summary.sha256) = try digest(path)
        return summary
    }

    /// A connection that never writes the file at `path` (checks, copies, counts).
    static func readOnlyQueue(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Puts the finished file `temporary` at `destination` so that a crash leaves either no file
    /// there or the whole of it: mode 0640, synced, renamed, its directory synced.
    static func place(_ temporary: String, at destination: String) throws {
        chmod(temporary, 0o640)
        try sync(temporary)
        guard rename(temporary, destination) == 0 else {
            throw BackupError(description: "cannot move \(temporary) into place at \(destination): \(String(cString: strerror(errno)))")
        }
        try sync(URL(fileURLWithPath: destination).deletingLastPathComponent().path)
    }

    static func digest(_ path: String) throws -> (Int64, String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError(description: "cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hash.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (bytes, hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// fsync of a file or directory.
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw BackupError(description: "cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupError(description: "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}

/// The daemon's backups in a directory: `portdaily-YYYYMMDDTHHMMSSZ.sqlite`, named by the UTC time
/// they were taken, so that they sort by it.
public enum BackupDirectory {
    static let prefix = "portdaily-"
    static let suffix = ".sqlite"

    /// `YYYYMMDDTHHMMSSZ`: `instant` to the second, in UTC.
    static func stamp(_ instant: Instant) -> String {
        // Whole seconds: ISO8601.format then writes no fraction.
        ISO8601.format(Instant(millisecondsSinceEpoch: instant.millisecondsSinceEpoch / 1000 * 1000)).filter { $0 != "-" && $0 != ":" }
    }

    /// The file name of a backup taken at `instant`.
    public static func fileName(at instant: Instant) -> String { prefix + stamp(instant) + suffix }

    /// When the backup named `name` was taken; nil for a name ``fileName(at:)`` did not make.
    public static func takenAt(fileName name: String) -> Instant? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let stamp = Array(name.dropFirst(prefix.count).dropLast(suffix.count))
        guard stamp.count == 16 else { return nil }
        return ISO8601.parse(String(stamp[0..<4]) + "-" + String(stamp[4..<6]) + "-" + String(stamp[6..<11]) + ":"
                             + String(stamp[11..<13]) + ":" + String(stamp[13..<16]))
    }

    /// The backups in `directory`, oldest first, with the time each was taken.
    public static func backups(in directory: String) -> [(path: String, takenAt: Instant)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            takenAt(fileName: name).map { ((directory as NSString).appendingPathComponent(name), $0) }
        }.sorted { $0.takenAt < $1.takenAt }
    }

    /// Removes the oldest backups beyond `keep`; the paths removed.
    @discardableResult
    public static func prune(_ directory: String, keep: Int) throws -> [String] {
        let all = backups(in: directory)
        let removed = all.dropLast(max(keep, 1)).map(\.path)
        for path in removed { try FileManager.default.removeItem(atPath: path) }
        return removed
    }
}
