import Foundation

/// The seed of a randomised test: `PORTDAILY_TEST_SEED` to replay a failure, else a new one each
/// run. Every expectation of such a test names it, so a failure says how to replay it.
public enum TestSeed {
    public static func make() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["PORTDAILY_TEST_SEED"], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 1...UInt64.max)
    }
}
