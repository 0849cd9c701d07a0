/// Writes RFC 4180 CSV: CRLF line ends, fields quoted only where needed.
public enum CSVWriter {
    public static let byteOrderMark = "\u{FEFF}"

    public static func row(_ fields: [String?]) -> String {
        fields.map { escape($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    public static func escape(_ field: String) -> String {
        guard needsQuotes(field) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The UTF-8 of ``escape(_:)`` appended to `bytes`, without making a string per field (the
    /// store writes a CSV row beside every report revision).
    public static func appendEscaped(_ field: String, to bytes: inout [UInt8]) {
        let quoted = needsQuotes(field)
        var field = field
        field.withUTF8 { utf8 in
            guard quoted else { return bytes.append(contentsOf: utf8) }
            bytes.append(34)
            for byte in utf8 {
                if byte == 34 { bytes.append(34) }
                bytes.append(byte)
            }
            bytes.append(34)
        }
    }

    /// Whether a field must be quoted: it holds a comma, a quote or a line break, or starts or ends
    /// with white space (which a reader could trim).
    static func needsQuotes(_ field: String) -> Bool {
        var field = field
        return field.withUTF8 { $0.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 } }
            || startsOrEndsWithWhitespace(field)
    }

    /// A printable ASCII end is not white space; only other ends need the Unicode check.
    static func startsOrEndsWithWhitespace(_ field: String) -> Bool {
        guard let first = field.utf8.first, let last = field.utf8.last else { return false }
        func printableASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
        if printableASCII(first), printableASCII(last) { return false }
        return field.first?.isWhitespace == true || field.last?.isWhitespace == true
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
