import GRDB
import Synchronization

/// What a report list depends on besides its filter, read in three index probes: the highest
/// revision sequence number (every revision written or rewritten takes a new one, and its shares
/// are written with it), the highest acknowledgement id (acknowledgements are only added), and
/// the sealing watermark (it decides each document's `sealed`). Equal versions, equal lists.
struct ReportListVersion: Equatable {
    let seq: Int64
    let acknowledgement: Int64
    let sealedThrough: Int64?

    static func current(_ db: Database) throws -> ReportListVersion {
        var query = try DirectStatement(db, sql: """
            SELECT (SELECT COALESCE(MAX(seq), 0) FROM reportRevision), (SELECT COALESCE(MAX(id), 0) FROM acknowledgement),
                   (SELECT sealedThrough FROM sealState WHERE id = 1)
            """)
        var version = ReportListVersion(seq: 0, acknowledgement: 0, sealedThrough: nil)
        try query.rows { row in
            version = ReportListVersion(seq: row.int64(0) ?? 0, acknowledgement: row.int64(1) ?? 0, sealedThrough: row.int64(2))
        }
        return version
    }
}

/// The last report lists rendered, by filter, each with the ``ReportListVersion`` it was read at:
/// bureaus pull the same day again and again, and while nothing it depends on changed, the list
/// is served again instead of being read and rendered anew. Holds at most `entries` lists and
/// `bytes` in all (as `size` measures a rendering); the least recently used go first. Owned by
/// whoever renders (the HTTP layer keeps one per representation); the store checks the version.
public final class ReportListCache<Value: Sendable>: Sendable {
    private struct Entry {
        let version: ReportListVersion
        let value: Value
        let size: Int
        var used: UInt64
    }

    private struct State {
        var entries: [ReportFilter: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    private let maxEntries: Int
    private let maxBytes: Int
    private let size: @Sendable (Value) -> Int

    public init(entries: Int = 16, bytes: Int = 16 << 20, size: @escaping @Sendable (Value) -> Int) {
        maxEntries = entries
        maxBytes = bytes
        self.size = size
    }

    /// The list for `filter` at `version`, from the cache or else made by `make` (and kept).
    func value(for filter: ReportFilter, at version: ReportListVersion, make: () throws -> Value) rethrows -> Value {
        let cached = state.withLock { state -> Value? in
            guard let entry = state.entries[filter], entry.version == version else { return nil }
            state.clock += 1
            state.entries[filter]?.used = state.clock
            return entry.value
        }
        if let cached { return cached }
        let value = try make()
        let bytes = size(value)
        guard bytes <= maxBytes else { return value }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: filter) { state.bytes -= old.size }
            while state.entries.count >= maxEntries || state.bytes + bytes > maxBytes,
                  let oldest = state.entries.min(by: { $0.value.used < $1.value.used }) {
                state.bytes -= oldest.value.size
                state.entries[oldest.key] = nil
            }
            state.clock += 1
            state.entries[filter] = Entry(version: version, value: value, size: bytes, used: state.clock)
            state.bytes += bytes
        }
        return value
    }
}
