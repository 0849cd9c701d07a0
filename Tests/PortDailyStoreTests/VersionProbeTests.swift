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
        #expect(probe.read() == nil, "tried again within the second")
        try await Task.sleep(for: .milliseconds(1100))
        #expect(probe.read() == (try store.versions()))
        #expect(probe.read()?.tokens == 1)
        probe.close()
        try await Task.sleep(for: .milliseconds(1100))
        #expect(probe.read() == nil, "a closed probe stays closed")
    }
}
