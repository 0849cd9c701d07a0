import Foundation
import PortDailyConfig
import Synchronization
import PortDailyTestSupport
import Testing

@Suite("Submissions, formats and pulls, in process", .timeLimit(.minutes(3)))
struct IngestAPITests {
    @Test("JSON object, JSON array, NDJSON and CSV bodies; atomic=true refuses the whole batch; 413 and 415")
    func formats() async throws {
        let t = try await TestApp.make { $0.daemon.limits.maxBodyBytes = 4096 }
        try await t.run { c in
            let op = c.tokens["op1"]
            #expect(try await c.request("POST", "/v1/voyages", token: op, body: Data(RunningDaemon.voyage("J1").utf8),
                                  contentType: "application/json").status == 200)
            let array = "[" + RunningDaemon.voyage("J2", hour: 10) + ",{\"movementId\":\"J3\"}]"
            let mixed = try await c.request("POST", "/v1/voyages", token: op, body: Data(array.utf8), contentType: "application/json")
            #expect(mixed.status == 422)
            #expect((mixed.object["records"] as? [[String: Any]])?.map { $0["result"] as? String } == ["accepted", "rejected"])
            // The whole answer: counts, and per record its line, result, and movement id or field and reason.
            #expect(mixed.headers["content-type"] == "application/json")
            let answer = try #require(mixed.json() as? NSDictionary)
            let records = try #require(answer["records"] as? [NSDictionary])
            #expect(answer.allKeys.count == 7)
            #expect([answer["accepted"], answer["duplicates"], answer["corrected"], answer["rejected"], answer["refused"]]
                .map { $0 as? Int } == [1, 0, 0, 1, 0])
            #expect(answer["committed"] as? Bool == true)
            #expect(records[0] == ["line": 1, "result": "accepted", "movementId": "J2"])
            #expect(records[1]["line"] as? Int == 2 && records[1]["result"] as? String == "rejected")
            #expect(records[1]["movementId"] == nil && records[1]["field"] is String && records[1]["reason"] is String)
            let csv = "movementId,operator,mmsi,job,departedAt,fromArea,arrivedAt,toArea\nC1,op1,412000001,escort,2026-03-02T12:00:00+08:00,beijiang,2026-03-02T13:00:00+08:00,nanjiang\n"
            #expect(try await c.request("POST", "/v1/voyages", token: op, body: Data(csv.utf8), contentType: "text/csv; charset=utf-8").status == 200)
            // atomic: one bad record, nothing stored.
            let atomic = try await c.post([RunningDaemon.voyage("T1", hour: 14), RunningDaemon.voyage("T2", hour: 15, to: "atlantis")],
                                    token: op, query: "?atomic=true")
            #expect(atomic.status == 422)
            #expect(atomic.object["committed"] as? Bool == false)
            let stored = try await c.request("GET", "/v1/voyages?date=2026-03-02", token: op).array.compactMap { $0["movementId"] as? String }
            #expect(Set(stored) == ["J1", "J2", "C1"])
            // Resending is a duplicate; other content a correction.
            let again = try await c.post([RunningDaemon.voyage("J1"), RunningDaemon.voyage("J2", hour: 11)], token: op)
            #expect((again.object["records"] as? [[String: Any]])?.map { $0["result"] as? String } == ["duplicate", "corrected"])
            // Limits.
            let big = Data(repeating: UInt8(ascii: " "), count: 5000)
            let tooLarge = try await c.request("POST", "/v1/voyages", token: op, body: big, contentType: "application/json")
            #expect(tooLarge.status == 413 && tooLarge.object["detail"] as? String == "the body is larger than 4096 bytes")
            #expect(try await c.request("POST", "/v1/voyages", token: op, body: Data("<x/>".utf8), contentType: "application/xml").status == 415)
            let broken = try await c.request("POST", "/v1/voyages", token: op, body: Data("[{".utf8), contentType: "application/json")
            #expect(broken.status == 400)
            #expect(broken.headers["content-type"] == "application/problem+json")
        }
    }

    @Test("a burst of submissions, then a batch of corrections: at most 20 entries of a kind a second, adding up to all")
    func journalBudget() async throws {
        // A burst from one token is the subject here, not its rate limit (AbuseLimitTests).
        let t = try await TestApp.make { $0.daemon.abuse.perToken = BucketLimit(perSecond: 1_000_000, burst: 1_000_000) }
        try await t.run { c in
            let count = 300
            // 16 submissions at a time, each its own request, all within one second of the budgets'
            // time (the test's monotonic clock stands still until it is advanced).
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                var codes: [Int] = []
                for i in 0..<count {
                    if i >= 16, let code = try await group.next() { codes.append(code) }
                    group.addTask {
                        try await c.request("POST", "/v1/voyages", token: c.tokens["op1"],
                                            body: Data(RunningDaemon.voyage("B\(i)", hour: i % 20).utf8),
                                            contentType: "application/json").status
                    }
                }
                for try await code in group { codes.append(code) }
                return codes
            }
            #expect(codes == Array(repeating: 200, count: count))
            // The next entry, a second later, carries the tally of those left out.
            t.journalClock.advance(milliseconds: 1100)
            #expect(try await c.post([RunningDaemon.voyage("B-last", hour: 21)], token: c.tokens["op1"]).status == 200)
            let entries = t.log.text.split(separator: "\n")
                .filter { $0.hasSuffix("voyage batch stored") || $0.contains("voyage batch stored (") }
                .map { line in
                    Dictionary(line.split(separator: " ").compactMap { token -> (String, Int)? in
                        let parts = token.split(separator: "=", maxSplits: 1)
                        guard parts.count == 2, let value = Int(parts[1]) else { return nil }
                        return (String(parts[0]), value)
                    }, uniquingKeysWith: { first, _ in first })
                }
            #expect(entries.count == 20 + 1, "20 in the burst's second, then the one that carries the rest")
            #expect(entries.map { $0["ACCEPTED", default: 0] + $0["UNLOGGED_ACCEPTED", default: 0] }.reduce(0, +) == count + 1)
            #expect(entries.map { 1 + $0["UNLOGGED_BATCHES", default: 0] }.reduce(0, +) == count + 1)
            #expect(entries.last?["UNLOGGED_BATCHES"] == count - 20)
            #expect(t.log.text.contains("left out to keep within 20 entries a second"))
            // A batch correcting every one of them: one entry a voyage, within the budget too.
            let corrections = (0..<count).map { RunningDaemon.voyage("B\($0)", hour: $0 % 20, to: "nanjiang") }
            #expect(try await c.post(corrections, token: c.tokens["op1"]).object["corrected"] as? Int == count)
            t.journalClock.advance(milliseconds: 1100)
            #expect(try await c.post([RunningDaemon.voyage("B-last", hour: 21, to: "nanjiang")], token: c.tokens["op1"]).status == 200)
            let corrected = t.log.text.split(separator: "\n").filter { $0.contains("voyage corrected") }
            #expect(corrected.count == 20 + 1)
            let carried = corrected.compactMap { $0.split(separator: " ").first { $0.hasPrefix("UNLOGGED_CORRECTIONS=") } }
                .compactMap { Int($0.dropFirst("UNLOGGED_CORRECTIONS=".count)) }
            #expect(corrected.count + carried.reduce(0, +) == count + 1)
        }
    }

    @Test("ETag on every report answer; If-None-Match gives 304 until the data changes")
    func etags() async throws {
        let t = try await TestApp.make()
        try await t.run { c in
            _ = try await c.post([RunningDaemon.voyage("E1")], token: c.tokens["op1"])
            let path = "/v1/daily-reports?date=2026-03-02"
            let first = try await c.request("GET", path, token: c.tokens["beijiang"])
            let etag = try #require(first.headers["etag"])
            #expect(try await c.request("GET", path, token: c.tokens["beijiang"], headers: ["If-None-Match": etag]).status == 304)
            _ = try await c.post([RunningDaemon.voyage("E2", hour: 12)], token: c.tokens["op1"])
            let changed = try await c.request("GET", path, token: c.tokens["beijiang"], headers: ["If-None-Match": etag])
            #expect(changed.status == 200)
            let second = try #require(changed.headers["etag"])
            #expect(second != etag)
            // An acknowledgement is part of the list's documents: a new ETag (the list's is made from
            // what determines its documents, not from their bytes).
            let report = try #require((try JSONSerialization.jsonObject(with: changed.body) as? [[String: Any]])?.first)
            let ackPath = "/v1/daily-reports/\(report["mmsi"]!)/2026-03-02/acknowledgements"
            #expect(try await c.request("POST", ackPath, token: c.tokens["beijiang"], body: Data(#"{"revision":1}"#.utf8),
                                  contentType: "application/json").status == 201)
            let acknowledged = try await c.request("GET", path, token: c.tokens["beijiang"], headers: ["If-None-Match": second])
            #expect(acknowledged.status == 200)
            let third = try #require(acknowledged.headers["etag"])
            #expect(third != second)
            #expect(try await c.request("GET", path, token: c.tokens["beijiang"], headers: ["If-None-Match": third]).status == 304)
            // The same reports as CSV are another representation with its own ETag.
            let csv = try await c.request("GET", path, token: c.tokens["beijiang"], headers: ["Accept": "text/csv"])
            #expect(csv.status == 200 && csv.headers["etag"] != third)
        }
    }

    @Test("CSV with Chinese names (and a BOM) parses back with Python's csv module",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func pythonCSV() async throws {
        let t = try await TestApp.make()
        try await t.run { c in
            _ = try await c.post([RunningDaemon.voyage("P1")], token: c.tokens["op1"])
            let answer = try await c.request("GET", "/v1/daily-reports?date=2026-03-02&bom=true", token: c.tokens["beijiang"],
                                       headers: ["Accept": "text/csv"])
            #expect(answer.headers["content-type"]?.hasPrefix("text/csv") == true)
            let file = t.folder.appendingPathComponent("reports.csv")
            try answer.body.write(to: file)
            let parsed = try CommandLineTool(name: "/usr/bin/python3").run(["-c", """
                import csv, json, sys
                with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
                    rows = list(csv.DictReader(f))
                print(json.dumps([[r['vesselName'], r['sharedWith'], r['voyages']] for r in rows], ensure_ascii=False))
                """, file.path])
            #expect(parsed.text.trimmingCharacters(in: .whitespacesAndNewlines) == #"[["津港拖1号, 港作", "beijiang-msa", "1"]]"#, "\(parsed.stderr)")
        }
    }

    @Test("incremental pull while voyages keep arriving: every revision exactly once, in commit order")
    func changesUnderIngest() async throws {
        let t = try await TestApp.make()
        try await t.run { c in
            // 2026-03-02 is sealed at start-up, so every accepted voyage makes a new numbered revision.
            let writer = Task {
                for index in 1...40 {
                    let mmsi = index % 2 == 0 ? "412000001" : "412000002"
                    let op = index % 2 == 0 ? "op1" : "op2"
                    let area = index % 2 == 0 ? "beijiang" : "dagang"
                    _ = try? await c.post([RunningDaemon.voyage("W\(index)", mmsi: mmsi, op: op, hour: 1 + index % 20, from: area, to: area)],
                                          token: c.tokens[op])
                }
            }
            let finished = Flag()
            Task { await writer.value; finished.set() }
            var cursor = "0"
            var seen: [(report: String, revision: Int, seq: Int)] = []
            var idlePolls = 0
            while idlePolls < 5 {
                let page = try await c.request("GET", "/v1/daily-reports/changes?since=\(cursor)&limit=7", token: c.tokens["admin"]).object
                let items = page["items"] as? [[String: Any]] ?? []
                for item in items {
                    seen.append((item["reportId"] as? String ?? "", item["revision"] as? Int ?? 0, item["seq"] as? Int ?? 0))
                }
                cursor = page["next"] as? String ?? cursor
                idlePolls = items.isEmpty && finished.isSet ? idlePolls + 1 : 0
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(seen.count == 40)
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.seq < $1.seq }, "commit order")
            for report in ["D-412000001-2026-03-02", "D-412000002-2026-03-02"] {
                #expect(seen.filter { $0.report == report }.map(\.revision) == Array(1...20), "\(report)")
            }
            let admin = try await c.request("GET", "/v1/daily-reports?date=2026-03-02", token: c.tokens["admin"]).array
            #expect(admin.map { $0["revision"] as? Int } == [20, 20])
            // One report: the latest revision with the list of all, and any earlier one by number.
            let latest = try await c.request("GET", "/v1/daily-reports/412000001/2026-03-02", token: c.tokens["op1"]).object
            #expect(latest["revision"] as? Int == 20)
            let list = latest["revisions"] as? [[String: Any]] ?? []
            #expect(list.map { $0["revision"] as? Int } == (1...20).map { Optional($0) })
            #expect(list.allSatisfy { $0["late"] as? Bool == true })
            #expect(list.allSatisfy { ($0["changes"] as? [[String: Any]])?.first?["action"] as? String == "added" })
            let third = try await c.request("GET", "/v1/daily-reports/412000001/2026-03-02?revision=3", token: c.tokens["op1"]).object
            #expect(third["revision"] as? Int == 3)
            #expect((third["voyages"] as? [Any])?.count == 3)
            #expect(try await c.request("GET", "/v1/daily-reports/412000001/2026-03-02?revision=21", token: c.tokens["op1"]).status == 404)
        }
    }

    @Test("figures: admin sees all, an operator its vessels, a bureau the voyages touching its waters; JSON keys and CSV")
    func figures() async throws {
        let t = try await TestApp.make()
        try await t.run { c in
            _ = try await c.post([RunningDaemon.voyage("F1"), RunningDaemon.voyage("F2", hour: 10, to: "dagang")], token: c.tokens["op1"])
            _ = try await c.post([RunningDaemon.voyage("G1", mmsi: "412000002", op: "op2", from: "dagang", to: "dagang")], token: c.tokens["op2"])
            let path = "/v1/figures?from=2026-03-02&to=2026-03-02"
            let admin = try await c.request("GET", path, token: c.tokens["admin"]).object
            for key in ["voyages", "reportsPerVoyage", "reportsDailyPerBureau", "reportsConsolidated", "reductionPercent",
                        "crossJurisdictionVoyages", "fuelSavedTonnes", "fuelSavedCny", "parameters", "daily"] {
                #expect(admin[key] != nil, "missing \(key)")
            }
            #expect(admin["voyages"] as? Int == 3)
            #expect(admin["crossJurisdictionVoyages"] as? Int == 1)
            #expect(admin["fuelSavedCny"] as? Double == 21_000)
            #expect((admin["reductionPercent"] as? [String: Any])?["perVoyageToConsolidated"] != nil)
            #expect(try await c.request("GET", path, token: c.tokens["op2"]).object["voyages"] as? Int == 1)
            #expect(try await c.request("GET", path + "&operator=op2", token: c.tokens["op1"]).object["voyages"] as? Int == 2)
            #expect(try await c.request("GET", path, token: c.tokens["beijiang"]).object["voyages"] as? Int == 2)
            #expect(try await c.request("GET", path, token: c.tokens["dagang"]).object["voyages"] as? Int == 2)
            let csv = try await c.request("GET", path + "&format=csv", token: c.tokens["admin"]).text
            #expect(csv.hasPrefix("date,voyages,"))
            #expect(csv.contains("\r\ntotal,3,"))
            #expect(try await c.request("GET", "/v1/figures?from=2026-03-03&to=2026-03-02", token: c.tokens["admin"]).status == 400)
            // A bad value is refused whatever the format (schemathesis found bom=o\xf4… answered 200
            // in JSON), and an unknown vessel type is named, not answered with empty figures.
            let bom = try await c.request("GET", path + "&bom=o%F4%88%88%BE", token: c.tokens["admin"])
            #expect(bom.status == 400 && (bom.object["detail"] as? String)?.hasPrefix("bom: expected true or false") == true, "\(bom.text)")
            #expect(try await c.request("GET", path + "&bom=true", token: c.tokens["admin"]).status == 200)
            let type = try await c.request("GET", path + "&type=submarine", token: c.tokens["admin"])
            #expect(type.status == 400 && (type.object["detail"] as? String)?.contains("unknown vessel type 'submarine'") == true, "\(type.text)")
            #expect(try await c.request("GET", path + "&type=tug", token: c.tokens["admin"]).status == 200)
        }
    }
}

/// Set once, read from any task.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
