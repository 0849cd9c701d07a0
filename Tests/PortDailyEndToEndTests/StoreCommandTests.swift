import Foundation
import PortDailyCore
import PortDailyTestSupport
import Testing

@Suite("portdaily store: check, backup, restore, export, import", .timeLimit(.minutes(3)))
struct StoreCommandTests {
    @Test("check exits 0 on a sound store and 1 naming the damaged table; backup, restore, export and import as an admin runs them")
    func storeCommands() throws {
        let w = try Workspace()
        try w.loadRegister()
        let feed = "movementId,operator,mmsi,job,departedAt,fromArea,arrivedAt,toArea\n"
            + "M1,op1,412000001,escort,2026-03-02T08:00:00+08:00,beijiang,2026-03-02T09:00:00+08:00,dagang\n"
        #expect(try w.portdaily(["voyages", "import", try w.write("f.csv", feed)]).status == 0)

        let sound = try w.portdaily(["store", "check", "--full"])
        #expect(sound.status == 0 && sound.text.contains("ok"), "\(sound.text) \(sound.stderr)")
        let backups = w.path("backups") + "/"
        let backup = try w.portdaily(["store", "backup", backups]).object()
        #expect(backup["voyages"] as? Int == 1 && backup["vessels"] as? Int == 3)
        let backupFile = try #require(backup["path"] as? String)
        #expect(URL(fileURLWithPath: backupFile).lastPathComponent.hasPrefix("portdaily-"))

        let export = try w.portdaily(["store", "export", "--output", w.path("export.ndjson")])
        #expect(export.status == 0, "\(export.stderr)")

        // The voyage table's page overwritten.
        var data = try Data(contentsOf: URL(fileURLWithPath: w.database))
        let page = try voyageRootPage(w.database)
        let pageSize = Int(data[16]) << 8 | Int(data[17])
        for offset in (page - 1) * pageSize..<page * pageSize { data[offset] = 0x01 }
        try data.write(to: URL(fileURLWithPath: w.database))
        let damaged = try w.portdaily(["store", "check"])
        #expect(damaged.status == 1 && damaged.text.contains("DAMAGED") && damaged.text.contains("voyage"), "\(damaged.text)")

        let restored = try w.portdaily(["store", "restore", backupFile])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stderr.contains("resend"))
        let replaced = try #require((try restored.object()["replaced"] as? [String])?.first)
        #expect(FileManager.default.fileExists(atPath: replaced))
        #expect(try w.portdaily(["store", "check", "--full"]).status == 0)
        #expect(try w.portdaily(["reports", "--date", "2026-03-02"]).array().count == 1)

        let fresh = w.path("fresh.sqlite")
        let imported = try w.cli.run(["store", "import", w.path("export.ndjson"), "--config", Workspace.exampleConfig, "--database", fresh])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(((try imported.object()["tables"] as? [String: Int])?["voyage"]) == 1)
        let again = try w.cli.run(["store", "import", w.path("export.ndjson"), "--config", Workspace.exampleConfig, "--database", fresh])
        #expect(again.status == 1 && again.stderr.contains("not empty"), "\(again.stderr)")
    }

    func voyageRootPage(_ database: String) throws -> Int {
        let out = try CommandLineTool.shell("sqlite3 -readonly '\(database)' \"SELECT rootpage FROM sqlite_schema WHERE name = 'voyage'\"")
        return try #require(Int(out.text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
