import Foundation
import HummingbirdTesting
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// Who did what: every kind of write through the API, by a token from an address, and through the
/// console, by a signed-in person, appears in `GET /v1/audit` (admins only), and nothing changes it.
@Suite("The audit trail", .timeLimit(.minutes(1)))
struct AuditTrailAPITests {
    static let day = "2026-03-02"

    @Test("each kind of API write appears with its token and client address; only admins read it; the trail has no write route")
    func apiWrites() async throws {
        let t = try await TestApp.make()
        let tokens = try t.store.tokens()
        func label(_ name: String) throws -> String { "token \(try #require(tokens.first { $0.name == name }).id) (\(name))" }
        let (op1, admin, beijiang) = (try label("op1"), try label("admin"), try label("beijiang"))
        try await t.run(.live) { c in
            #expect(try await c.post([RunningDaemon.voyage("AU1"), RunningDaemon.voyage("AU2", hour: 10)], token: c.tokens["op1"]).status == 200)
            // A correction of AU1 and a cancellation of AU2.
            #expect(try await c.post([RunningDaemon.voyage("AU1", hour: 11)], token: c.tokens["op1"]).status == 200)
            let cancelled = try await c.request("DELETE", "/v1/voyages/AU2?reason=called%20off", token: c.tokens["op1"])
            #expect(cancelled.status == 200, "\(cancelled.text)")
            let vessel = #"{"name":"津港拖9号","type":"tug","operator":"op1","homeBureau":"beijiang-msa","admittedFrom":"2026-01-01"}"#
            #expect(try await c.request("PUT", "/v1/vessels/412000009", token: c.tokens["admin"], body: Data(vessel.utf8),
                                        contentType: "application/json").status == 201)
            #expect(try await c.request("DELETE", "/v1/vessels/412000009", token: c.tokens["admin"]).status == 204)
            let report = try await c.request("GET", "/v1/daily-reports/412000001/\(Self.day)", token: c.tokens["beijiang"])
            let revision = report.object["revision"] as? Int ?? 1
            let ack = try await c.request("POST", "/v1/daily-reports/412000001/\(Self.day)/acknowledgements", token: c.tokens["beijiang"],
                                          body: Data(#"{"revision": \#(revision), "remark": "received"}"#.utf8),
                                          contentType: "application/json")
            #expect(ack.status == 201, "\(ack.text)")

            let page = try await c.request("GET", "/v1/audit?from=2026-01-01&to=2099-12-31", token: c.tokens["admin"])
            #expect(page.status == 200, "\(page.text)")
            let events = page.object["events"] as? [[String: Any]] ?? []
            func event(_ action: String) -> [String: Any]? { events.last { $0["action"] as? String == action } }
            for (action, actor) in [("voyages.submitted", op1), ("voyage.cancelled", op1), ("vessels.registered", admin),
                                    ("vessel.removed", admin), ("report.acknowledged", beijiang)] {
                #expect(event(action)?["actor"] as? String == actor, "\(action): \(events)")
                #expect(event(action)?["address"] as? String == "127.0.0.1", "\(action)")
            }
            let submissions = events.filter { $0["action"] as? String == "voyages.submitted" }
            #expect(submissions.map { $0["detail"] as? String } == ["accepted 2, duplicates 0, corrected 0, rejected 0",
                                                                     "accepted 0, duplicates 0, corrected 1, rejected 0"])
            #expect(event("voyage.cancelled")?["detail"] as? String == "called off")

            // One actor's events; a page at a time.
            let mine = try await c.request("GET", "/v1/audit?from=2026-01-01&to=2099-12-31&actor=\(op1.prefix { $0 != " " })%20\(op1.split(separator: " ")[1])",
                                           token: c.tokens["admin"])
            let actors = Set((mine.object["events"] as? [[String: Any]] ?? []).compactMap { $0["actor"] as? String })
            #expect(actors == [op1], "\(mine.text)")
            let first = try await c.request("GET", "/v1/audit?from=2026-01-01&to=2099-12-31&limit=2", token: c.tokens["admin"])
            let next = try #require(first.object["next"] as? Int)
            let second = try await c.request("GET", "/v1/audit?from=2026-01-01&to=2099-12-31&limit=100&after=\(next)", token: c.tokens["admin"])
            #expect(((second.object["events"] as? [[String: Any]])?.first?["id"] as? Int ?? 0) > next)

            // Admins only; nothing writes to it.
            #expect(try await c.request("GET", "/v1/audit?from=2026-01-01&to=2099-12-31", token: c.tokens["op1"]).status == 403)
            #expect(try await c.request("GET", "/v1/audit?from=2026-01-01&to=2099-12-31", token: c.tokens["beijiang"]).status == 403)
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let answer = try await c.request(method, "/v1/audit", token: c.tokens["admin"], body: Data("{}".utf8),
                                                 contentType: "application/json")
                #expect([404, 405].contains(answer.status), "\(method) /v1/audit: \(answer.status)")
            }
            let bad = try await c.request("GET", "/v1/audit?from=2026-03-05&to=2026-03-01", token: c.tokens["admin"])
            #expect(bad.status == 400)

            // The report's revisions say who made their changes: op1 stored, corrected and cancelled.
            let single = try await c.request("GET", "/v1/daily-reports/412000001/\(Self.day)", token: c.tokens["admin"])
            let revisions = single.object["revisions"] as? [[String: Any]] ?? []
            #expect(!revisions.isEmpty && revisions.allSatisfy { $0["changedBy"] as? [String] == [op1] }, "\(revisions)")
        }
        // The voyage's history names who submitted it and who corrected it.
        let history = try t.store.history(VoyageKey(operator: "op1", movementId: "AU1"))
        #expect(history.submitted?.actor == op1 && history.submitted?.address == "127.0.0.1")
        #expect(history.changes.map(\.action) == ["corrected"] && history.changes.first?.actor == op1)
    }

    @Test("a signed-in person's upload and acknowledgement name the person")
    func consoleWrites() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, api in
            let dispatcher = browser()
            try await dispatcher.signIn("disp1")
            let csv = Voyage.fieldNames.joined(separator: ",") + "\r\n"
                + "AC1,op1,412000001,escort,\(Self.day)T08:00:00+08:00,beijiang,,\(Self.day)T09:00:00+08:00,beijiang,,,,3,\r\n"
            let csrf = try #require(try await dispatcher.get("/ui/upload").csrf)
            #expect(try await dispatcher.upload("/ui/upload", csrf: csrf, fileName: "day.csv", contents: csv).status == 200)
            let officer = browser()
            try await officer.signIn("officer-bj")
            let report = "/ui/reports/412000001/\(Self.day)"
            let token = try #require(try await officer.get(report).csrf)
            #expect(try await officer.post(report + "/acknowledge", form: [("revision", "1"), ("csrf", token)]).status == 303)
        }
        let events = try t.store.auditEvents(from: Instant(millisecondsSinceEpoch: 0), to: Instant(millisecondsSinceEpoch: .max))
        #expect(events.first { $0.action == "report.acknowledged" }?.actor == "user officer-bj", "\(events)")
        #expect(events.first { $0.action == "voyages.submitted" }?.actor == "user disp1", "\(events)")
        #expect(try t.store.history(VoyageKey(operator: "op1", movementId: "AC1")).submitted?.actor == "user disp1")
    }

    @Test("the command line's writes (register import, tokens issued and revoked, users) name the system user, with no address")
    func commandLine() throws {
        let d = try RunningDaemon()
        let added = try CommandLineTool(name: "portdaily").run(["users", "add", "--name", "clerk", "--role", "admin", "--password-stdin"]
                                                                   + d.common, stdin: Data("Harbour-Pilot-2026-long\n".utf8))
        #expect(added.status == 0, "\(added.stderr)")
        let page = try d.request("GET", "/v1/audit?from=2000-01-01&to=2099-12-31", token: d.tokens["admin"])
        let events = page.object["events"] as? [[String: Any]] ?? []
        let actions = events.map { $0["action"] as? String ?? "" }
        #expect(actions.filter { $0 == "token.issued" }.count == 6 && actions.contains("token.revoked"), "\(actions)")
        #expect(actions.contains("vessels.registered") && actions.contains("user.added"))
        for event in events {
            #expect((event["actor"] as? String)?.hasPrefix("cli ") == true && event["address"] == nil, "\(event)")
        }
    }

    @Test("the store refuses to change or remove an event")
    func appendOnly() async throws {
        let t = try await TestApp.make()
        try t.store.recordAudit(.commandLine(user: "root"), action: "token.issued", subject: "token 99", detail: nil,
                                at: Instant(millisecondsSinceEpoch: 1_000))
        for sql in ["UPDATE auditEvent SET actor = 'someone else'", "DELETE FROM auditEvent"] {
            #expect(throws: (any Error).self, "\(sql)") { try t.store.writer.write { try $0.execute(sql: sql) } }
        }
        let events = try t.store.auditEvents(from: Instant(millisecondsSinceEpoch: 0), to: Instant(millisecondsSinceEpoch: .max))
        #expect(events.contains { $0.actor == "cli root" && $0.subject == "token 99" })
    }
}
