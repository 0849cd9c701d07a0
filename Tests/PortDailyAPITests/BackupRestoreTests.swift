import Foundation
import Logging
import PortDailyApp
import PortDailyConfig
import PortDailyCore
import PortDailyLogging
import PortDailyStore
import PortDailyTestSupport
import Synchronization
import Testing

/// Backups taken while submissions are acknowledged, restored with the daemon stopped; the
/// daemon's own backups; export and import.
@Suite("Backups, restore, export and import", .timeLimit(.minutes(3)))
struct BackupRestoreTests {
    /// The movement ids of 2026-03-02 in the store at `path`, read from a copy (opening a store writes it).
    static func voyageIDs(_ path: String) throws -> Set<String> {
        let copy = path + ".read-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let store = try PortDailyStore(path: copy)
        defer { try? store.close() }
        return Set(try store.voyages(on: Fixture.date("2026-03-02"), operator: nil).map(\.voyage.movementId))
    }

    @Test("a backup taken during ingest is consistent and holds every voyage acknowledged before it started; restore brings exactly that back")
    func backupDuringIngest() async throws {
        let t = try await TestApp.make()
        final class Progress: Sendable {
            let acknowledged = Mutex<[String]>([])
            let stop = Mutex(false)
        }
        let progress = Progress()
        let backupPath = t.folder.appendingPathComponent("backups/during.sqlite").path
        let (before, summary) = try await t.run { c in
            try await withThrowingTaskGroup(of: Void.self) { group -> (Set<String>, StoreFileSummary) in
                for writer in 0..<4 {
                    group.addTask {
                        var n = 0
                        while !progress.stop.withLock({ $0 }) {
                            n += 1
                            let id = "W\(writer)-\(n)"
                            let answer = try await c.post([RunningDaemon.voyage(id, hour: 1 + n % 20)], token: c.tokens["op1"])
                            if answer.status == 200 { progress.acknowledged.withLock { $0.append(id) } }
                        }
                    }
                }
                #expect(await Poll.until(90) { progress.acknowledged.withLock { $0.count } >= 40 }, "some voyages acknowledged")
                let before = Set(progress.acknowledged.withLock { $0 })
                let summary = try StoreBackup.write(from: t.database, to: backupPath)
                #expect(await Poll.until(30) { progress.acknowledged.withLock { $0.count } >= before.count + 20 }, "more voyages after the backup")
                progress.stop.withLock { $0 = true }
                try await group.waitForAll()
                return (before, summary)
            }
        }
        let backup = summary
        let inBackup = try Self.voyageIDs(backupPath)
        #expect(before.isSubset(of: inBackup), "missing: \(before.subtracting(inBackup).sorted())")
        #expect(backup.voyages == inBackup.count)
        #expect(try StoreBackup.verify(backupPath).sha256 == backup.sha256)

        // Not while the store is open.
        #expect(throws: BackupError.self) { try StoreBackup.restore(from: backupPath, to: t.database, now: Fixture.instant("2026-03-11T09:00:00+08:00")) }
        try t.store.close()
        let all = try Self.voyageIDs(t.database)
        #expect(all.count > inBackup.count)
        let result = try StoreBackup.restore(from: backupPath, to: t.database, now: Fixture.instant("2026-03-11T09:00:00+08:00"))
        #expect(result.replaced.contains { $0.hasSuffix(".replaced-20260311T010000Z") })
        #expect(try Self.voyageIDs(t.database) == inBackup, "exactly the backup")
        #expect(try Self.voyageIDs(result.replaced[0]) == all, "the replaced file is kept as it was")
    }

    @Test("the daemon's backups: one per interval, the oldest beyond keep removed, each logged; a failure logged once and shown until one succeeds")
    func daemonBackups() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-backups-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let t = try await TestApp.make { configuration in
            var backup = BackupSettings()
            backup.directory = folder.path
            backup.keep = 2
            configuration.daemon.safety.backup = backup
        }
        let backups = t.app.backups
        for hour in 0..<3 {
            t.clock.set(Fixture.instant("2026-03-10T1\(hour):00:00+08:00"))
            let summary = try #require(backups.backUpNow())
            #expect(summary.vessels == TestApp.register.count)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["portdaily-20260310T030000Z.sqlite", "portdaily-20260310T040000Z.sqlite"], "\(names)")
        let taken = PortDailyEvent.backupTaken.messageID
        #expect(t.log.entries.count { $0.contains("MESSAGE_ID=\(taken)") } == 3)

        // The directory replaced by a file: every attempt fails, logged once.
        try FileManager.default.removeItem(at: folder)
        try Data("not a directory".utf8).write(to: folder)
        for minute in 1...3 {
            t.clock.set(Fixture.instant("2026-03-10T13:0\(minute):00+08:00"))
            #expect(backups.backUpNow() == nil)
        }
        let failed = PortDailyEvent.backupFailed.messageID
        #expect(t.log.entries.count { $0.contains("MESSAGE_ID=\(failed)") } == 1, "\(t.log.text)")
        #expect(backups.problem?.contains("backup failed") == true)
        try FileManager.default.removeItem(at: folder)
        #expect(backups.backUpNow() != nil)
        #expect(backups.problem == nil)
        #expect(t.log.text.contains("backups succeed again"))
    }

    @Test("export, import into a new store, export again: the same bytes; a bad line names itself and imports nothing")
    func exportImportRoundTrip() async throws {
        let t = try await TestApp.make()
        try await t.run { c in
            #expect(try await c.post((1...30).map { RunningDaemon.voyage("E\($0)", hour: $0 % 20) }, token: c.tokens["op1"]).status == 200)
            #expect(try await c.request("DELETE", "/v1/voyages/E3?reason=duplicate", token: c.tokens["op1"]).status == 200)
            let ack = try await c.request("POST", "/v1/daily-reports/412000001/2026-03-02/acknowledgements", token: c.tokens["beijiang"],
                                          body: Data(#"{"revision":1,"remark":"收到"}"#.utf8), contentType: "application/json")
            #expect(ack.status == 201)
        }
        var first = Data()
        try StoreExport.export(t.store) { first.append($0) }
        let lines = { (data: Data) in
            String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().map { (number: $0 + 1, text: $1) }
        }
        let copyPath = t.folder.appendingPathComponent("imported.sqlite").path
        let copy = try PortDailyStore(path: copyPath)
        defer { try? copy.close() }
        let summary = try StoreExport.importExport(into: copy, lines: lines(first))
        #expect(summary.tables["voyage"] == 30 && summary.tables["acknowledgement"] == 1 && summary.tables["voyageAudit"] == 1)
        var second = Data()
        try StoreExport.export(copy) { second.append($0) }
        #expect(first == second)
        #expect(throws: StoreExport.ImportError.self) { try StoreExport.importExport(into: copy, lines: lines(first)) }

        let emptyPath = t.folder.appendingPathComponent("empty.sqlite").path
        let empty = try PortDailyStore(path: emptyPath)
        defer { try? empty.close() }
        var broken = lines(first)
        broken[5].text = #"{"table":"voyage","row":{"nonsense":1}}"#
        do {
            _ = try StoreExport.importExport(into: empty, lines: broken)
            Issue.record("imported a line naming an unknown column")
        } catch let error as StoreExport.ImportError {
            #expect(error.line == 6 && error.message.contains("nonsense"), "\(error)")
        }
        var after = Data()
        try StoreExport.export(empty) { after.append($0) }
        #expect(String(decoding: after, as: UTF8.self).split(separator: "\n").count == 2, "nothing imported (the header, the new store's seal state)")
    }
}
