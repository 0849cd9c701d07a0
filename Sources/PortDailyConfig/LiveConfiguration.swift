import Synchronization

/// The configuration in force, replaced as a whole on reload; readers always see one complete
/// configuration, never a mix of old and new.
public final class LiveConfiguration: Sendable {
    private let state: Mutex<(configuration: PortDailyConfiguration, generation: Int)>

    public init(_ configuration: PortDailyConfiguration) { state = Mutex((configuration, 0)) }

    public var current: PortDailyConfiguration { state.withLock { $0.configuration } }

    /// Increases with every replacement, so a waiting loop can notice a reload.
    public var generation: Int { state.withLock { $0.generation } }

    public func replace(with configuration: PortDailyConfiguration) {
        state.withLock { $0 = (configuration, $0.generation + 1) }
    }
}
