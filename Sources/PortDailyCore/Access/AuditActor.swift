/// Who made a write, as the audit trail records it: the API token or signed-in person, and the
/// client's address; or the command line, with the system user who ran it (no address).
public struct AuditActor: Sendable, Hashable, Codable {
    /// `token ID (NAME)`, `user NAME` (the journal's ACTOR spelling) or `cli USER`.
    public let name: String
    public let address: String?

    public init(name: String, address: String?) {
        self.name = name
        self.address = address
    }

    /// The command line, run by system user `user`.
    public static func commandLine(user: String) -> AuditActor { AuditActor(name: "cli \(user)", address: nil) }

    /// A write no caller named (tests and benchmarks that drive the store directly).
    public static let unattributed = AuditActor(name: "unattributed", address: nil)
}
