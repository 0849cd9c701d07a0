import Foundation
import PortDailyTestSupport

/// A scratch folder with the example configuration and a database path.
final class Workspace {
    let directory: URL
    let cli = CommandLineTool(name: "portdaily")

    static let exampleConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/portdaily.yaml").standardized.path

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var database: String { path("portdaily.sqlite") }
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs `portdaily` with the example config and this workspace's database.
    func portdaily(_ arguments: [String], stdin: Data? = nil) throws -> CommandLineTool.Output {
        try cli.run(arguments + ["--config", Self.exampleConfig, "--database", database], stdin: stdin)
    }

    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// A register with a tug of op1 (Chinese name), a bunker vessel of op2, and a tug whose admission has lapsed.
    func loadRegister() throws {
        let csv = """
            mmsi,imo,name,callSign,type,operator,homeBureau,admittedFrom,admittedUntil
            412000001,9074729,"津港拖1号, 港作",BVAA,tug,op1,beijiang-msa,2026-01-01,
            412000002,,渤海油2,,bunkering,op2,nanjiang-msa,2026-01-01,
            412000003,,津港拖3号,,tug,op1,beijiang-msa,2025-01-01,2026-02-28

            """
        let result = try portdaily(["vessels", "import", try write("vessels.csv", csv)])
        precondition(result.status == 0, result.stderr + result.text)
    }
}
