/// A Maritime Mobile Service Identity: nine digits; a ship station's first digit (its
/// maritime identification digit) is 2 to 7.
public struct MMSI: Hashable, Comparable, Sendable, ValidatedString, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: some StringProtocol) {
        guard Self.isValid(text.utf8) else { return nil }
        rawValue = String(text)
    }

    /// The MMSI these UTF-8 bytes spell, if they do.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard Self.isValid(bytes) else { return nil }
        rawValue = String(decoding: bytes, as: UTF8.self)
    }

    private static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.count == 9 && bytes.allSatisfy { $0 >= 48 && $0 <= 57 }
            && (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(bytes.first!)
    }

    public var description: String { rawValue }
    public static func < (lhs: MMSI, rhs: MMSI) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An IMO ship identification number: seven digits, the last a check digit.
///
/// Real ships carry numbers whose check digit fails, so a failing check is reported as a
/// warning by validation, never a rejection.
public struct IMONumber: Hashable, Sendable, ValidatedString, CustomStringConvertible {
    public let rawValue: String

    /// Accepts seven digits, optionally prefixed with `IMO` (and a space).
    public init?(_ text: some StringProtocol) {
        guard let digits = Self.digits(of: Array(text.utf8)[...]) else { return nil }
        rawValue = String(decoding: digits, as: UTF8.self)
    }

    /// The same, from UTF-8 bytes.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let digits = Self.digits(of: bytes[...]) else { return nil }
        rawValue = String(decoding: digits, as: UTF8.self)
    }

    /// The seven digits, after an `IMO` prefix in any case and the spaces after it.
    private static func digits<Bytes: Collection<UInt8>>(of bytes: Bytes) -> Bytes.SubSequence? {
        var digits = bytes[...]
        if digits.count >= 3, zip(digits, "imo".utf8).allSatisfy({ $0 | 0x20 == $1 }) {
            digits = digits.dropFirst(3).drop(while: { $0 == UInt8(ascii: " ") })
        }
        guard digits.count == 7, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits
    }

    /// Weights 7…2 over the first six digits; the sum's last digit is the check digit.
    public var checkDigitIsValid: Bool {
        var sum = 0
        for (position, byte) in rawValue.utf8.prefix(6).enumerated() { sum += Int(byte - 48) * (7 - position) }
        return sum % 10 == Int(rawValue.utf8.last! - 48)
    }

    public var description: String { rawValue }
}

/// An identifier that is a checked string: encoded as the string, decoded only if it passes.
public protocol ValidatedString: Codable {
    var rawValue: String { get }
    init?(_ text: String)
}

extension ValidatedString {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a valid \(Self.self): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
