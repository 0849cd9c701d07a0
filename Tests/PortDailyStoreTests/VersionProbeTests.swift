import Foundation
@testable import PortDailyStore
import PortDailyTestSupport
import Testing

/// The probe reads the versions on a connection of its own; when it has none, the store reads
/// them through the pool, and the probe tries again a second later.
@Suite("Version probe")
struct VersionProbeTests {
    @Test("a probe that could not open connects a second later, once the database is there")
    func reconnects() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("later.sqlite").path
        let probe = VersionProbe(path: path)
        #expect(probe.read() == nil, "no database yet")
        let store = try PortDailyStore(path: path)
        _ = try store.issueToken(for: .admin, name: "a", now: TestStore.receipt)
        let failedAt = ContinuousClock.now
        #expect(probe.read() == nil, "tried again within the second")
        #expect(await Poll.until(5) { probe.read() != nil }, "connected once the database is there")
        #expect(ContinuousClock.now - failedAt >= .milliseconds(900), "not tried again within the second")
        #expect(probe.read() == (try store.versions()))
        #expect(probe.read()?.tokens == 1)
        probe.close()
        #expect(await Poll.holds(for: 1.5) { probe.read() == nil }, "a closed probe stays closed, past its retry second")
    }
}
