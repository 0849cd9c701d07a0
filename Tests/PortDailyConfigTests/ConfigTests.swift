import Foundation
import PortDailyConfig
import PortDailyCore
import Testing

@Suite("Configuration")
struct ConfigTests {
    static let exampleConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/portdaily.yaml").standardized.path

    @Test("the shipped example parses: Tianjin's bureaus, port areas and vessel types")
    func example() throws {
        let config = try ConfigLoader.load(path: Self.exampleConfig)
        #expect(config.timeZone.identifier == "Asia/Shanghai")
        #expect(config.sealGraceMilliseconds == 2 * 3_600_000)
        #expect(config.setup.bureaus.count >= 3)
        let areas = Set(config.setup.portAreas.map(\.id))
        #expect(areas.isSuperset(of: ["beijiang", "nanjiang", "dongjiang", "dagukou", "haihe", "dagang", "gaoshaling"]))
        #expect(Set(config.setup.portAreas.map(\.bureau)).count >= 3)
        #expect(config.setup.vesselTypes == PortSetup.defaultVesselTypes)
        // The bulk import's settings say what their defaults are.
        let ingest = config.ingest
        #expect((ingest.batchSize, ingest.transactionMilliseconds, ingest.importCacheMiB) == (5000, 1000, 256))
        #expect(ingest == IngestSettings())
    }

    static let minimal = """
        database: pd.sqlite
        bureaus:
          - id: msa
            name: MSA
        portAreas:
          - id: a1
            bureau: msa
        """

    @Test("defaults: Asia/Shanghai, 2 h grace, the case's vessel types; a relative database path is beside the file")
    func defaults() throws {
        let config = try ConfigLoader.parse(Self.minimal, file: "/etc/portdaily/portdaily.yaml")
        #expect(config.timeZone.identifier == "Asia/Shanghai")
        #expect(config.sealGraceMilliseconds == 7_200_000)
        #expect(config.database == "/etc/portdaily/pd.sqlite")
        #expect(config.setup.vesselTypes.contains("garbage-reception"))
    }

    @Test("the API's limits: the old constants by default, the configured values otherwise")
    func limits() throws {
        #expect(try ConfigLoader.parse(Self.minimal, file: "t.yaml").daemon.limits == APILimits())
        let set = try ConfigLoader.parse(Self.minimal + """

            http:
              maxBodyBytes: 4096
              maxPageSize: 200
              maxRemarkLength: 80
              maxFiguresDays: 366
            """, file: "t.yaml").daemon.limits
        #expect((set.maxBodyBytes, set.maxPageSize, set.maxRemarkLength, set.maxFiguresDays) == (4096, 200, 80, 366))
        #expect((APILimits().maxPageSize, APILimits().maxRemarkLength, APILimits().maxFiguresDays) == (1000, 1000, 3660))
    }

    @Test("token lifetimes: a year by default, days as a unit; never only on the command line, not as the default")
    func tokens() throws {
        #expect(try ConfigLoader.parse(Self.minimal, file: "t.yaml").tokens == TokenSettings())
        #expect(TokenSettings().lifetimeMilliseconds == 365 * 86_400_000)
        let set = try ConfigLoader.parse(Self.minimal + """

            tokens:
              lifetime: 90d
              rotationGrace: 1d12h
              warnBefore: 30d
            """, file: "t.yaml").tokens
        let day: Int64 = 86_400_000
        #expect(set.lifetimeMilliseconds == 90 * day)
        #expect(set.rotationGraceMilliseconds == 36 * 3_600_000)
        #expect(set.warnBeforeMilliseconds == 30 * day)
        for (value, key) in [("lifetime: never", "tokens.lifetime"), ("lifetime: 0d", "tokens.lifetime"),
                             ("lifetime: 1d\n  rotationGrace: 2d", "tokens.rotationGrace"), ("expiry: 1d", "tokens.expiry")] {
            #expect(throws: ConfigError.self) { try ConfigLoader.parse(Self.minimal + "\ntokens:\n  " + value, file: "t.yaml") }
            do { _ = try ConfigLoader.parse(Self.minimal + "\ntokens:\n  " + value, file: "t.yaml") } catch {
                #expect(error.key == key, "\(value): \(error)")
            }
        }
        #expect(TokenLifetime("never") == .never)
        #expect(TokenLifetime("90d") == .milliseconds(90 * 86_400_000))
        #expect(TokenLifetime("0d") == nil && TokenLifetime("soon") == nil && TokenLifetime("") == nil)
    }

    @Test("TLS and trusted proxies: paths beside the config file, addresses in one spelling, none by default")
    func tlsAndProxies() throws {
        let none = try ConfigLoader.parse(Self.minimal, file: "/etc/portdaily/portdaily.yaml").daemon
        #expect(none.tls == nil && none.trustedProxies.isEmpty)
        let set = try ConfigLoader.parse(Self.minimal + """

            http:
              tls:
                certificate: tls/fullchain.pem
                privateKey: /etc/ssl/private/portdaily.key
                clientCA: operators-ca.pem
                requireClientCertificate: true
              trustedProxies: [127.0.0.1, "::0001", 10.0.0.5]
            """, file: "/etc/portdaily/portdaily.yaml").daemon
        var expected = TLSSettings(certificate: "/etc/portdaily/tls/fullchain.pem", privateKey: "/etc/ssl/private/portdaily.key")
        expected.clientCA = "/etc/portdaily/operators-ca.pem"
        expected.requireClientCertificate = true
        #expect(set.tls == expected)
        #expect(set.trustedProxies == ["127.0.0.1", "::1", "10.0.0.5"])
    }

    @Test("errors name the key and the line", arguments: [
        (minimal + "\ntimezone: UTC", "timezone", 8),
        (minimal + "\ntimeZone: Mars/Olympus", "timeZone", 8),
        (minimal + "\nsealGrace: soon", "sealGrace", 8),
        (minimal + "\nsealGrace: 25h", "sealGrace", 8),
        (minimal.replacingOccurrences(of: "bureau: msa", with: "bureau: ghost"), "portAreas[1].bureau", 7),
        (minimal + "\n  - id: a1\n    bureau: msa", "portAreas[2].id", 8),
        (minimal + "\ningest:\n  batchSize: 0", "ingest.batchSize", 9),
        (minimal + "\ningest:\n  transactionTime: 2m", "ingest.transactionTime", 9),
        (minimal + "\ningest:\n  importCacheMiB: 1", "ingest.importCacheMiB", 9),
        (minimal + "\nvesselTypes: [tug, tug]", "vesselTypes[2]", 8),
        (minimal + "\nhttp:\n  maxPageSize: 10", "http.maxPageSize", 9),
        (minimal + "\nhttp:\n  maxRemarkLength: 0", "http.maxRemarkLength", 9),
        (minimal + "\nhttp:\n  maxFiguresDays: many", "http.maxFiguresDays", 9),
        (minimal + "\nhttp:\n  tls:\n    certificate: c.pem", "http.tls.privateKey", 10),
        (minimal + "\nhttp:\n  tls:\n    certificate: c.pem\n    privateKey: k.pem\n    requireClientCertificate: true",
         "http.tls.requireClientCertificate", 12),
        (minimal + "\nhttp:\n  tls:\n    certificate: c.pem\n    privateKey: k.pem\n    ciphers: RC4", "http.tls.ciphers", 12),
        (minimal + "\nhttp:\n  trustedProxies: [127.0.0.1, proxy.example]", "http.trustedProxies[2]", 9),
    ] as [(String, String, Int)])
    func errors(text: String, key: String, line: Int) {
        do {
            _ = try ConfigLoader.parse(text, file: "test.yaml")
            Issue.record("accepted a bad config")
        } catch {
            #expect(error.key == key)
            #expect(error.line == line, "\(error)")
            #expect(error.description.hasPrefix("test.yaml:\(line): \(key):"))
        }
    }

    @Test("a missing database key and broken YAML are reported")
    func broken() {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse("bureaus: []", file: "x.yaml") }
        do { _ = try ConfigLoader.parse("database: x\nbureaus: [\n", file: "x.yaml") } catch {
            #expect(error.message.contains("not valid YAML"))
            #expect(error.line != nil)
        }
    }

    @Test("the path comes from --config, else PORTDAILY_CONFIG, else /etc/portdaily/portdaily.yaml")
    func resolution() {
        #expect(PortDailyConfiguration.resolvePath(explicit: "a.yaml", environment: ["PORTDAILY_CONFIG": "b.yaml"]) == "a.yaml")
        #expect(PortDailyConfiguration.resolvePath(explicit: nil, environment: ["PORTDAILY_CONFIG": "b.yaml"]) == "b.yaml")
        #expect(PortDailyConfiguration.resolvePath(explicit: nil, environment: [:]) == "/etc/portdaily/portdaily.yaml")
    }
}
