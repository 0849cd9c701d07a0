import CSystemd
import Glibc
public import Logging

/// A swift-log handler that writes structured entries to journald with `sd_journal_sendv`.
///
/// Each entry carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`, `CODE_LINE`,
/// `CODE_FUNC`, and every metadata value as a field of its own: a key such as `VESSEL_MMSI` or
/// `vessel.mmsi` becomes the journal field `VESSEL_MMSI`, so admins filter with
/// `journalctl VESSEL_MMSI=412000001`.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let identifier: String
    let label: String

    public init(label: String, identifier: String, level: Logger.Level = .info) {
        self.label = label
        self.identifier = identifier
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("MESSAGE", event.message.description),
            ("PRIORITY", String(Self.priority(event.level))),
            ("SYSLOG_IDENTIFIER", identifier),
            ("CODE_FILE", event.file),
            ("CODE_LINE", String(event.line)),
            ("CODE_FUNC", event.function),
            ("LOGGER", label),
        ]
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged {
            guard let name = Self.fieldName(key) else { continue }
            fields.append((name, "\(value)"))
        }
        Self.send(fields)
    }

    /// journald priorities (syslog levels).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// A journal field name: uppercase letters, digits and underscores, not starting with an
    /// underscore or digit (those are trusted or invalid), at most 64 characters.
    static func fieldName(_ key: String) -> String? {
        var name = String(key.uppercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        while let first = name.first, first == "_" || first.isNumber { name.removeFirst() }
        guard !name.isEmpty else { return nil }
        return String(name.prefix(64))
    }

    static func send(_ fields: [(String, String)]) {
        var flat: [UInt8] = []
        var spans: [(offset: Int, length: Int)] = []
        for (name, value) in fields {
            let start = flat.count
            flat.append(contentsOf: name.utf8)
            flat.append(UInt8(ascii: "="))
            flat.append(contentsOf: value.utf8)
            spans.append((start, flat.count - start))
        }
        flat.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var vectors = spans.map { iovec(iov_base: base + $0.offset, iov_len: $0.length) }
            _ = vectors.withUnsafeMutableBufferPointer { sd_journal_sendv($0.baseAddress, CInt($0.count)) }
        }
    }

    /// Whether stderr is connected to the journal: `JOURNAL_STREAM` names its device and inode.
    public static func stderrIsJournal(environment: [String: String]) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
