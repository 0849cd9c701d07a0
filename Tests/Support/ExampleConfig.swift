import Foundation

/// The example configuration, patched line by line for a test: each patch must find exactly one
/// line to replace, else it throws (a test would otherwise run with the example's value and prove
/// nothing).
public enum ExampleConfig {
    public static let path = CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path

    public static func text() throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// `yaml` with its one line `line` (leading spaces aside) replaced by `replacement`.
    public static func patch(_ yaml: String, _ line: String, _ replacement: String) throws -> String {
        let lines = yaml.components(separatedBy: "\n")
        let matches = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces) == line }
        guard matches.count == 1, let index = matches.first else {
            throw PatchError(description: "the configuration has \(matches.count) lines '\(line)', expected one")
        }
        var patched = lines
        patched[index] = lines[index].replacingOccurrences(of: line, with: replacement)
        return patched.joined(separator: "\n")
    }

    public struct PatchError: Error, CustomStringConvertible {
        public let description: String
    }
}
