import ArgumentParser
import PortDailyCore
import PortDailyStore

struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal every day that is due: its following local midnight plus the grace period has passed.")

    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("Act as if it were this time (ISO 8601 with offset).", valueName: "time")) var now: String?

    func run() throws {
        var instant = SystemClock.now
        if let now {
            guard let parsed = ISO8601.parse(now) else { throw UsageError(message: "--now: not an ISO 8601 time with an offset: \(now)") }
            instant = parsed
        }
        let (_, store, rules) = try common.open()
        try Console.writeJSON(try store.seal(rules: rules, now: instant))
    }
}
