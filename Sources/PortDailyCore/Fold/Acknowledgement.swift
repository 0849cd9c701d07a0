/// A bureau's acknowledgement of a report revision: received, or cleared with a remark.
public struct Acknowledgement: Sendable, Codable, Equatable {
    public let bureau: String
    public let revision: Int
    public let remark: String?
    public let recordedAt: Instant

    public init(bureau: String, revision: Int, remark: String?, recordedAt: Instant) {
        self.bureau = bureau
        self.revision = revision
        self.remark = remark
        self.recordedAt = recordedAt
    }
}
