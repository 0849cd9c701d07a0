import Foundation
import Glibc

/// A loopback TCP port that is free now: the kernel picks it (bind to port 0). Tests that start
/// servers use it instead of random numbers, so two tests never aim at one port.
public enum FreePort {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var handedOut = Set<Int>()

    public static func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        while true {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { continue }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if handedOut.insert(port).inserted { return port }
        }
    }
}
