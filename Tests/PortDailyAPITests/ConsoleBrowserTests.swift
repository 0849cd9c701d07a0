import Foundation
import PortDailyTestSupport
import Testing

/// The console in a real browser (the process and the browser are the subject): `portdailyd` on
/// a loopback port, people added with `portdaily users add`, and Debian's Chromium driven by
/// selenium through `Tests/Browser/console_scenarios.py`. Screenshots of every page it opens go
/// to `.build/console-screenshots/` (or `$PORTDAILY_SCREENSHOTS`).
///
/// Skipped when Chromium, chromedriver or python3-selenium is missing (`scripts/setup` installs
/// them), unless `PORTDAILY_REQUIRE_BROWSER` is set, as CI sets it: then their absence fails.
@Suite("The web console in a real browser", .serialized, .timeLimit(.minutes(5)))
struct ConsoleBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-headless-shell"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let chromedriver = "/usr/bin/chromedriver"
    static let python = "/usr/bin/python3"
    static var available: Bool {
        chromium != nil && FileManager.default.isExecutableFile(atPath: chromedriver)
            && (try? CommandLineTool.shell("\(python) -c 'import selenium'").status) == 0
    }
    static var required: Bool { ProcessInfo.processInfo.environment["PORTDAILY_REQUIRE_BROWSER"] != nil }

    static let users = [("officer-bj", "bureau", ["--bureau", "beijiang-msa"]), ("disp1", "operator", ["--operator", "op1"]),
                        ("boss", "admin", [String]())]
    static let password = "browser test password"

    @Test("the browser is here when CI requires it")
    func browserPresent() throws {
        guard Self.required else { return }
        #expect(Self.available, "PORTDAILY_REQUIRE_BROWSER is set but Chromium, chromedriver or python3-selenium is missing (bash scripts/setup)")
    }

    @Test("officer acknowledges a late report, dispatcher uploads and cancels, admin sees the charts; no console error, no other host",
          .enabled(if: available))
    func scenarios() async throws {
        let daemon = try RunningDaemon()
        let cli = CommandLineTool(name: "portdaily")
        for (name, role, scope) in Self.users {
            let added = try cli.run(["users", "add", "--name", name, "--role", role, "--password-stdin"] + scope + daemon.common,
                                    stdin: Data((Self.password + "\n").utf8))
            #expect(added.status == 0, "\(added.stderr)")
        }
        // A report of a sealed day revised after sealing: late. The daemon seals the past day at
        // start; A2 is submitted only once A1's report says the day is sealed.
        let day = "2026-03-02"
        #expect(try daemon.post([RunningDaemon.voyage("A1", day: day)], token: daemon.tokens["op1"]).status == 200)
        let sealed = try Poll.untilBlocking(30) {
            try daemon.request("GET", "/v1/daily-reports/412000001/\(day)", token: daemon.tokens["op1"]).object["sealed"] as? Bool == true
        }
        #expect(sealed, "the day was not sealed")
        #expect(try daemon.post([RunningDaemon.voyage("A2", day: day, hour: 12, to: "dagang")], token: daemon.tokens["op1"]).status == 200)
        #expect(try daemon.request("GET", "/v1/daily-reports/412000001/\(day)", token: daemon.tokens["op1"]).object["late"] as? Bool == true)

        let screenshots = ProcessInfo.processInfo.environment["PORTDAILY_SCREENSHOTS"]
            ?? CommandLineTool.repositoryRoot.appendingPathComponent(".build/console-screenshots").path
        let facts: [String: Any] = [
            "base": "http://127.0.0.1:\(daemon.port)", "screenshots": screenshots, "day": day, "from": "2026-02-25", "to": "2026-03-05",
            "timeZone": "Asia/Shanghai", "operator": "op1", "mmsi": "412000001", "chromium": Self.chromium ?? "",
            "chromedriver": Self.chromedriver,
            "officer": ["name": "officer-bj", "password": Self.password], "dispatcher": ["name": "disp1", "password": Self.password],
            "admin": ["name": "boss", "password": Self.password],
        ]
        let argument = String(decoding: try JSONSerialization.data(withJSONObject: facts), as: UTF8.self)
        let script = CommandLineTool.repositoryRoot.appendingPathComponent("Tests/Browser/console_scenarios.py").path
        let run = try CommandLineTool(name: Self.python).run([script, argument])
        #expect(run.status == 0, "\(run.stderr)\n\(run.text)\ndaemon log:\n\(daemon.daemon.log.suffix(3000))")
        print("console screenshots: \(screenshots)")
        for name in ["sign-in", "officer-reports", "officer-report", "officer-acknowledged", "dispatcher-upload", "dispatcher-cancelled",
                     "admin-figures", "admin-page"] {
            #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(name).png"), "\(name).png")
        }
    }
}
