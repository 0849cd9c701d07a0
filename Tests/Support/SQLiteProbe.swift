import Foundation

/// Reads a store's file straight from another process (Python's sqlite3 module), so that no
/// request, and no fold a read triggers, stands between a test and what was written.
public enum SQLiteProbe {
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }

    /// The first row of `query`, its columns joined by spaces.
    public static func firstRow(_ database: String, _ query: String) throws -> String {
        try CommandLineTool(name: "/usr/bin/python3").run(["-c", """
            import sqlite3, sys
            row = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
            print(" ".join(str(column) for column in row))
            """, database, query]).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
