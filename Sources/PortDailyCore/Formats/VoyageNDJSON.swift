/// Writes voyages as NDJSON lines with the wire field names; absent optional fields are left out.
public enum VoyageNDJSON {
    public static func line(_ voyage: Voyage) -> String {
        var parts: [String] = []
        for (name, value) in zip(Voyage.fieldNames, voyage.fieldValues) {
            guard let value else { continue }
            let json = name == "personsAboard" ? value : JSONText.quote(value)
            parts.append(JSONText.quote(name) + ":" + json)
        }
        return "{" + parts.joined(separator: ",") + "}\n"
    }
}

/// JSON string literals.
public enum JSONText {
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
