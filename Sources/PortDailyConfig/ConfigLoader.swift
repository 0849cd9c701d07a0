import Foundation
import Logging
import PortDailyCore
import Yams

/// Reads and checks the YAML configuration.
public enum ConfigLoader {
    static let topLevelKeys = [
        "database", "timeZone", "sealGrace", "ingest", "bureaus", "portAreas", "vesselTypes", "listen", "logging", "http",
        "sealer", "figures", "console", "integrityCheck", "backup", "tokens", "ais",
    ]

    public static func load(path: String) throws(ConfigError) -> PortDailyConfiguration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(file: path, key: "", line: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> PortDailyConfiguration {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ConfigError(file: file, key: "", line: yamlErrorLine(error), message: "not valid YAML: \(error)")
        }
        let root = YAMLTree(node: node, path: "", file: file, fallbackLine: 1)
        guard !root.isAbsent else { throw root.error("the file is empty") }
        try root.onlyKeys(topLevelKeys)

        let databaseTree = try root.child("database")
        let database = resolve(try databaseTree.requiredString(), relativeTo: file)
        let zoneTree = try root.child("timeZone")
        let zoneName = try zoneTree.string() ?? "Asia/Shanghai"
        guard let timeZone = TimeZone(identifier: zoneName) else { throw zoneTree.error("unknown IANA time zone '\(zoneName)'") }
        let graceTree = try root.child("sealGrace")
        let grace = try graceTree.duration() ?? 2 * Instant.millisecondsPerHour
        guard grace < Instant.millisecondsPerDay else { throw graceTree.error("must be shorter than 24h") }

        let setup = try portSetup(root)
        let ingest = try ingestSettings(try root.child("ingest"))
        var daemon = try daemonSettings(root, file: file)
        daemon.safety = try safetySettings(root, file: file)
        let figures = try figureParameters(try root.child("figures"), setup: setup)
        return PortDailyConfiguration(file: file, database: database, timeZone: timeZone, sealGraceMilliseconds: grace,
                                      setup: setup, ingest: ingest, daemon: daemon, figures: figures,
                                      tokens: try tokenSettings(try root.child("tokens")), ais: try aisSettings(try root.child("ais")))
    }

    private static func tokenSettings(_ tree: YAMLTree) throws(ConfigError) -> TokenSettings {
        var settings = TokenSettings()
        guard !tree.isAbsent else { return settings }
        try tree.onlyKeys(["lifetime", "rotationGrace", "warnBefore"])
        // A token that never expires is issued only by asking for it (`--expires-in never`).
        let lifetimeTree = try tree.child("lifetime")
        if let lifetime = try lifetimeTree.duration() {
            guard lifetime > 0 else { throw lifetimeTree.error("must be longer than 0 (a token that never expires is issued with --expires-in never)") }
            settings.lifetimeMilliseconds = lifetime
        }
        let graceTree = try tree.child("rotationGrace")
        if let grace = try graceTree.duration() {
            guard grace <= settings.lifetimeMilliseconds else { throw graceTree.error("must not be longer than lifetime") }
            settings.rotationGraceMilliseconds = grace
        }
        if let warn = try tree.child("warnBefore").duration() { settings.warnBeforeMilliseconds = warn }
        return settings
    }

    private static func ingestSettings(_ tree: YAMLTree) throws(ConfigError) -> IngestSettings {
        try tree.onlyKeys(["maxFutureHours", "earliestDeparture", "batchSize", "transactionTime", "importCacheMiB"])
        var settings = IngestSettings()
        if let hours = try tree.child("maxFutureHours").int(in: 0...8760) {
            settings.maxFutureMilliseconds = Int64(hours) * Instant.millisecondsPerHour
        }
        let earliestTree = try tree.child("earliestDeparture")
        if let text = try earliestTree.string() {
            guard let date = LocalDate(text) else { throw earliestTree.error("expected a date YYYY-MM-DD, got '\(text)'") }
            settings.earliestDeparture = date
        }
        if let size = try tree.child("batchSize").int(in: 1...1_000_000) { settings.batchSize = size }
        let transactionTree = try tree.child("transactionTime")
        if let time = try transactionTree.duration() {
            guard time <= 60_000 else { throw transactionTree.error("at most 60s: a running daemon's writes wait for it") }
            settings.transactionMilliseconds = time
        }
        if let cache = try tree.child("importCacheMiB").int(in: 2...65_536) { settings.importCacheMiB = cache }
        return settings
    }

    private static func daemonSettings(_ root: YAMLTree, file: String) throws(ConfigError) -> DaemonSettings {
        var settings = DaemonSettings()
        let listenTree = try root.child("listen")
        if let text = try listenTree.string() {
            guard let (host, port) = DaemonSettings.parseListen(text) else {
                throw listenTree.error("expected HOST:PORT such as 127.0.0.1:8470 or [::1]:8470, got '\(text)'")
            }
            settings.listenHost = host
            settings.listenPort = port
        }
        let logging = try root.child("logging")
        try logging.onlyKeys(["level", "journal"])
        let levelTree = try logging.child("level")
        if let text = try levelTree.string() {
            guard let level = Logger.Level(rawValue: text) else {
                throw levelTree.error("expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
            }
            settings.logLevel = level
        }
        let journalTree = try logging.child("journal")
        if let text = try journalTree.string() {
            guard let mode = JournalMode(rawValue: text) else { throw journalTree.error("expected auto, always or never, got '\(text)'") }
            settings.journal = mode
        }
        let http = try root.child("http")
        try http.onlyKeys(["maxBodyBytes", "maxPageSize", "maxRemarkLength", "maxFiguresDays", "idleTimeout",
                           "metricsFromLoopback", "socketName", "rateLimits", "maxInFlight", "maxConnections", "tls",
                           "trustedProxies"])
        if let bytes = try http.child("maxBodyBytes").int(in: 1024...1 << 30) { settings.limits.maxBodyBytes = bytes }
        if let size = try http.child("maxPageSize").int(in: APILimits.defaultPageSize...100_000) { settings.limits.maxPageSize = size }
        if let length = try http.child("maxRemarkLength").int(in: 1...100_000) { settings.limits.maxRemarkLength = length }
        if let days = try http.child("maxFiguresDays").int(in: 1...36_600) { settings.limits.maxFiguresDays = days }
        let idleTree = try http.child("idleTimeout")
        if let idle = try idleTree.duration() {
            guard idle >= 1000 else { throw idleTree.error("must be at least 1s") }
            settings.idleTimeoutMilliseconds = idle
        }
        if let loopback = try http.child("metricsFromLoopback").bool() { settings.metricsFromLoopback = loopback }
        settings.socketName = try http.child("socketName").string()
        settings.abuse = try abuseLimits(http)
        settings.tls = try tlsSettings(try http.child("tls"), file: file)
        let proxies = try http.child("trustedProxies")
        if !proxies.isAbsent {
            settings.trustedProxies = try proxies.elements().map { tree throws(ConfigError) in
                let address = try tree.requiredString()
                guard let normal = IPAddressText.normalized(address) else {
                    throw tree.error("expected an IPv4 or IPv6 address, got '\(address)'")
                }
                return normal
            }
        }
        let sealer = try root.child("sealer")
        try sealer.onlyKeys(["checkInterval"])
        let checkTree = try sealer.child("checkInterval")
        if let check = try checkTree.duration() {
            guard check >= 1000 else { throw checkTree.error("must be at least 1s") }
            settings.sealCheckMilliseconds = check
        }
        settings.console = try consoleSettings(try root.child("console"))
        return settings
    }

    private static func tlsSettings(_ tree: YAMLTree, file: String) throws(ConfigError) -> TLSSettings? {
        guard !tree.isAbsent else { return nil }
        try tree.onlyKeys(["certificate", "privateKey", "clientCA", "requireClientCertificate"])
        var tls = TLSSettings(certificate: resolve(try tree.child("certificate").requiredString(), relativeTo: file),
                              privateKey: resolve(try tree.child("privateKey").requiredString(), relativeTo: file))
        tls.clientCA = try tree.child("clientCA").string().map { resolve($0, relativeTo: file) }
        let required = try tree.child("requireClientCertificate")
        if let require = try required.bool() {
            guard !require || tls.clientCA != nil else { throw required.error("needs clientCA, the CA that signs the client certificates") }
            tls.requireClientCertificate = require
        }
        return tls
    }

    private static func abuseLimits(_ http: YAMLTree) throws(ConfigError) -> AbuseLimits {
        var limits = AbuseLimits()
        if let inFlight = try http.child("maxInFlight").int(in: 4...1_000_000) { limits.maxInFlight = inFlight }
        if let connections = try http.child("maxConnections").int(in: 1...1_000_000) { limits.maxConnections = connections }
        let rates = try http.child("rateLimits")
        try rates.onlyKeys(["perToken", "perAddress", "badTokensPerAddress", "badTokenWindow", "refusalDelay"])
        limits.perToken = try bucket(try rates.child("perToken"), default: limits.perToken)
        limits.perAddress = try bucket(try rates.child("perAddress"), default: limits.perAddress)
        if let bad = try rates.child("badTokensPerAddress").int(in: 1...1_000_000) { limits.badTokensPerAddress = bad }
        let windowTree = try rates.child("badTokenWindow")
        if let window = try windowTree.duration() {
            guard window >= 1000 else { throw windowTree.error("must be at least 1s") }
            limits.badTokenWindowMilliseconds = window
        }
        let delayTree = try rates.child("refusalDelay")
        if let delay = try delayTree.duration() {
            guard delay <= 60_000 else { throw delayTree.error("must be at most 60s") }
            limits.refusalDelayMilliseconds = delay
        }
        return limits
    }

    private static func bucket(_ tree: YAMLTree, default limit: BucketLimit) throws(ConfigError) -> BucketLimit {
        var limit = limit
        try tree.onlyKeys(["perSecond", "burst"])
        if let rate = try tree.child("perSecond").double(in: 0.01...10_000_000) { limit.perSecond = rate }
        if let burst = try tree.child("burst").int(in: 1...10_000_000) { limit.burst = burst }
        return limit
    }

    private static func safetySettings(_ root: YAMLTree, file: String) throws(ConfigError) -> StoreSafetySettings {
        var settings = StoreSafetySettings()
        let check = try root.child("integrityCheck")
        try check.onlyKeys(["every", "pause"])
        let everyTree = try check.child("every")
        // 0: passes back to back, which only a measurement of the check's cost wants.
        if let every = try everyTree.duration() { settings.checkEveryMilliseconds = every }
        let pauseTree = try check.child("pause")
        if let pause = try pauseTree.duration() { settings.checkPauseMilliseconds = pause }
        let backup = try root.child("backup")
        guard !backup.isAbsent else { return settings }
        try backup.onlyKeys(["directory", "every", "keep"])
        var backups = BackupSettings()
        if let directory = try backup.child("directory").string() { backups.directory = resolve(directory, relativeTo: file) }
        let backupEvery = try backup.child("every")
        if let every = try backupEvery.duration() {
            guard every >= 60_000 else { throw backupEvery.error("must be at least 1m") }
            backups.everyMilliseconds = every
        }
        if let keep = try backup.child("keep").int(in: 1...10_000) { backups.keep = keep }
        settings.backup = backups
        return settings
    }

    private static func consoleSettings(_ tree: YAMLTree) throws(ConfigError) -> ConsoleSettings {
        var settings = ConsoleSettings()
        try tree.onlyKeys(["sessionIdle", "sessionLifetime", "signInLimit", "secureCookies"])
        let idleTree = try tree.child("sessionIdle")
        if let idle = try idleTree.duration() {
            guard idle >= 60_000 else { throw idleTree.error("must be at least 1m") }
            settings.sessionIdleMilliseconds = idle
        }
        let lifetimeTree = try tree.child("sessionLifetime")
        if let lifetime = try lifetimeTree.duration() {
            guard lifetime >= settings.sessionIdleMilliseconds else { throw lifetimeTree.error("must not be shorter than sessionIdle") }
            settings.sessionLifetimeMilliseconds = lifetime
        }
        let limit = try tree.child("signInLimit")
        try limit.onlyKeys(["perUser", "perAddress", "window"])
        if let count = try limit.child("perUser").int(in: 1...1000) { settings.failedSignInsPerUser = count }
        if let count = try limit.child("perAddress").int(in: 1...100_000) { settings.failedSignInsPerAddress = count }
        let windowTree = try limit.child("window")
        if let window = try windowTree.duration() {
            guard window >= 1000 else { throw windowTree.error("must be at least 1s") }
            settings.signInWindowMilliseconds = window
        }
        if let secure = try tree.child("secureCookies").bool() { settings.secureCookies = secure }
        return settings
    }

    private static func figureParameters(_ tree: YAMLTree, setup: PortSetup) throws(ConfigError) -> FigureParameters {
        try tree.onlyKeys(["fuelPriceCnyPerTonne", "workingHoursPerVesselMonth", "crossing", "vesselTypes", "declared"])
        var parameters = FigureParameters()
        if let price = try tree.child("fuelPriceCnyPerTonne").double(in: 0...1_000_000) { parameters.fuelPriceCnyPerTonne = price }
        if let hours = try tree.child("workingHoursPerVesselMonth").double(in: 1...744) { parameters.workingHoursPerVesselMonth = hours }
        let crossingTree = try tree.child("crossing")
        if !crossingTree.isAbsent { parameters.defaultCrossing = try crossing(crossingTree, base: parameters.defaultCrossing) }
        let typesTree = try tree.child("vesselTypes")
        if !typesTree.isAbsent {
            guard let mapping = typesTree.node?.mapping else { throw typesTree.error("expected a mapping of vessel type to parameters") }
            for (key, _) in mapping {
                let type = key.string ?? ""
                let entry = try typesTree.child(type)
                guard setup.knowsVesselType(type) else { throw entry.error("unknown vessel type '\(type)'") }
                parameters.crossingByType[type] = try crossing(entry, base: parameters.crossing(forType: type))
            }
        }
        for element in try tree.child("declared").elements() {
            try element.onlyKeys(["label", "value", "unit", "note"])
            guard let value = try element.child("value").double(in: -1e15...1e15) else { throw try element.child("value").error("missing") }
            parameters.declared.append(DeclaredFigure(label: try element.child("label").requiredString(), value: value,
                                                      unit: try element.child("unit").requiredString(),
                                                      note: try element.child("note").string()))
        }
        return parameters
    }

    private static func crossing(_ tree: YAMLTree, base: CrossingCost) throws(ConfigError) -> CrossingCost {
        try tree.onlyKeys(["waitHoursPerCrossing", "fuelTonnesPerHour"])
        var cost = base
        if let wait = try tree.child("waitHoursPerCrossing").double(in: 0...48) { cost.waitHoursPerCrossing = wait }
        if let fuel = try tree.child("fuelTonnesPerHour").double(in: 0...100) { cost.fuelTonnesPerHour = fuel }
        return cost
    }

    static func resolve(_ path: String, relativeTo file: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
    }

    private static func yamlErrorLine(_ error: any Error) -> Int? {
        guard let yamlError = error as? YamlError else { return nil }
        switch yamlError {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
