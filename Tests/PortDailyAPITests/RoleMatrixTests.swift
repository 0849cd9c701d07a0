import Foundation
import PortDailyCore
import PortDailyTestSupport
import Testing

@Suite("The API's roles and scopes, in process", .timeLimit(.minutes(3)))
struct RoleMatrixTests {
    static let date = "2026-03-02"

    /// op1's tug works Beijiang; op2's vessel works Dagang. Shared: op1's report with beijiang only,
    /// op2's with dagang only.
    static func seeded() async throws -> TestApp {
        let t = try await TestApp.make()
        try await t.run { (c: TestApp.Client) async throws in
            #expect(try await c.post([RunningDaemon.voyage("A1")], token: c.tokens["op1"]).status == 200)
            #expect(try await c.post([RunningDaemon.voyage("B1", mmsi: "412000002", op: "op2", from: "dagang", to: "dagang")],
                                     token: c.tokens["op2"]).status == 200)
        }
        return t
    }

    @Test("no token or a revoked token: 401 on every /v1 endpoint; healthz needs none")
    func unauthenticated() async throws {
        try await Self.seeded().run { c in
            let endpoints = [("GET", "/v1/voyages?date=\(Self.date)"), ("POST", "/v1/voyages"), ("DELETE", "/v1/voyages/A1"),
                             ("GET", "/v1/daily-reports?date=\(Self.date)"), ("GET", "/v1/daily-reports/changes"),
                             ("GET", "/v1/daily-reports/412000001/\(Self.date)"),
                             ("POST", "/v1/daily-reports/412000001/\(Self.date)/acknowledgements"),
                             ("GET", "/v1/vessels"), ("PUT", "/v1/vessels/412000001"), ("DELETE", "/v1/vessels/412000001")]
            for (method, path) in endpoints {
                for token in [nil, c.tokens["revoked"], "pd_not-a-token"] {
                    let answer = try await c.request(method, path, token: token, body: Data("{}".utf8), contentType: "application/json")
                    #expect(answer.status == 401, "\(method) \(path) with \(token == nil ? "no token" : "a bad token")")
                    #expect(answer.headers["content-type"] == "application/problem+json")
                    #expect(answer.object["status"] as? Int == 401)
                }
            }
            #expect(try await c.request("GET", "/healthz").status == 200)
        }
    }

    @Test("the bearer scheme in any case with spaces around the token, and a Content-Type with parameters, are understood; other schemes are not")
    func headerSpellings() async throws {
        try await Self.seeded().run { c in
            let token = try #require(c.tokens["op1"])
            let list = "/v1/voyages?date=\(Self.date)"
            for header in ["bearer \(token)", "BEARER \(token)", "Bearer   \(token)\t "] {
                #expect(try await c.request("GET", list, headers: ["Authorization": header]).status == 200, "\(header.prefix(9))")
            }
            for header in ["Basic \(token)", "Bearer", "Bearer ", "Bearer\(token)", "Bearer \(String(repeating: "x", count: 257))"] {
                #expect(try await c.request("GET", list, headers: ["Authorization": header]).status == 401, "\(header.prefix(9))")
            }
            let voyage = Data(RunningDaemon.voyage("A2").utf8)
            let accepted = try await c.request("POST", "/v1/voyages", token: token, body: voyage,
                                         contentType: " Application/X-NDJSON ; charset=utf-8")
            #expect(accepted.status == 200, "\(accepted.text)")
            let refused = try await c.request("POST", "/v1/voyages", token: token, body: voyage, contentType: "text/plain")
            #expect(refused.status == 415)
            // A known name followed by more is another type.
            for other in ["application/x-ndjsonx", "text/csv2; charset=utf-8"] {
                #expect(try await c.request("POST", "/v1/voyages", token: token, body: voyage, contentType: other).status == 415, "\(other)")
            }
            #expect(refused.object["detail"] as? String == "Content-Type must be application/json, application/x-ndjson or text/csv, not 'text/plain'")
        }
    }

    @Test("daily reports, changes and single reports: each caller sees exactly its scope (0 leaks)")
    func reportScopes() async throws {
        try await Self.seeded().run { c in
            let expected: [String: Set<String>] = [
                "op1": ["D-412000001-\(Self.date)"], "op2": ["D-412000002-\(Self.date)"],
                "beijiang": ["D-412000001-\(Self.date)"], "dagang": ["D-412000002-\(Self.date)"],
                "admin": ["D-412000001-\(Self.date)", "D-412000002-\(Self.date)"],
            ]
            for (caller, ids) in expected {
                let token = c.tokens[caller]
                let listed = try await c.request("GET", "/v1/daily-reports?date=\(Self.date)", token: token)
                #expect(listed.status == 200)
                #expect(Set(listed.array.compactMap { $0["reportId"] as? String }) == ids, "\(caller) list")
                let csv = try await c.request("GET", "/v1/daily-reports?date=\(Self.date)&format=csv", token: token)
                #expect(Set(csv.text.split(separator: "\r\n").dropFirst().map { String($0.prefix(while: { $0 != "," })) }) == ids,
                        "\(caller) csv")
                let changes = try await c.request("GET", "/v1/daily-reports/changes?since=0", token: token)
                #expect(Set((changes.object["items"] as? [[String: Any]] ?? []).compactMap { $0["reportId"] as? String }) == ids,
                        "\(caller) changes")
                for mmsi in ["412000001", "412000002"] {
                    let single = try await c.request("GET", "/v1/daily-reports/\(mmsi)/\(Self.date)", token: token)
                    let visible = ids.contains("D-\(mmsi)-\(Self.date)")
                    #expect(single.status == (visible ? 200 : 404), "\(caller) single \(mmsi)")
                    if !visible { #expect(!single.text.contains(mmsi == "412000001" ? "津港拖" : "渤海油")) }
                }
            }
        }
    }

    @Test("voyages: operators submit, list and cancel their own only; bureaus may not; admins may")
    func voyageScopes() async throws {
        try await Self.seeded().run { c in
            // op1 submitting for op2's vessel, or as op2: rejected per record; a bureau: 403.
            let foreign = try await c.post([RunningDaemon.voyage("X1", mmsi: "412000002", op: "op1", from: "dagang", to: "dagang"),
                                      RunningDaemon.voyage("X2", mmsi: "412000002", op: "op2", from: "dagang", to: "dagang")],
                                     token: c.tokens["op1"])
            #expect(foreign.status == 422)
            let entries = foreign.object["records"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["field"] as? String } == ["mmsi", "operator"])
            #expect(try await c.post([RunningDaemon.voyage("X3")], token: c.tokens["beijiang"]).status == 403)
            // Listing.
            let own = try await c.request("GET", "/v1/voyages?date=\(Self.date)", token: c.tokens["op1"])
            #expect(own.array.map { $0["movementId"] as? String } == ["A1"])
            #expect(try await c.request("GET", "/v1/voyages?date=\(Self.date)", token: c.tokens["dagang"]).status == 403)
            #expect(try await c.request("GET", "/v1/voyages?date=\(Self.date)", token: c.tokens["admin"]).array.count == 2)
            // Cancelling another operator's voyage: not found in op1's scope.
            let reason = Data(#"{"reason":"test"}"#.utf8)
            #expect(try await c.request("DELETE", "/v1/voyages/B1", token: c.tokens["op1"], body: reason, contentType: "application/json").status == 404)
            #expect(try await c.request("DELETE", "/v1/voyages/B1", token: c.tokens["beijiang"], body: reason, contentType: "application/json").status == 403)
            #expect(try await c.request("DELETE", "/v1/voyages/B1?operator=op2", token: c.tokens["admin"], body: reason, contentType: "application/json").status == 200)
            #expect(try await c.request("DELETE", "/v1/voyages/A1", token: c.tokens["op1"], body: Data("{}".utf8), contentType: "application/json").status == 400)
        }
    }

    @Test("acknowledgements: only bureaus, only for reports shared with them; operators see them")
    func acknowledgements() async throws {
        try await Self.seeded().run { c in
            let path = "/v1/daily-reports/412000002/\(Self.date)/acknowledgements"
            let ack = Data(#"{"revision":1,"remark":"received"}"#.utf8)
            #expect(try await c.request("POST", path, token: c.tokens["op2"], body: ack, contentType: "application/json").status == 403)
            #expect(try await c.request("POST", path, token: c.tokens["beijiang"], body: ack, contentType: "application/json").status == 404)
            #expect(try await c.request("POST", path, token: c.tokens["dagang"], body: Data(#"{"revision":7}"#.utf8), contentType: "application/json").status == 422)
            #expect(try await c.request("POST", path, token: c.tokens["dagang"], body: ack, contentType: "application/json").status == 201)
            let seen = try await c.request("GET", "/v1/daily-reports/412000002/\(Self.date)", token: c.tokens["op2"]).object
            let acks = seen["acknowledgements"] as? [[String: Any]] ?? []
            #expect(acks.map { $0["bureau"] as? String } == ["dagang-msa"])
            #expect(acks.first?["remark"] as? String == "received")
        }
    }

    @Test("the register: operators see their own vessels, bureaus all; only admins change it")
    func register() async throws {
        try await Self.seeded().run { c in
            #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["op1"]).array.map { $0["mmsi"] as? String } == ["412000001"])
            #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["dagang"]).array.count == 2)
            let entry = Data(#"{"name":"津港拖9号","type":"tug","operator":"op1","homeBureau":"beijiang-msa","admittedFrom":"2026-01-01"}"#.utf8)
            for caller in ["op1", "beijiang"] {
                #expect(try await c.request("PUT", "/v1/vessels/412000009", token: c.tokens[caller], body: entry, contentType: "application/json").status == 403)
            }
            #expect(try await c.request("PUT", "/v1/vessels/412000009", token: c.tokens["admin"], body: entry, contentType: "application/json").status == 201)
            let bad = Data(#"{"name":"x","type":"ferry","operator":"op1","homeBureau":"beijiang-msa","admittedFrom":"2026-01-01"}"#.utf8)
            let refused = try await c.request("PUT", "/v1/vessels/412000010", token: c.tokens["admin"], body: bad, contentType: "application/json")
            #expect(refused.status == 422)
            #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "type")
            #expect(try await c.request("DELETE", "/v1/vessels/412000009", token: c.tokens["op1"]).status == 403)
            #expect(try await c.request("DELETE", "/v1/vessels/412000009", token: c.tokens["admin"]).status == 204)
            #expect(try await c.request("DELETE", "/v1/vessels/412000009", token: c.tokens["admin"]).status == 404)
        }
    }

    @Test("a token revoked while the application runs stops working at once")
    func liveRevocation() async throws {
        let t = try await Self.seeded()
        try await t.run { c in
            let token = c.tokens["op2"]
            #expect(try await c.request("GET", "/v1/vessels", token: token).status == 200)
            let id = try #require(try t.store.tokens().first { $0.operator == "op2" }?.id)
            #expect(try t.store.revokeToken(id: id, now: t.clock.now))
            #expect(try await c.request("GET", "/v1/vessels", token: token).status == 401)
        }
    }
}
