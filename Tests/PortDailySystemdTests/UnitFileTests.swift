import Foundation
import PortDailyLogging
import PortDailyTestSupport
import Testing

@Suite("Unit files", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")), .timeLimit(.minutes(3)))
struct UnitFileTests {
    static let units = CommandLineTool.repositoryRoot.appendingPathComponent("systemd")

    @Test("systemd-analyze security --offline=yes rates portdaily.service at an exposure of 2.0 or lower")
    func exposure() throws {
        let result = try CommandLineTool.shell(
            "systemd-analyze security --offline=yes --no-pager '\(Self.units.path)/portdaily.service' 2>&1")
        let line = try #require(result.text.split(separator: "\n").last { $0.contains("Overall exposure level") })
        let number = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        let exposure = try #require(number, "\(line)")
        #expect(exposure <= 2.0, "\(line)")
    }

    @Test("systemd-analyze verify prints nothing on stderr for the units (ExecStart pointed at the built binary)")
    func verify() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let service = try String(contentsOf: Self.units.appendingPathComponent("portdaily.service"), encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/portdailyd", with: CommandLineTool.binDirectory.appendingPathComponent("portdailyd").path)
            .replacingOccurrences(of: "/usr/local/lib/portdaily/portdaily-stage-tls", with: Self.units.appendingPathComponent("portdaily-stage-tls").path)
        try Data(service.utf8).write(to: folder.appendingPathComponent("portdaily.service"))
        try FileManager.default.copyItem(at: Self.units.appendingPathComponent("portdaily.socket"),
                                         to: folder.appendingPathComponent("portdaily.socket"))
        let result = try CommandLineTool(name: "/usr/bin/systemd-analyze").run(
            ["verify", folder.appendingPathComponent("portdaily.service").path, folder.appendingPathComponent("portdaily.socket").path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test("the catalog explains every MESSAGE_ID the daemon uses, and the unit runs the daemon with the example config's path")
    func catalogAndPaths() throws {
        let catalog = try String(contentsOf: Self.units.appendingPathComponent("portdaily.catalog"), encoding: .utf8)
        let ids = try CommandLineTool.shell(
            "grep -o 'case [a-zA-Z]* = \"[0-9a-f]\\{32\\}\"' '\(CommandLineTool.repositoryRoot.path)/Sources/PortDailyLogging/PortDailyEvent.swift'")
        let found = ids.text.split(separator: "\n").compactMap { $0.split(separator: "\"").dropFirst().first }
        #expect(found.count == PortDailyEvent.allCases.count)
        for id in found { #expect(catalog.contains("-- \(id)\nSubject: "), "catalog lacks \(id)") }
        let service = try String(contentsOf: Self.units.appendingPathComponent("portdaily.service"), encoding: .utf8)
        #expect(service.contains("Type=notify"))
        #expect(service.contains("ExecReload=/bin/kill -HUP $MAINPID"))
        #expect(service.contains("--config /etc/portdaily/portdaily.yaml"))
        #expect(service.contains("StateDirectory=portdaily") && service.contains("/var/lib/portdaily/"))
    }
}
