import Glibc

/// Sends NMEA lines to a loopback UDP port as an AIS receiver does: a few lines a datagram.
public enum UDPSender {
    /// `perDatagram` lines a datagram; a short pause every `pauseEvery` datagrams (loopback drops
    /// a burst past the receiving socket's buffer).
    public static func send(_ lines: [String], to port: Int, perDatagram: Int = 1, pauseEvery: Int = 100) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        for (index, start) in stride(from: 0, to: lines.count, by: perDatagram).enumerated() {
            let datagram = Array((lines[start..<min(start + perDatagram, lines.count)].joined(separator: "\r\n") + "\r\n").utf8)
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, datagram, datagram.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if index % pauseEvery == pauseEvery - 1 { usleep(1000) }
        }
    }
}
