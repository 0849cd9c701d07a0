import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PortDailyCore
import PortDailyHTTP
import PortDailyLogging
import PortDailyStore

/// In front of every `/ui/` route: finds the session of the request's cookie (and so the
/// principal the scope policy judges), picks the language, and turns every error into a page:
/// a refusal without a session into a redirect to the sign-in page, anything else into an HTML
/// page with the problem's status and detail. Every answer gets the security headers.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let console: Console

    static let sessionCookie = "pd_session"
    static let languageCookie = "pd_lang"

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        var setCookies: [String] = []
        let language: Language
        if let asked = request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:)) {
            language = asked
            setCookies.append(Cookie(name: Self.languageCookie, value: asked.rawValue, maxAge: 365 * 86_400, path: "/",
                                     secure: console.settings.secureCookies, httpOnly: true, sameSite: .strict).description)
        } else {
            language = Language.chosen(cookie: request.cookies[Self.languageCookie]?.value,
                                       acceptLanguage: request.headers[.acceptLanguage])
        }
        var response: Response
        do {
            try console.operations.availability.admitWrite(request, logger: context.logger)
            if let id = request.cookies[Self.sessionCookie]?.value,
               let session = try console.store.session(id: id, timeouts: console.timeouts, now: console.clock.now) {
                context.session = session
                context.principal = .caller(session.user.caller)
                context.attribute(to: ActorLabel.user(session.user.name))
            }
            context.language = language
            response = try await next(request, context)
        } catch let refused as ConsoleRefusal {
            switch refused.refusal {
            case .unauthenticated:
                let next = request.method == .get ? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") : "/ui/reports"
                response = ConsoleResponse.redirect(to: "/ui/login?next=" + Self.queryEscaped(next))
            case .forbidden:
                response = console.pages.error(status: .forbidden, detail: language.strings.forbidden, request: request,
                                               context: context, language: language,
                                               zone: console.zoneName)
            }
        } catch {
            let problem = ProblemMiddleware<AppRequestContext>.problem(for: error, availability: console.operations.availability,
                                                                       logger: context.logger)
            let status = (problem as? any HTTPResponseError)?.status ?? .internalServerError
            let detail = (problem as? Problem)?.detail ?? status.reasonPhrase
            response = console.pages.error(status: status, detail: detail, request: request, context: context, language: language,
                                               zone: console.zoneName)
            if let retryAfter = (problem as? Problem)?.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        }
        SecurityHeaders.add(to: &response.headers)
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        for cookie in setCookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    static func queryEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/ui/reports"
    }
}

extension AppRequestContext {
    /// The page's language, chosen by ``ConsoleMiddleware``.
    var language: Language {
        get { Language(rawValue: consoleLanguage ?? "") ?? .zh }
        set { consoleLanguage = newValue.rawValue }
    }
}
