import Foundation
import HTTPTypes
import PortDailyCore
import PortDailyLogging
import PortDailyStore
import PortDailyTestSupport
import Testing

/// The web console in process: sign-in and sessions, CSRF, the scope of every page per role,
/// escaping, the headers. (The same pages in a real browser: ConsoleBrowserTests.)
@Suite("The web console", .timeLimit(.minutes(3)))
struct ConsoleTests {
    static let day = "2026-03-02"

    /// op1's tug worked Beijiang's waters; op2's bunker vessel Dagang's.
    static func seed(_ api: TestApp.Client) async throws {
        #expect(try await api.post([RunningDaemon.voyage("A1"), RunningDaemon.voyage("A2", hour: 10)], token: api.tokens["op1"]).status == 200)
        #expect(try await api.post([RunningDaemon.voyage("B1", mmsi: "412000002", op: "op2", from: "dagang", to: "dagang")],
                                   token: api.tokens["op2"]).status == 200)
    }

    @Test("without a session every page redirects to the sign-in page (303), which says where to come back to")
    func anonymousRedirects() async throws {
        let t = try await TestApp.make()
        let pages = t.app.routes.filter { $0.path.hasPrefix("ui") && ![.openConsole].contains($0.action) }
        #expect(pages.count >= 10)
        try await t.console { browser, _ in
            for route in pages {
                let path = "/" + route.path.replacingOccurrences(of: "{mmsi}", with: "412000001").replacingOccurrences(of: "{date}", with: Self.day)
                let page = try await browser().send(route.method, path, body: nil, contentType: nil)
                #expect(page.status == 303, "\(route)")
                #expect(page.location?.hasPrefix("/ui/login?next=") == true, "\(route): \(page.location ?? "")")
                #expect(page.headers[.contentSecurityPolicy] != nil, "\(route)")
            }
            let root = try await browser().get("/")
            #expect(root.status == 303 && root.location == "/ui/reports")
            let login = try await browser().get("/ui/login")
            #expect(login.status == 200 && login.text.contains("name=\"username\"") && login.text.contains("name=\"password\""))
            #expect(try await browser().get("/ui/assets/console.css").status == 200)
        }
    }

    @Test("sign-in: a new session id (never the client's), HttpOnly, SameSite=Strict, Path=/; wrong passwords logged without the password")
    func signIn() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, _ in
            let b = browser()
            b.cookies["pd_session"] = "chosen-by-an-attacker"
            let wrong = try await b.signIn("officer-bj", password: "not the password at all")
            #expect(wrong.status == 401 && wrong.text.contains("id=\"problem\""))
            #expect(t.log.text.contains(PortDailyEvent.signInFailed.messageID) && t.log.text.contains("USER_NAME=officer-bj"))
            #expect(!t.log.text.contains("not the password at all"))

            let done = try await b.signIn("officer-bj", next: "/ui/reports?date=\(Self.day)")
            #expect(done.status == 303 && done.location == "/ui/reports?date=\(Self.day)")
            let cookie = try #require(done.setCookies().first { $0.hasPrefix("pd_session=") })
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(attribute), "\(cookie)") }
            #expect(!cookie.contains("Secure"))
            #expect(b.cookies["pd_session"] != "chosen-by-an-attacker" && (b.cookies["pd_session"]?.count ?? 0) >= 40)
            let page = try await b.get("/ui/reports?date=\(Self.day)")
            #expect(page.status == 200 && page.text.contains("officer-bj"))

            // Somewhere else: another site, or a redirect target that leaves the console.
            let elsewhere = browser()
            #expect(try await elsewhere.signIn("officer-bj", next: "//evil.example/ui/").location == "/ui/reports")
            // A sign-in form not from this site (no matching cookie) is refused.
            let forged = try await browser().post("/ui/login", form: [("csrf", "x"), ("username", "boss"),
                                                                      ("password", TestApp.consolePassword)])
            #expect(forged.status == 403)
        }
    }

    @Test("secureCookies marks the session cookie Secure")
    func secureCookie() async throws {
        let t = try await TestApp.make { $0.daemon.console.secureCookies = true }
        try await t.console { browser, _ in
            let done = try await browser().signIn("boss")
            #expect(done.setCookies().first { $0.hasPrefix("pd_session=") }?.contains("Secure") == true)
        }
    }

    @Test("failed sign-ins are limited per user name: 429 with Retry-After, logged once per episode, over when the window has passed")
    func signInLimit() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, _ in
            let b = browser()
            for _ in 0..<5 { #expect(try await b.signIn("disp1", password: "wrong password!").status == 401) }
            let limited = try await b.signIn("disp1")
            #expect(limited.status == 429 && Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await b.signIn("disp1").status == 429)
            #expect(t.log.entries.filter { $0.contains(PortDailyEvent.signInLimited.messageID) }.count == 1)
            // Another user from the same address is not held to disp1's count.
            #expect(try await browser().signIn("disp2").status == 303)
            t.clock.advance(milliseconds: 15 * 60_000 + 1000)
            #expect(try await b.signIn("disp1").status == 303)
        }
    }

    @Test("a form without the session's CSRF token, or with another session's, is refused with 403 and changes nothing")
    func csrf() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, api in
            try await Self.seed(api)
            let officer = browser(), other = browser()
            try await officer.signIn("officer-bj")
            try await other.signIn("officer-dg")
            let report = "/ui/reports/412000001/\(Self.day)"
            let page = try await officer.get(report)
            let token = try #require(page.csrf)
            let otherToken = try #require(try await other.get("/ui/reports?date=\(Self.day)").csrf)
            #expect(token != otherToken)
            for form in [[("revision", "1")], [("revision", "1"), ("csrf", otherToken)], [("revision", "1"), ("csrf", "")]] {
                let refused = try await officer.post(report + "/acknowledge", form: form)
                #expect(refused.status == 403, "\(form)")
                #expect(refused.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            #expect(try t.store.acknowledgements(reportId: "D-412000001-\(Self.day)").isEmpty)
            let before = try await officer.get("/ui/reports?date=\(Self.day)").text
            #expect(before.contains("badge todo ack-state") && !before.contains("badge ok ack-state"))
            let done = try await officer.post(report + "/acknowledge", form: [("revision", "1"), ("csrf", token), ("remark", "已阅")])
            #expect(done.status == 303)
            #expect(try t.store.acknowledgements(reportId: "D-412000001-\(Self.day)").map(\.remark) == ["已阅"])
            // The list (cached until a report or an acknowledgement changes) shows it at once.
            let after = try await officer.get("/ui/reports?date=\(Self.day)").text
            #expect(after.contains("badge ok ack-state") && !after.contains("badge todo ack-state"))

            // Sign-out and cancellation need it too.
            #expect(try await officer.post("/ui/logout", form: []).status == 403)
            let dispatcher = browser()
            try await dispatcher.signIn("disp1")
            #expect(try await dispatcher.post("/ui/voyages/cancel", form: [("movementId", "A1"), ("reason", "x")]).status == 403)
            #expect(try t.store.voyages(on: Fixture.date(Self.day), operator: "op1").allSatisfy { !$0.cancelled })
            let upload = try await dispatcher.upload("/ui/upload", csrf: otherToken, fileName: "v.csv", contents: "movementId\r\n")
            #expect(upload.status == 403)
        }
    }

    @Test("sessions end after the idle timeout and after their lifetime, whatever the activity; they survive a restart")
    func sessionExpiry() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, _ in
            let b = browser()
            try await b.signIn("boss")
            t.clock.advance(milliseconds: 29 * 60_000)
            #expect(try await b.get("/ui/admin").status == 200)
            t.clock.advance(milliseconds: 29 * 60_000)
            #expect(try await b.get("/ui/admin").status == 200, "a request within the idle time keeps the session")
            t.clock.advance(milliseconds: 31 * 60_000)
            let idle = try await b.get("/ui/admin")
            #expect(idle.status == 303 && idle.location?.hasPrefix("/ui/login") == true)

            let busy = browser()
            try await busy.signIn("boss")
            for _ in 0..<24 {
                t.clock.advance(milliseconds: 29 * 60_000)
                #expect(try await busy.get("/ui/admin").status == 200)
            }
            t.clock.advance(milliseconds: 29 * 60_000)
            #expect(try await busy.get("/ui/admin").status == 303, "12 h after sign-in the session ends however busy")
        }
        // A daemon restarted over the same store keeps the sessions.
        let signedIn = try await t.app.test(.router) { client in
            let b = ConsoleClient(client)
            try await b.signIn("boss")
            return b.cookies["pd_session"] ?? ""
        }
        let cookie = signedIn
        try await t.restarted().test(.router) { client in
            let b = ConsoleClient(client)
            b.cookies["pd_session"] = cookie
            let status = try await b.get("/ui/admin").status
            #expect(status == 200)
        }
    }

    @Test("disabling a user or changing the password ends their sessions at once")
    func disable() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, _ in
            let a = browser(), b = browser()
            try await a.signIn("disp1")
            try await b.signIn("disp2")
            try t.store.setPassword(name: "disp2", password: "a new password", cost: 4, now: t.clock.now)
            #expect(try await b.get("/ui/upload").status == 303)
            #expect(try t.store.disableUser(name: "disp1", now: t.clock.now))
            #expect(try await a.get("/ui/upload").status == 303)
            #expect(try await browser().signIn("disp1").status == 401)
        }
    }

    @Test("each role sees exactly its scope on the console's pages, whatever URL it types")
    func scope() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, api in
            try await Self.seed(api)
            // (user, sees the tug's report, sees the bunker vessel's report)
            let expected: [(String, Bool, Bool)] = [("disp1", true, false), ("disp2", false, true), ("officer-bj", true, false),
                                                    ("officer-dg", false, true), ("boss", true, true)]
            for (user, tug, bunker) in expected {
                let b = browser()
                try await b.signIn(user)
                let list = try await b.get("/ui/reports?date=\(Self.day)")
                #expect(list.status == 200)
                #expect(list.text.contains("report-412000001") == tug, "\(user)")
                #expect(list.text.contains("report-412000002") == bunker, "\(user)")
                let csv = try await b.get("/ui/reports.csv?date=\(Self.day)")
                #expect(csv.text.hasPrefix("\u{FEFF}") && csv.text.contains("412000001") == tug && csv.text.contains("412000002") == bunker,
                        "\(user)")
                for (mmsi, visible) in [("412000001", tug), ("412000002", bunker)] {
                    let page = try await b.get("/ui/reports/\(mmsi)/\(Self.day)")
                    #expect(page.status == (visible ? 200 : 404), "\(user) \(mmsi)")
                    #expect(page.text.contains("渤海油2") == (mmsi == "412000002" && visible), "\(user) \(mmsi)")
                }
                // Pages a role may not open at all: a 403 page, not a redirect.
                let upload = try await b.get("/ui/upload")
                #expect(upload.status == (user.hasPrefix("officer") ? 403 : 200), "\(user)")
                let admin = try await b.get("/ui/admin")
                #expect(admin.status == (user == "boss" ? 200 : 403), "\(user)")
                #expect(admin.headers[.contentSecurityPolicy] != nil)
                if user == "boss" {
                    // The token table (in Chinese, the console's default) says when each token
                    // expires ("never" for the tokens TestApp issues without an expiry) and when
                    // it was last used (recorded off the request's path: TokenExpiryAPITests).
                    #expect(admin.text.contains("<th scope=\"col\">到期时间</th><th scope=\"col\">最近使用</th>"))
                    #expect(admin.text.contains("<td>op1</td><td>operator</td><td>op1</td><td>2026-03-10 10:00</td><td>永不过期</td>"))
                }
                // A dispatcher's list of today's voyages and cancel forms are its own.
                if !user.hasPrefix("officer") {
                    t.clock.set(Fixture.instant("\(Self.day)T20:00:00+08:00"))
                    let today = try await b.get("/ui/upload")
                    #expect(today.text.contains("voyage-A1") == (user != "disp2"), "\(user)")
                    #expect(today.text.contains("voyage-B1") == (user != "disp1"), "\(user)")
                    t.clock.set(Fixture.instant(TestApp.defaultNow))
                }
            }
            // An operator cannot cancel another's voyage by naming its operator.
            let dispatcher = browser()
            try await dispatcher.signIn("disp1")
            let token = try #require(try await dispatcher.get("/ui/reports").csrf)
            let refused = try await dispatcher.post("/ui/voyages/cancel", form: [("csrf", token), ("operator", "op2"), ("movementId", "B1"),
                                                                                  ("reason", "not mine")])
            #expect(refused.status == 404)
            #expect(try t.store.voyages(on: Fixture.date(Self.day), operator: "op2").allSatisfy { !$0.cancelled })
        }
    }

    @Test("hostile names and remarks show as text, never as markup")
    func escaping() async throws {
        let hostile = "<img src=x onerror=alert(1)>"
        let t = try await TestApp.make()
        let rules = StoreRules(setup: t.live.current.setup, calendar: t.live.current.calendar)
        _ = try t.store.upsertVessels([Vessel(mmsi: MMSI("412000009")!, name: hostile, type: "tug", operator: "op1",
                                              homeBureau: "beijiang-msa", admittedFrom: Fixture.date("2026-01-01"))],
                                      rules: rules, now: t.clock.now)
        try await t.console { browser, api in
            let voyage = RunningDaemon.voyage("H1", mmsi: "412000009").replacingOccurrences(of: "中远之星", with: hostile)
            #expect(try await api.post([voyage], token: api.tokens["op1"]).status == 200)
            let officer = browser()
            try await officer.signIn("officer-bj")
            let report = try await officer.get("/ui/reports/412000009/\(Self.day)")
            let token = try #require(report.csrf)
            #expect(try await officer.post("/ui/reports/412000009/\(Self.day)/acknowledge",
                                           form: [("csrf", token), ("revision", "1"), ("remark", hostile)]).status == 303)
            for path in ["/ui/reports?date=\(Self.day)", "/ui/reports/412000009/\(Self.day)"] {
                let page = try await officer.get(path)
                #expect(!page.text.contains("<img src=x"), "\(path)")
                #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt;") || page.text.contains("&lt;img src&#61;x"), "\(path)")
            }
            let admin = browser()
            try await admin.signIn("boss")
            #expect(!(try await admin.get("/ui/admin").text.contains("<img src=x")))
            // A hostile path or query comes back escaped in the language switch and the error page.
            let odd = try await officer.get("/ui/reports?date=%22%3E%3Cscript%3E")
            #expect(odd.status == 400 && !odd.text.contains("<script>"))
        }
    }

    @Test("every console answer carries the security headers: CSP self only, nosniff, same-origin referrer, no framing")
    func headers() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, api in
            try await Self.seed(api)
            let b = browser()
            try await b.signIn("boss")
            for path in ["/ui/login", "/ui/reports", "/ui/reports/412000001/\(Self.day)", "/ui/figures", "/ui/upload", "/ui/admin",
                         "/ui/reports/412000001/2020-01-01", "/ui/assets/console.css", "/ui/no-such-page", "/"] {
                let page = try await b.get(path)
                if path == "/ui/no-such-page" { #expect(page.status == 404 && page.text.contains("<html"), "an HTML 404 page") }
                let csp = page.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
                        "\(path)")
                #expect(page.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(path)")
                if page.headers[.contentType]?.hasPrefix("text/html") == true {
                    #expect(!page.text.contains("<script") && !page.text.contains("style=\""), "\(path): inline script or style")
                    let foreign = page.text.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
                    #expect(!foreign.contains("http://") && !foreign.contains("https://"), "\(path): a link to another host")
                }
            }
        }
    }

    @Test("the language follows Accept-Language, then the switch (kept in a cookie); dates in the configured zone")
    func language() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, api in
            try await Self.seed(api)
            let b = browser()
            b.acceptLanguage = "en-GB,en;q=0.9,zh;q=0.5"
            try await b.signIn("boss")
            let english = try await b.get("/ui/reports/412000001/\(Self.day)")
            #expect(english.text.contains("<html lang=\"en\">") && english.text.contains("Daily report"))
            // 08:00 in Tianjin, as submitted (not 00:00 UTC).
            #expect(english.text.contains("\(Self.day) 08:00"))
            let chinese = try await b.get("/ui/reports/412000001/\(Self.day)?lang=zh")
            #expect(chinese.text.contains("<html lang=\"zh-CN\">") && chinese.text.contains("船舶日报"))
            #expect(try await b.get("/ui/figures").text.contains("<html lang=\"zh-CN\">"), "the switch is remembered")
            let fresh = browser()
            fresh.acceptLanguage = "fr-FR,fr;q=0.9"
            #expect(try await fresh.get("/ui/login").text.contains("<html lang=\"zh-CN\">"), "Chinese when neither is asked for")
        }
    }

    @Test("upload: counts and refused lines exactly as the API's answer; the template's header is the import's")
    func upload() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, api in
            let b = browser()
            try await b.signIn("disp1")
            let template = try await b.get("/ui/upload/template.csv")
            #expect(template.text == "\u{FEFF}" + Voyage.fieldNames.joined(separator: ",") + "\r\n")
            let csv = [Voyage.fieldNames.joined(separator: ","),
                       "U1,op1,412000001,escort,\(Self.day)T08:00:00+08:00,beijiang,,\(Self.day)T09:00:00+08:00,beijiang,,,,3,",
                       "U2,op1,412000001,towing,\(Self.day)T10:00:00+08:00,beijiang,,\(Self.day)T11:00:00+08:00,beijiang,,,,3,",
                       "U3,op2,412000002,escort,\(Self.day)T10:00:00+08:00,dagang,,\(Self.day)T11:00:00+08:00,dagang,,,,3,"]
                .joined(separator: "\r\n") + "\r\n"
            let token = try #require(try await b.get("/ui/upload").csrf)
            let page = try await b.upload("/ui/upload", csrf: token, fileName: "C:\\dispatch\\day.csv", contents: csv)
            #expect(page.status == 200)
            let ref = try await api.request("POST", "/v1/voyages", token: api.tokens["op1"], body: Data(csv.utf8), contentType: "text/csv")
            let answer = try JSONSerialization.jsonObject(with: ref.body) as! [String: Any]
            let rejected = (answer["records"] as! [[String: Any]]).filter { $0["result"] as? String == "rejected" }
            #expect(rejected.count == 2)
            for record in rejected {
                let row = "<tr><td class=\"n\">\(record["line"]!)</td><td>\(record["field"]!)</td>"
                #expect(page.text.contains(row), "\(row)")
            }
            #expect(page.text.contains("id=\"count-accepted\">1<") && page.text.contains("id=\"count-rejected\">2<"))
            #expect(page.text.contains("结果: day.csv"), "the file's name, not the browser's path")
        }
    }

    @Test("figures: the same totals as GET /v1/figures, and three charts with axes and a legend")
    func figures() async throws {
        let t = try await TestApp.make()
        try await t.console { browser, api in
            try await Self.seed(api)
            let b = browser()
            try await b.signIn("boss")
            let page = try await b.get("/ui/figures?from=2026-02-25&to=2026-03-05")
            #expect(page.status == 200)
            let json = try await api.request("GET", "/v1/figures?from=2026-02-25&to=2026-03-05", token: api.tokens["admin"])
            let totals = try #require(try JSONSerialization.jsonObject(with: json.body) as? [String: Any])
            #expect(page.text.contains("id=\"figure-consolidated\">\(totals["reportsConsolidated"]!)<"))
            #expect(page.text.contains("id=\"figure-per-voyage\">\(totals["reportsPerVoyage"]!)<"))
            for chart in ["chart-reports", "chart-cross", "chart-fuel"] {
                #expect(page.text.contains("id=\"\(chart)\""), "\(chart)")
            }
            #expect(page.text.components(separatedBy: "<polyline class=\"series\"").count - 1 == 5)
            #expect(page.text.contains(">03-02<"), "a date on the x axis")
            let wide = try await b.get("/ui/figures?from=2000-01-01&to=2026-03-05")
            #expect(wide.status == 400)
        }
    }
}
