import Logging
import PortDailyConfig
import PortDailyCore
import PortDailyLogging
import PortDailyStore
public import ServiceLifecycle

/// Warns in the journal of each token that expires within `tokens.warnBefore`: at start, then once
/// a day (one entry a token, with `MESSAGE_ID`, so that an admin can rotate it in time); and names
/// the tokens in force that never expire, in one notice.
public struct TokenExpiryService: Service {
    let store: PortDailyStore
    let live: LiveConfiguration
    let clock: any WallClock
    let logger: Logger

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            warn()
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(86_400)) } } catch { return }
        }
    }

    /// Logs the tokens expiring soon as of now; how many.
    @discardableResult
    public func warn() -> Int {
        let now = clock.now
        do {
            let tokens = try store.tokens()
            // Tokens in force that never expire (issued with --expires-in never, or before tokens
            // expired at all): named once a day, so that none is forgotten.
            let forever = tokens.filter(\.neverExpires).map(\.id)
            if !forever.isEmpty {
                logger.notice("\(forever.count) API token(s) in force never expire; rotate them with an expiry: portdaily tokens rotate ID",
                              metadata: ["TOKEN_IDS": "\(forever.map(String.init).joined(separator: ","))"])
            }
            let window = live.current.tokens.warnBeforeMilliseconds
            let expiring = tokens.filter { $0.expires(within: window, of: now) }
            for token in expiring {
                guard let expiry = token.expiresAt else { continue }
                let days = (expiry.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / Instant.millisecondsPerDay
                logger.event(.tokenExpiring, level: .warning,
                             "API token \(token.id) expires at \(expiry) (in \(days) days); rotate it: portdaily tokens rotate \(token.id)",
                             metadata: [LogField.tokenID: "\(token.id)", "TOKEN_NAME": "\(token.name ?? "")",
                                        "ROLE": "\(token.role)", "EXPIRES_AT": "\(expiry)"])
            }
            return expiring.count
        } catch {
            logger.event(.storeError, level: .error, "the tokens could not be read to look for expiring ones",
                         metadata: ["ERROR": "\(error)"])
            return 0
        }
    }
}
