import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("The time zone a store's days are cut in")
struct StoreTimeZoneTests {
    let voyage = Fixture.voyage("A", departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "n2")

    @Test("the first zone stated is kept; another one is refused once voyages are stored, naming both")
    func mismatch() throws {
        let t = try TestStore()
        try t.store.adoptTimeZone("Asia/Shanghai")
        try t.store.adoptTimeZone("Europe/Berlin")  // no voyage yet: the zone may still change
        try t.store.adoptTimeZone("Asia/Shanghai")
        try t.ingest([voyage])
        try t.store.adoptTimeZone("Asia/Shanghai")
        #expect(throws: TimeZoneMismatch(stored: "Asia/Shanghai", configured: "Europe/Berlin")) {
            try t.store.adoptTimeZone("Europe/Berlin")
        }
        let message = "\(TimeZoneMismatch(stored: "Asia/Shanghai", configured: "Europe/Berlin"))"
        #expect(message.contains("Asia/Shanghai") && message.contains("timeZone Europe/Berlin"))
    }

    @Test("a store that holds voyages from before zones were recorded adopts the first one stated")
    func legacy() throws {
        let t = try TestStore()
        try t.ingest([voyage])
        try t.store.adoptTimeZone("Asia/Shanghai")
        #expect(throws: TimeZoneMismatch.self) { try t.store.adoptTimeZone("UTC") }
    }
}
