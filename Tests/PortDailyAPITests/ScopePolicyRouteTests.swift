import Foundation
import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyStore
import PortDailyTestSupport
import Prometheus
import Testing

/// Every route goes through the scope policy, and the policy's verdicts are the role matrix below.
@Suite("The scope policy judges every route", .timeLimit(.minutes(3)))
struct ScopePolicyRouteTests {
    /// Who may do what: written out here, not derived from the policy, so a change to either shows.
    static let matrix: [Action: Set<String>] = [
        .readHealth: ["anonymous", "op1", "beijiang", "admin"],
        .readAPIDocument: ["anonymous", "op1", "beijiang", "admin"],
        .readMetrics: ["admin"],
        .submitVoyages: ["op1", "admin"],
        .listVoyages: ["op1", "admin"],
        .cancelVoyages: ["op1", "admin"],
        .readReports: ["op1", "beijiang", "admin"],
        .acknowledgeReports: ["beijiang"],
        .readRegister: ["op1", "beijiang", "admin"],
        .changeRegister: ["admin"],
        .readFigures: ["op1", "beijiang", "admin"],
        .openConsole: ["anonymous", "op1", "beijiang", "admin"],
        .signOut: ["op1", "beijiang", "admin"],
        .administer: ["admin"],
        .readAudit: ["admin"],
        .readAISCheck: ["op1", "beijiang", "admin"],
    ]

    /// The console user of each role the matrix names.
    static let consoleUser = ["op1": "disp1", "beijiang": "officer-bj", "admin": "boss"]

    @Test("the router serves exactly the routes added through the policy, each once")
    func everyRouteDeclared() async throws {
        let t = try await TestApp.make()
        let routed = t.app.routed.map { DocumentedParameters.key($0.method, $0.path) }
        let declared = t.app.routes.map { DocumentedParameters.key($0.method, $0.path) }
        #expect(Set(routed) == Set(declared), "not through the policy: \(Set(routed).subtracting(declared))")
        #expect(routed.count == declared.count && Set(declared).count == declared.count)
        #expect(Set(t.app.routes.map(\.action)) == Set(Action.allCases), "an action no route uses")
    }

    @Test("each route, asked by each role: refused with 401 or 403 exactly where the matrix says")
    func verdictsPerRoute() async throws {
        let t = try await TestApp.make()
        let routes = t.app.routes
        try await t.run { c in
            #expect(try await c.post([RunningDaemon.voyage("A1")], token: c.tokens["op1"]).status == 200)
            for route in routes {
                let path = "/" + route.path.replacingOccurrences(of: "{mmsi}", with: "412000001")
                    .replacingOccurrences(of: "{date}", with: "2026-03-02").replacingOccurrences(of: "{movementId}", with: "A9")
                for who in ["anonymous", "op1", "beijiang", "admin"] {
                    let allowed = Self.matrix[route.action]?.contains(who) == true
                    if route.path.hasPrefix("ui") {
                        // The console: a session instead of a token; the sign-in page instead of 401.
                        let browser = ConsoleClient(c.client)
                        if let user = Self.consoleUser[who] { try await browser.signIn(user) }
                        let answer = try await browser.send(route.method, path, body: nil, contentType: nil)
                        let refused = who == "anonymous" ? answer.status == 303 && answer.location?.hasPrefix("/ui/login") == true
                            : answer.status == 403
                        #expect(allowed ? !refused || route.action == .openConsole : refused, "\(route) by \(who): \(answer.status)")
                        continue
                    }
                    let answer = try await c.request(route.method.rawValue, path, token: c.tokens[who],
                                                     body: Data("{}".utf8), contentType: "application/json")
                    let expected: Set<Int> = allowed ? [] : [who == "anonymous" ? 401 : 403]
                    #expect(allowed ? ![401, 403].contains(answer.status) : expected.contains(answer.status),
                            "\(route) by \(who): \(answer.status) \(answer.text)")
                }
            }
        }
    }
}
