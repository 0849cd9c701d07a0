/// Header values are ASCII in practice; these helpers read them without Foundation, on every request.
extension StringProtocol {
    /// The text without leading or trailing optional whitespace (RFC 9110 `OWS`: spaces and tabs).
    /// Read as bytes: comparing characters costs a grapheme break check each.
    var trimmingOWS: SubSequence {
        let isOWS: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = utf8.firstIndex(where: { !isOWS($0) }) else { return self[endIndex...] }
        var end = first
        var index = first
        while index != utf8.endIndex {
            let next = utf8.index(after: index)
            if !isOWS(utf8[index]) { end = next }
            index = next
        }
        return self[first..<end]
    }

    /// Whether the text is `other`, ignoring ASCII case (`other` in lowercase).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count && hasCaseInsensitivePrefix(other)
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
