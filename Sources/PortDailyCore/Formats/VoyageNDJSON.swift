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
    public static func quote(_ text: String) -> String { JSONWriter.quoted(text) }
}
