public import Foundation

/// A CA and certificates made for one test with the openssl command (P-256 keys), in `folder`.
public struct TestCertificates {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    public struct Pair: Sendable {
        public let certificate: String
        public let key: String

        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    private static let openssl = CommandLineTool(name: "/usr/bin/openssl")

    /// A self-signed CA.
    public func authority(_ name: String) throws -> Pair {
        let pair = paths(name)
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", pair.key,
                 "-out", pair.certificate, "-days", "30", "-subj", "/CN=\(name)"])
        return pair
    }

    /// A certificate for `subject` (openssl's `/C=…/O=…/CN=…` form) signed by `ca`; `serverName`
    /// adds it and 127.0.0.1 as subject alternative names. `days` may be 0 (expires within seconds:
    /// openssl counts from now).
    public func issue(_ name: String, subject: String, by ca: Pair, days: Int = 10, serverName: String? = nil) throws -> Pair {
        let pair = paths(name)
        let request = folder.appendingPathComponent("\(name).csr").path
        try run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", pair.key,
                 "-out", request, "-subj", subject])
        var arguments = ["x509", "-req", "-in", request, "-CA", ca.certificate, "-CAkey", ca.key, "-set_serial",
                         "0x\(UUID().uuidString.prefix(8))", "-out", pair.certificate, "-days", "\(days)"]
        if let serverName {
            let extensions = folder.appendingPathComponent("\(name).ext")
            try Data("subjectAltName=DNS:\(serverName),IP:127.0.0.1\n".utf8).write(to: extensions)
            arguments += ["-extfile", extensions.path]
        }
        try run(arguments)
        return pair
    }

    /// The subject as `tokens issue --client-subject` takes it (RFC 2253, as the docs say to print it).
    public func subject(of pair: Pair) throws -> String {
        let printed = try run(["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", pair.certificate])
        return String(printed.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("subject=".count))
    }

    /// The certificate's DER bytes, to compare with what a server presented.
    public func der(of pair: Pair) throws -> Data {
        let der = folder.appendingPathComponent("\(UUID().uuidString).der").path
        try run(["x509", "-in", pair.certificate, "-outform", "DER", "-out", der])
        return try Data(contentsOf: URL(fileURLWithPath: der))
    }

    private func paths(_ name: String) -> Pair {
        Pair(certificate: folder.appendingPathComponent("\(name).pem").path, key: folder.appendingPathComponent("\(name).key").path)
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let result = try Self.openssl.run(arguments)
        guard result.status == 0 else { throw OpenSSLFailed(description: "openssl \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.text
    }
}

public struct OpenSSLFailed: Error, CustomStringConvertible {
    public let description: String
}
