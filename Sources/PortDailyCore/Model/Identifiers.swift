/// A Maritime Mobile Service Identity: nine digits; a ship station's first digit (its
/// maritime identification digit) is 2 to 7.
public struct MMSI: Hashable, Comparable, Sendable, ValidatedString, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 9, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(bytes[0]) else { return nil }
        rawValue = String(text)
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
        var digits = Substring(text)
        if digits.uppercased().hasPrefix("IMO") { digits = digits.dropFirst(3).drop(while: { $0 == " " }) }
        guard digits.utf8.count == 7, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        rawValue = String(digits)
    }

    /// Weights 7…2 over the first six digits; the sum's last digit is the check digit.
    public var checkDigitIsValid: Bool {
        let d = rawValue.utf8.map { Int($0 - 48) }
        let sum = (0..<6).reduce(0) { $0 + d[$1] * (7 - $1) }
        return sum % 10 == d[6]
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
