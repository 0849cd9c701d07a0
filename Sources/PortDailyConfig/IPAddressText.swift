#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IP addresses as text, in the one spelling the socket layer gives a peer (`inet_ntop`), so that
/// a configured `::0001` and a peer's `::1` compare equal.
public enum IPAddressText {
    /// The address in `inet_ntop`'s spelling, or nil when `text` is not an IPv4 or IPv6 address.
    public static func normalized(_ text: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return format(AF_INET, &v4, Int(INET_ADDRSTRLEN)) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return format(AF_INET6, &v6, Int(INET6_ADDRSTRLEN)) }
        return nil
    }

    private static func format(_ family: Int32, _ address: UnsafeRawPointer, _ size: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: size)
        guard inet_ntop(family, address, &buffer, socklen_t(size)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
