import ArgumentParser
import Foundation
import PortDailyCore
import PortDailyStore

/// `portdaily store …`: check, back up, restore, export and import the database file.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Check, back up, restore, export or import the store.",
        subcommands: [Check.self, Backup.self, Restore.self, Export.self, Import.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database file (and its WAL) without writing to it; exit status 1 when it is damaged.",
            discussion: "PRAGMA quick_check by default; --full runs integrity_check, which also compares each index with its table.")

        @OptionGroup var common: CommonOptions
        @Flag(help: "Run PRAGMA integrity_check instead of quick_check.") var full = false

        func run() throws {
            let path = try common.existingDatabase()
            let findings = IntegrityCheck.check(path: path, full: full)
            guard !findings.isEmpty else {
                print("\(path): ok (\(full ? "integrity_check" : "quick_check"))")
                return
            }
            print("\(path): DAMAGED (\(findings.count) finding\(findings.count == 1 ? "" : "s"))")
            for finding in findings.prefix(100) { print("  \(finding)") }
            throw ExitCode(1)
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the store while the daemon runs, check it, and print what it holds.",
            discussion: "DEST is a new file, or a directory where portdaily-YYYYMMDDTHHMMSSZ.sqlite is written.")

        @OptionGroup var common: CommonOptions
        @Argument(help: ArgumentHelp("The backup file or directory.", valueName: "DEST")) var destination: String

        func run() throws {
            let path = try common.existingDatabase()
            var isDirectory: ObjCBool = false
            var target = destination
            if destination.hasSuffix("/")
                || FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory) && isDirectory.boolValue {
                target = (destination as NSString).appendingPathComponent(BackupDirectory.fileName(at: SystemClock.now))
            }
            try Console.writeJSON(try StoreBackup.write(from: path, to: target))
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup in place of the store (the daemon stopped); the replaced files are moved aside, never deleted.",
            discussion: """
                The backup is checked first. Then ask the operators to resend what they submitted since the backup was \
                taken (printed as backupTakenAt): the import is idempotent, so voyages already stored change nothing.
                """)

        @OptionGroup var common: CommonOptions
        @Argument(help: ArgumentHelp("The backup to restore.", valueName: "FROM")) var backup: String

        func run() throws {
            let path = try common.loadConfiguration().database
            let result = try StoreBackup.restore(from: backup, to: path, now: SystemClock.now)
            try Console.writeJSON(result)
            let since = result.backupTakenAt.map { "\($0)" } ?? "the backup's time"
            Console.error("restored; ask operators to resend every voyage submitted since \(since)")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the store's source of truth as NDJSON: register, voyages and their audit trail, report revisions, acknowledgements.",
            discussion: "Tokens and console users are not exported. One read transaction: the store as of one commit.")

        @OptionGroup var common: CommonOptions
        @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

        func run() throws {
            let (_, store, _) = try common.open()
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil), let opened = FileHandle(forWritingAtPath: output) else {
                    throw UsageError(message: "cannot write \(output)")
                }
                handle = opened
            } else {
                handle = .standardOutput
            }
            var buffer = Data()
            try StoreExport.export(store) { line in
                buffer.append(line)
                if buffer.count >= 1 << 20 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            }
            try handle.write(contentsOf: buffer)
            if output != nil { try handle.synchronize(); try handle.close() }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Load an export into a new, empty store (in one transaction: all of it or nothing).")

        @OptionGroup var common: CommonOptions
        @Argument(help: ArgumentHelp("The export (NDJSON), or - for standard input.", valueName: "FILE")) var file: String

        func run() throws {
            // Not `common.open()`: the store's time zone comes with the export.
            let store = try CommonOptions.openStore(try common.loadConfiguration())
            var data = Data()
            try InputFile.read(file) { data.append($0) }
            let text = String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { (number: $0 + 1, text: $1) }
            let summary: StoreExport.ImportSummary
            do { summary = try StoreExport.importExport(into: store, lines: lines) } catch let error as StoreExport.ImportError {
                Console.error("\(file): \(error); nothing was imported")
                throw ExitCode(1)
            }
            try store.close()
            try Console.writeJSON(summary)
        }
    }
}
