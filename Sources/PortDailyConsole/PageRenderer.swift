import Foundation
import Hummingbird
import Mustache
import PortDailyCore
import PortDailyHTTP

/// Renders the console's pages: a template of ``ConsoleTemplates`` inside the layout, with the
/// strings of the page's language (`t`), the frame (`frame`) and the page's own values (`page`).
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in ConsoleTemplates.all {
            // The templates are compiled into the binary and parsed by a test: a bad one is a
            // programming error, not an input error.
            do { try library.register(text, named: name) } catch { preconditionFailure("console template \(name): \(error)") }
        }
        self.library = library
    }

    /// Which part of the console a page belongs to, for the navigation's `aria-current`.
    enum Section { case reports, figures, upload, admin, none }

    struct Frame {
        let langTag: String
        let switchHref: String
        let zone: String
        let user: FrameUser?
        let onReports, onFigures, onUpload, onAdmin: Bool
        let canUpload, isAdmin: Bool
        let notice: String?
    }

    struct FrameUser {
        let name: String
        let scopeLabel: String
        let csrf: String
    }

    func page(_ template: String, _ page: Any, section: Section, request: Request, context: AppRequestContext,
              zone: String, notice: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let language = context.language
        let principal = context.principal
        let frame = Frame(
            langTag: language.tag, switchHref: Self.switchHref(request, to: language == .zh ? .en : .zh), zone: zone,
            user: context.session.map { FrameUser(name: $0.user.name, scopeLabel: Self.scopeLabel($0.user.caller), csrf: $0.csrfToken) },
            onReports: section == .reports, onFigures: section == .figures, onUpload: section == .upload, onAdmin: section == .admin,
            canUpload: ScopePolicy.permits(principal, .submitVoyages), isAdmin: ScopePolicy.permits(principal, .administer),
            notice: notice)
        let values: [String: Any] = ["t": language.strings, "frame": frame, "page": page]
        let html = library.render(values, withTemplate: template) ?? "<!DOCTYPE html><title>PortDaily</title><p>template \(template) missing</p>"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    struct ErrorPage {
        let status: Int
        let title: String
        let detail: String
    }

    func error(status: HTTPResponse.Status, detail: String, request: Request, context: AppRequestContext, language: Language,
               zone: String) -> Response {
        var context = context
        context.language = language
        let title = status == .notFound ? language.strings.notFound : status.reasonPhrase
        return page("error", ErrorPage(status: status.code, title: title, detail: detail), section: .none, request: request,
                    context: context, zone: zone, status: status)
    }

    /// The same page in the other language: its path and query with `lang` set.
    static func switchHref(_ request: Request, to language: Language) -> String {
        var items = request.uri.queryParameters.filter { $0.key != "lang" }.map { "\($0.key)=\(ConsoleMiddleware.queryEscaped(String($0.value)))" }
        items.append("lang=\(language.rawValue)")
        return request.uri.path + "?" + items.joined(separator: "&")
    }

    static func scopeLabel(_ caller: Caller) -> String {
        switch caller {
        case .operator(let id): return "operator \(id)"
        case .bureau(let id): return "bureau \(id)"
        case .admin: return "admin"
        }
    }
}
