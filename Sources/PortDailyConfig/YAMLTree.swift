import Yams

/// A YAML node with its key path, read with errors that name the key and the line.
struct YAMLTree {
    let node: Node?
    let path: String
    let file: String
    /// The line of the nearest enclosing node, for keys that are absent.
    let fallbackLine: Int?

    var line: Int? { node?.mark.map(\.line) ?? fallbackLine }

    func error(_ message: String) -> ConfigError { ConfigError(file: file, key: path, line: line, message: message) }

    var isAbsent: Bool {
        guard let node else { return true }
        if case .scalar(let scalar) = node, scalar.tag == Tag(.null) || (scalar.string.isEmpty && scalar.style == .plain) { return true }
        return node.null != nil
    }

    /// The value under `key`, checking that this node is a mapping.
    func child(_ key: String) throws(ConfigError) -> YAMLTree {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        guard !isAbsent else { return YAMLTree(node: nil, path: childPath, file: file, fallbackLine: line) }
        guard let mapping = node?.mapping else { throw error("expected a mapping of keys") }
        let value = mapping.first(where: { $0.key.string == key })?.value
        return YAMLTree(node: value, path: childPath, file: file, fallbackLine: line)
    }

    /// Refuses keys other than `allowed` (a typo must not be silently ignored).
    func onlyKeys(_ allowed: [String]) throws(ConfigError) {
        guard !isAbsent, let mapping = node?.mapping else { return }
        for (key, _) in mapping {
            let name = key.string ?? ""
            if !allowed.contains(name) {
                let keyPath = path.isEmpty ? name : "\(path).\(name)"
                throw ConfigError(file: file, key: keyPath, line: key.mark?.line ?? line,
                                  message: "unknown key (known keys: \(allowed.joined(separator: ", ")))")
            }
        }
    }

    func elements() throws(ConfigError) -> [YAMLTree] {
        guard !isAbsent else { return [] }
        guard let sequence = node?.sequence else { throw error("expected a list") }
        return sequence.enumerated().map { index, element in
            YAMLTree(node: element, path: "\(path)[\(index + 1)]", file: file, fallbackLine: line)
        }
    }

    func string() throws(ConfigError) -> String? {
        guard !isAbsent else { return nil }
        guard case .scalar(let scalar) = node else { throw error("expected a single value") }
        return scalar.string
    }

    func requiredString() throws(ConfigError) -> String {
        guard let value = try string(), !value.isEmpty else { throw error("missing") }
        return value
    }

    func int(in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let text = try string() else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw error("expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    func double(in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let text = try string() else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw error("expected a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    func bool() throws(ConfigError) -> Bool? {
        guard let text = try string() else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, got '\(text)'")
        }
    }

    /// A duration: `2h`, `90m`, `1h30m`, `45s`, or a number of seconds.
    func duration() throws(ConfigError) -> Int64? {
        guard let text = try string() else { return nil }
        guard let ms = Duration.parseMilliseconds(text) else {
            throw error("expected a duration such as 365d, 2h, 90m, 1h30m or 45s, got '\(text)'")
        }
        return ms
    }
}

enum Duration {
    static func parseMilliseconds(_ text: String) -> Int64? {
        if let seconds = Int64(text), seconds >= 0 { return seconds * 1000 }
        var total: Int64 = 0
        var number: Int64?
        var sawUnit = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                number = (number ?? 0) * 10 + Int64(digit)
                guard number! < 1_000_000 else { return nil }
                continue
            }
            guard let value = number else { return nil }
            switch character {
            case "d": total += value * 86_400_000
            case "h": total += value * 3_600_000
            case "m": total += value * 60_000
            case "s": total += value * 1000
            default: return nil
            }
            number = nil
            sawUnit = true
        }
        return sawUnit && number == nil ? total : nil
    }
}
