import Foundation

/// `chattr ±i`: an immutable file cannot be opened for writing, not even by root.
public enum Immutable {
    public static let available: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr") else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-chattr-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else { return false }
        defer { try? set(false, probe); try? FileManager.default.removeItem(atPath: probe) }
        return (try? set(true, probe)) != nil
    }()

    public static func set(_ on: Bool, _ path: String) throws {
        _ = try CommandLineTool(name: "/usr/bin/chattr").run([on ? "+i" : "-i", path])
    }
}
