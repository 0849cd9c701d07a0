/// A configuration that cannot be used: names the file, the key (as a path such as
/// `portAreas[2].bureau`) and the line, so an admin can fix it without guessing.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let key: String
    public let line: Int?
    public let message: String

    public init(file: String, key: String, line: Int?, message: String) {
        self.file = file
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}
