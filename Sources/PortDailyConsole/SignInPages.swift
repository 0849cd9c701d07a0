import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyLogging
import PortDailyStore

/// Signing in and out. The sign-in form carries a token that must equal a cookie set with the
/// form (so another site cannot sign a browser in as someone else); sessions are started with a
/// new id made by the store, never one the client sent.
extension Console {
    static let signInCookie = "pd_signin"

    struct SignInPage {
        let csrf: String
        let next: String
        let username: String
        let failure: String?
    }

    struct SignInForm: Decodable {
        let username: String?
        let password: String?
        let csrf: String?
        let next: String?
    }

    func signInForm(_ request: Request, _ context: AppRequestContext) throws -> Response {
        if context.session != nil { return ConsoleResponse.redirect(to: Self.safeNext(request.uri.queryParameters.get("next"))) }
        let strings = context.language.strings
        let notice = request.uri.queryParameters.get("out") != nil ? strings.signedOut
            : request.uri.queryParameters.get("next") != nil ? strings.sessionEnded : nil
        return signInPage(request, context, username: "", failure: nil, notice: notice, status: .ok)
    }

    func signInPage(_ request: Request, _ context: AppRequestContext, username: String, failure: String?, notice: String?,
                    status: HTTPResponse.Status) -> Response {
        let token = PortDailyStore.randomSecret()
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        var response = pages.page("signIn", SignInPage(csrf: token, next: next, username: username, failure: failure), section: .none,
                                  request: request, context: context, zone: zoneName, notice: notice, status: status)
        response.headers.append(HTTPField(name: .setCookie, value: cookie(Self.signInCookie, token, maxAge: 3600)))
        return response
    }

    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Self.form(SignInForm.self, request)
        guard let expected = request.cookies[Self.signInCookie]?.value, Self.sameToken(form.csrf, expected) else {
            throw Problem(.forbidden, detail: "the sign-in form has expired or was not sent from this site: open it again")
        }
        let name = String((form.username ?? "").trimmingCharacters(in: .whitespaces).prefix(UserNamePolicy.maximumCharacters))
        let password = form.password ?? ""
        let strings = context.language.strings
        let limits = SignInLimiter.Limits(perUser: settings.failedSignInsPerUser, perAddress: settings.failedSignInsPerAddress,
                                          windowMilliseconds: settings.signInWindowMilliseconds)
        let now = clock.now.millisecondsSinceEpoch
        let fields: Logger.Metadata = [LogField.userName: .string(Self.loggable(name)),
                                       LogField.clientAddress: .string(context.clientAddress ?? "unix")]
        if let refused = limiter.refusal(user: name, address: context.clientAddress, limits: limits, now: now) {
            if refused.firstOfEpisode {
                context.logger.event(.signInLimited, level: .warning, "console sign-ins refused for a while", metadata: fields)
            }
            var response = signInPage(request, context, username: name, failure: strings.signInLimited, notice: nil,
                                      status: .tooManyRequests)
            response.headers[.retryAfter] = String(refused.retryAfter)
            return response
        }
        let store = self.store
        let user = try await NIOThreadPool.singleton.runIfActive {
            // bcrypt takes a quarter of a second on purpose: off the request threads.
            try store.verifyPassword(name: name, password: password)
        }
        guard let user, !name.isEmpty else {
            limiter.failed(user: name, address: context.clientAddress, limits: limits, now: now)
            context.logger.event(.signInFailed, level: .notice, "console sign-in failed", metadata: fields)
            return signInPage(request, context, username: name, failure: strings.signInFailed, notice: nil, status: .unauthorized)
        }
        limiter.succeeded(user: name, limits: limits)
        if let old = request.cookies[ConsoleMiddleware.sessionCookie]?.value { try store.endSession(id: old) }
        let (id, _) = try store.startSession(for: user, now: clock.now)
        // Sessions past their time are deleted here, at each sign-in (the table stays small).
        _ = try? store.pruneSessions(timeouts: timeouts, now: clock.now)
        context.logger.info("console sign-in", metadata: fields)
        var response = ConsoleResponse.redirect(to: Self.safeNext(form.next))
        response.headers.append(HTTPField(name: .setCookie, value: cookie(ConsoleMiddleware.sessionCookie, id, maxAge: nil)))
        response.headers.append(HTTPField(name: .setCookie, value: cookie(Self.signInCookie, "", maxAge: 0)))
        return response
    }

    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        struct SignOutForm: Decodable { let csrf: String? }
        try checkCSRF(try await Self.form(SignOutForm.self, request).csrf, context)
        if let id = request.cookies[ConsoleMiddleware.sessionCookie]?.value { try store.endSession(id: id) }
        var response = ConsoleResponse.redirect(to: "/ui/login?out=1")
        response.headers.append(HTTPField(name: .setCookie, value: cookie(ConsoleMiddleware.sessionCookie, "", maxAge: 0)))
        return response
    }

    /// A console cookie: HttpOnly, SameSite=Strict, Path=/, Secure when configured (HTTPS).
    func cookie(_ name: String, _ value: String, maxAge: Int?) -> String {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: settings.secureCookies, httpOnly: true,
               sameSite: .strict).description
    }

    /// 403 unless `token` is the session's CSRF token: every form that changes something sends it.
    func checkCSRF(_ token: String?, _ context: AppRequestContext) throws {
        guard let session = context.session, Self.sameToken(token, session.csrfToken) else {
            throw Problem(.forbidden, detail: "the form's security token is missing or belongs to another session: reload the page")
        }
    }

    /// Compares in time independent of where the two differ.
    static func sameToken(_ given: String?, _ expected: String) -> Bool {
        guard let given, !expected.isEmpty else { return false }
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Where to go after sign-in: a console path of this site only (no `//host`, no scheme).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/ui/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 }), !next.hasPrefix("/ui/login") else { return "/ui/reports" }
        return next
    }

    /// A user name as the journal shows it: printable, at most 64 characters.
    static func loggable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter { $0.properties.generalCategory != .control }).prefix(64))
    }

    /// An `application/x-www-form-urlencoded` body (at most 64 KiB), or 400/415.
    static func form<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw Problem(.unsupportedMediaType, detail: "a form is sent as application/x-www-form-urlencoded")
        }
        let body = try await request.collectBody(upTo: APILimits.smallBodyBytes)
        do { return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body)) } catch {
            throw Problem(.badRequest, detail: "the form could not be read")
        }
    }
}
