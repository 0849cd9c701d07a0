import CSystemd
import Glibc

/// A listening socket passed by the service manager (`portdaily.socket`).
public struct InheritedSocket: Sendable, Equatable {
    public let descriptor: CInt
    /// From `FileDescriptorName=` (`LISTEN_FDNAMES`); systemd's default is the socket unit's name.
    public let name: String
}

/// Socket activation through `sd_listen_fds_with_names`.
public enum SocketActivation {
    /// The sockets passed to this process (first at descriptor 3); empty when not socket-activated.
    /// Unsets `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES`, so children do not inherit them.
    public static func inheritedSockets() -> [InheritedSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(1, &names)
        guard count > 0 else { return [] }
        defer {
            if let names {
                for index in 0..<Int(count) { free(names[index]) }
                free(names)
            }
        }
        return (0..<Int(count)).map { index in
            let name = names?[index].map { String(cString: $0) } ?? "unknown"
            return InheritedSocket(descriptor: SD_LISTEN_FDS_START + CInt(index), name: name)
        }
    }

    /// The socket to serve on: the one named `preferredName`, else the only one; nil if none.
    public static func select(_ sockets: [InheritedSocket], preferredName: String?) -> InheritedSocket? {
        if let preferredName, let named = sockets.first(where: { $0.name == preferredName }) { return named }
        return sockets.first
    }
}
