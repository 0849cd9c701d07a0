public import Foundation
public import NIOSSL
public import PortDailyConfig
import Synchronization
import X509

/// The listener's TLS context, built from the configured PEM files and replaced by ``reload(_:)``:
/// a connection takes the context in force when it is accepted, so a renewed certificate reaches
/// new connections while open ones keep theirs.
public final class ServerTLS: Sendable {
    /// What a loaded certificate says, for the journal.
    public struct Loaded: Sendable, Equatable {
        public let subject: String
        public let notValidAfter: Date
        public let mutual: Bool
    }

    private let state: Mutex<(context: NIOSSLContext, loaded: Loaded)>

    public init(_ settings: TLSSettings) throws(TLSSetupError) {
        state = Mutex(try Self.load(settings))
    }

    /// The context new connections get.
    public var context: NIOSSLContext { state.withLock { $0.context } }
    public var loaded: Loaded { state.withLock { $0.loaded } }

    /// Builds a context from the files as they are now and puts it in force; when they cannot be
    /// used, throws and keeps the one in force.
    @discardableResult
    public func reload(_ settings: TLSSettings) throws(TLSSetupError) -> Loaded {
        let fresh = try Self.load(settings)
        state.withLock { $0 = fresh }
        return fresh.loaded
    }

    /// TLS 1.2 and 1.3 only; for 1.2, forward-secret AEAD suites only (no CBC, no RSA key
    /// exchange). TLS 1.3's suites are all AEAD and BoringSSL's defaults.
    static let cipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    static func load(_ settings: TLSSettings) throws(TLSSetupError) -> (context: NIOSSLContext, loaded: Loaded) {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(settings.certificate) } catch {
            throw TLSSetupError(file: settings.certificate, problem: "cannot read a PEM certificate: \(error)")
        }
        guard let leaf = chain.first else {
            throw TLSSetupError(file: settings.certificate, problem: "holds no PEM certificate")
        }
        // Read once: BoringSSL and swift-certificates each parse the same text.
        let keyText: String
        let key: NIOSSLPrivateKey
        do {
            keyText = try String(contentsOfFile: settings.privateKey, encoding: .utf8)
            key = try NIOSSLPrivateKey(bytes: Array(keyText.utf8), format: .pem)
        } catch {
            throw TLSSetupError(file: settings.privateKey, problem: "cannot read a PEM private key: \(error)")
        }
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: leaf.toDERBytes()) } catch {
            throw TLSSetupError(file: settings.certificate, problem: "cannot be decoded: \(error)")
        }
        // A mismatched pair would otherwise fail only in each client's handshake. Key types swift-
        // certificates cannot read are left to BoringSSL.
        if let parsed = try? Certificate.PrivateKey(pemEncoded: keyText), parsed.publicKey != certificate.publicKey {
            throw TLSSetupError(file: settings.privateKey, problem: "is not the private key of the certificate in \(settings.certificate)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.cipherSuiteValues = cipherSuites
        if let clientCA = settings.clientCA {
            let roots: [NIOSSLCertificate]
            do { roots = try NIOSSLCertificate.fromPEMFile(clientCA) } catch {
                throw TLSSetupError(file: clientCA, problem: "cannot read the client CA's PEM certificates: \(error)")
            }
            guard !roots.isEmpty else { throw TLSSetupError(file: clientCA, problem: "holds no PEM certificate") }
            configuration.trustRoots = .certificates(roots)
            // Names are not checked: a client certificate names an operator's system, not a host.
            configuration.certificateVerification = settings.requireClientCertificate ? .noHostnameVerification : .optionalVerification
        }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw TLSSetupError(file: settings.certificate, problem: "cannot be used for TLS: \(error)")
        }
        return (context, Loaded(subject: certificate.subject.description, notValidAfter: Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter)),
                                mutual: settings.clientCA != nil))
    }
}

/// A TLS file that cannot be used, named with what is wrong with it.
public struct TLSSetupError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let problem: String
    public var description: String { "\(file) \(problem)" }
}
