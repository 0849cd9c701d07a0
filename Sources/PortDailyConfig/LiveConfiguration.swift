import Synchronization

/// The configuration in force, replaced as a whole on reload; readers always see one complete
/// configuration, never a mix of old and new.
public final class LiveConfiguration: Sendable {
    private let state: Mutex<PortDailyConfiguration>

    public init(_ configuration: PortDailyConfiguration) { state = Mutex(configuration) }

    public var current: PortDailyConfiguration { state.withLock { $0 } }

    public func replace(with configuration: PortDailyConfiguration) { state.withLock { $0 = configuration } }
}
