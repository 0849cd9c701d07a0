import PortDailyConfig

/// Command-line settings that win over the configuration file, at start and on every reload.
public struct DaemonOverrides: Sendable {
    public var listen: String?
    public var database: String?

    public init(listen: String? = nil, database: String? = nil) {
        self.listen = listen
        self.database = database
    }

    func apply(to configuration: PortDailyConfiguration) throws(ConfigError) -> PortDailyConfiguration {
        var result = configuration
        if let database { result.database = database }
        if let listen {
            guard let (host, port) = DaemonSettings.parseListen(listen) else {
                throw ConfigError(file: "--listen", key: "listen", line: nil, message: "expected HOST:PORT, got '\(listen)'")
            }
            result.daemon.listenHost = host
            result.daemon.listenPort = port
        }
        return result
    }
}
