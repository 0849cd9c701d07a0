public import NIOCore
import NIOSSL
public import PortDailyHTTP
import X509

/// The subject of the certificate a client presented in the TLS handshake (mutual TLS), read
/// from the connection's TLS handler when a token bound to a subject asks for it.
public struct TLSClientCertificates: ClientCertificateLookup {
    public init() {}

    public func subject(of channel: any Channel) async -> String? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get(),
              let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return nil }
        return parsed.subject.description
    }
}
