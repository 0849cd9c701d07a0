import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortDailyTestSupport

/// A browser's part of the console, in process: a cookie jar over the router's test client, the
/// sign-in form filled as a person fills it, and the hidden CSRF field read from each page.
final class ConsoleClient: @unchecked Sendable {
    let client: any TestClientProtocol
    /// Cookies by name, as the last `Set-Cookie` of each left them (Max-Age=0 removes).
    var cookies: [String: String] = [:]
    var acceptLanguage: String?

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        let status: Int
        let headers: HTTPFields
        let text: String

        var location: String? { headers[.location] }
        /// The first hidden `csrf` field of the page's forms.
        var csrf: String? { Self.value(of: "csrf", in: text) }

        static func value(of name: String, in html: String) -> String? {
            guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            let rest = html[range.upperBound...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }

        func setCookies() -> [String] { headers[values: .setCookie] }
    }

    func get(_ path: String, headers extra: [String: String] = [:]) async throws -> Page {
        try await send(.get, path, body: nil, contentType: nil, headers: extra)
    }

    /// A form posted as a browser posts it (`application/x-www-form-urlencoded`).
    func post(_ path: String, form: [(String, String)]) async throws -> Page {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, path, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    /// A file upload as a browser sends it (`multipart/form-data`).
    func upload(_ path: String, csrf: String?, fileName: String, contents: String) async throws -> Page {
        let boundary = "----portdaily\(UUID().uuidString)"
        var body = ""
        if let csrf { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n" }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(contents)\r\n--\(boundary)--\r\n"
        return try await send(.post, path, body: Data(body.utf8), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: Data?, contentType: String?,
              headers extra: [String: String] = [:]) async throws -> Page {
        var fields = HTTPFields()
        if !cookies.isEmpty { fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let contentType { fields[.contentType] = contentType }
        if let acceptLanguage { fields[.acceptLanguage] = acceptLanguage }
        for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: path, method: method, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
        for cookie in response.headers[values: .setCookie] {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = pair.first else { continue }
            let value = pair.count > 1 ? pair[1] : ""
            if cookie.contains("Max-Age=0") || value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
        return Page(status: response.status.code, headers: response.headers, text: String(buffer: response.body))
    }

    /// Opens the sign-in form and signs in; the page the console redirected to.
    @discardableResult
    func signIn(_ name: String, password: String = TestApp.consolePassword, next: String? = nil) async throws -> Page {
        let form = try await get("/ui/login")
        var fields = [("csrf", form.csrf ?? ""), ("username", name), ("password", password)]
        if let next { fields.append(("next", next)) }
        return try await post("/ui/login", form: fields)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}

extension TestApp {
    /// Runs `body` with a fresh browser (cookie jar) per call of `browser()`.
    func console(_ body: @Sendable (_ browser: @Sendable () -> ConsoleClient, _ api: Client) async throws -> Void) async throws {
        let tokens = self.tokens
        try await app.test(.router) { client in
            try await body({ ConsoleClient(client) }, Client(client: client, tokens: tokens))
        }
    }
}
