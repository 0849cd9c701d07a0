/// Header values are ASCII in practice; these helpers read them without Foundation, on every request.
extension StringProtocol {
    /// The text without leading or trailing optional whitespace (RFC 9110 `OWS`: spaces and tabs).
    var trimmingOWS: SubSequence {
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isOWS($0) }), let last = lastIndex(where: { !isOWS($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// Whether the text starts with `prefix`, ignoring ASCII case (`prefix` in lowercase).
    func hasCaseInsensitivePrefix(_ prefix: String) -> Bool {
        var text = utf8.makeIterator()
        for expected in prefix.utf8 {
            guard let byte = text.next() else { return false }
            let lowered = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if lowered != expected { return false }
        }
        return true
    }
}
