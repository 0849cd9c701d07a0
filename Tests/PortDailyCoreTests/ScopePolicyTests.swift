import PortDailyCore
import PortDailyTestSupport
import Testing

@Suite("The scope policy's filters")
struct ScopePolicyTests {
    static func scope(_ caller: Caller, _ action: Action) throws -> Scope {
        try ScopePolicy.scope(.caller(caller), action).get()
    }

    @Test("an operator's filters are its own whatever it asks; a bureau's its own; an admin's what it asks")
    func filters() throws {
        let op = try Self.scope(.operator("op1"), .readReports)
        #expect(op.operatorFilter(requested: "op2") == "op1")
        #expect(op.bureauFilter(requested: "north") == "north")
        #expect(op.reportFilter(requestedBureau: "north", requestedOperator: "op2") == (nil, "op1"))
        let bureau = try Self.scope(.bureau("north"), .readReports)
        #expect(bureau.bureauFilter(requested: "south") == "north")
        #expect(bureau.operatorFilter(requested: "op2") == "op2")
        #expect(bureau.reportFilter(requestedBureau: "south", requestedOperator: "op2") == ("north", nil))
        let admin = try Self.scope(.admin, .readReports)
        #expect(admin.reportFilter(requestedBureau: "south", requestedOperator: "op2") == ("south", "op2"))
        #expect(admin.operatorFilter(requested: nil) == nil)
    }

    @Test("a report is visible to its operator, to the bureaus it is shared with, and to admins")
    func visibility() throws {
        let voyage = Fixture.voyage("V1", vessel: Fixture.bunker, departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "s1")
        let report = try #require(ReportFold(setup: Fixture.setup).reports(vessel: Fixture.bunker, date: Fixture.date("2026-03-02"),
                                                                            voyages: [voyage]).first)
        #expect(try Self.scope(.operator("op2"), .readReports).canSee(report))
        #expect(try !Self.scope(.operator("op1"), .readReports).canSee(report))
        #expect(try Self.scope(.bureau("south"), .readReports).canSee(report))
        #expect(try !Self.scope(.bureau("msa"), .readReports).canSee(report))
        #expect(try Self.scope(.admin, .readReports).canSee(report))
    }

    @Test("refusals: no principal is unauthenticated, a role without the right is forbidden")
    func refusals() {
        #expect(ScopePolicy.scope(.anonymous, .readReports) == .failure(.unauthenticated(.readReports)))
        #expect(ScopePolicy.scope(.trustedLoopback, .submitVoyages) == .failure(.unauthenticated(.submitVoyages)))
        #expect(ScopePolicy.scope(.caller(.bureau("north")), .submitVoyages) == .failure(.forbidden(.bureau("north"), .submitVoyages)))
        #expect((try? ScopePolicy.scope(.trustedLoopback, .readMetrics).get()) != nil)
        #expect((try? ScopePolicy.scope(.anonymous, .readHealth).get()) != nil)
    }
}
