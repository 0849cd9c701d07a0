import Foundation
import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyStore
import PortDailyTestSupport
import Prometheus
import Testing
import Yams

@Suite("The OpenAPI document is the contract", .timeLimit(.minutes(3)))
struct OpenAPIContractTests {
    static let documentPath = CommandLineTool.repositoryRoot.appendingPathComponent("openapi/portdaily.yaml").path

    @Test("the served copy is the repository's document (run scripts/embed-openapi after editing it)")
    func embeddedIsCurrent() throws {
        #expect(try String(contentsOfFile: Self.documentPath, encoding: .utf8) == OpenAPIDocument.yaml + "\n")
    }

    @Test("the router and the document name exactly the same operations")
    func sameRoutes() throws {
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-routes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try PortDailyStore(path: folder.appendingPathComponent("pd.sqlite").path)
        let configuration = try ConfigLoader.load(path: CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path)
        let router = buildRouter(store: store, configuration: LiveConfiguration(configuration), clock: SystemClock(),
                                 registry: PrometheusCollectorRegistry())
        // buildRouter alone: the API. The console's pages (/ and /ui/…, added by buildApplication) are HTML
        // for people, described in docs/console.md.
        let routed = Set(router.routes.map { DocumentedParameters.key($0.method, $0.path.description) })
        #expect(routed == documented, "only routed: \(routed.subtracting(documented)); only documented: \(documented.subtracting(routed))")
    }

    @Test("every operation takes the query parameters the document names for it, and refuses any other")
    func documentedParameters() async throws {
        // The table the router checks requests against, read from the same document.
        #expect(DocumentedParameters.query["GET /v1/voyages"] == ["date", "operator"])
        #expect(DocumentedParameters.query["GET /v1/figures"]?.isSuperset(of: ["from", "to", "bom", "type", "format"]) == true)
        #expect(DocumentedParameters.query["POST /v1/voyages"] == ["atomic"])
        #expect(DocumentedParameters.query["GET /healthz"] == [])
        let t = try await TestApp.make()
        try await t.run { c in
            let admin = c.tokens["admin"]
            #expect(try await c.request("GET", "/v1/voyages?date=2026-03-02", token: admin).status == 200)
            let typo = try await c.request("GET", "/v1/voyages?dat=2026-03-02", token: admin)
            #expect(typo.status == 400 && typo.object["detail"] as? String == "dat: not a parameter of this operation (this operation takes date, operator)",
                    "\(typo.text)")
            let extra = try await c.request("GET", "/healthz?verbose=1")
            #expect(extra.status == 400 && (extra.object["detail"] as? String)?.contains("takes none") == true, "\(extra.text)")
            // The scope policy first: no token, 401 whatever the parameters.
            #expect(try await c.request("GET", "/v1/voyages?dat=x").status == 401)
        }
    }

    @Test("the document is valid OpenAPI 3.1",
          .enabled(if: (try? CommandLineTool.shell("python3 -c 'import openapi_spec_validator'").status) == 0))
    func valid() throws {
        let result = try CommandLineTool(name: "/usr/bin/env").run(["python3", "-c", """
            import sys, yaml
            from openapi_spec_validator import validate
            validate(yaml.safe_load(open(sys.argv[1])))
            print("ok")
            """, Self.documentPath])
        #expect(result.text.contains("ok"), "\(result.stderr)")
    }
}
