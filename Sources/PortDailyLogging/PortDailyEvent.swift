public import Logging

/// The key events of the daemon, each with a stable 128-bit `MESSAGE_ID` so admins can find
/// them with `journalctl MESSAGE_ID=…` and `journalctl -x` can show the catalog's explanation
/// (`systemd/portdaily.catalog`). The ids never change once shipped.
public enum PortDailyEvent: String, CaseIterable, Sendable {
    case started = "8e8a3ac7f6d447e3baef35607b689077"
    case ready = "f0c0c4c363544d9e9dfe5831909ffb40"
    case reloaded = "5d86c05f553545cd8aa36224112e6ff7"
    case reloadFailed = "587813817d904557a31c209641ddac95"
    case batchAccepted = "31c04d2ad4d046a199f4bdd1f107b913"
    case recordsRejected = "6e59edeb31764aeb85c1c2b31fae034c"
    case daySealed = "126895b39e8f4e9d9bd8a963c6ab1d82"
    case reportRevisedLate = "da26a16f103845588b339b40a433ce9f"
    case storeError = "dcd2a5829b78481a85faffb4619ae5e9"
    case stopping = "df7cce457d664e8293d945c5a057c34b"
    case signInFailed = "df2ac8a5b4ad47b992fd61858e741759"
    case signInLimited = "2a8f9ccca9e24b52856539430f854e83"
    case storeDamaged = "8e64849a64db435b9f7c93b0aaa47589"
    case backupTaken = "7b056d3688e14b4292fc23569321855f"
    case backupFailed = "03246bf4fbc544eea068fd021c6fd0d2"
    case badTokensLimited = "5773fb4ab3ac40dda17a0b94d3a0556b"
    case tokenExpiring = "c10816ae366c4bca8dee3437072545b8"
    case tlsCertificateLoaded = "0053454bd6944a18a6b5be8339dbe53f"
    case tlsCertificateRefused = "e02f079793a14e98b9e97eb9f39040ad"
    case aisFeedDown = "015ccf0735cc402e8f6ad7b8b71d0db2"
    case aisFeedUp = "9ade5cbebb8740e4bbd216374e507e05"
    case aisUnreportedMovement = "ad8c4275d24f4364bb8f9ce28575747e"

    public var messageID: String { rawValue }
}

/// Metadata keys, named as the journal fields admins filter on.
public enum LogField {
    public static let messageID = "MESSAGE_ID"
    public static let vesselMMSI = "VESSEL_MMSI"
    public static let operatorID = "OPERATOR"
    public static let bureau = "BUREAU"
    public static let reportDate = "REPORT_DATE"
    public static let movementID = "MOVEMENT_ID"
    public static let revision = "REVISION"
    public static let userName = "USER_NAME"
    public static let clientAddress = "CLIENT_ADDRESS"
    public static let tokenID = "TOKEN_ID"
    /// Who made the request: `token ID (NAME)` or `user NAME` (``ActorLabel``).
    public static let actor = "ACTOR"
}

extension Logger {
    /// Logs a key event with its `MESSAGE_ID`.
    public func event(_ event: PortDailyEvent, level: Logger.Level = .info, _ message: @autoclosure () -> Logger.Message,
                      metadata: Logger.Metadata = [:], file: String = #fileID, function: String = #function,
                      line: UInt = #line) {
        var fields = metadata
        fields[LogField.messageID] = .string(event.messageID)
        log(level: level, message(), metadata: fields, file: file, function: function, line: line)
    }
}

/// How the journal's `ACTOR` field names who made a request.
public enum ActorLabel {
    public static func token(id: Int64, name: String?) -> String { name.map { "token \(id) (\($0))" } ?? "token \(id)" }
    public static func user(_ name: String) -> String { "user \(name)" }
}
