import Foundation
import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyStore

/// The admin's page: the register with admission windows, the console's users and the API's
/// tokens (never a secret or a hash), and the store's status.
extension Console {
    struct VesselRow { let name, mmsi, type, operatorID, homeBureau, admittedFrom, admittedUntil: String }
    struct UserRow { let name, role, scope, createdAt, lastSignIn: String; let disabled: Bool; let sessions: Int }
    struct TokenRow { let id: Int64; let name, role, scope, createdAt, expiresAt, lastUsedAt, revokedAt: String }
    struct StatusView { let voyagesToday: Int; let openDays: Int; let sealedThrough, lastSealRun, outage: String }
    struct AdminPageModel { let status: StatusView; let vessels: [VesselRow]; let users: [UserRow]; let tokens: [TokenRow] }

    func admin(_ request: Request, _ context: AppRequestContext, _ scope: Scope) throws -> Response {
        let config = configuration.current
        let time = LocalTime(config.timeZone)
        let strings = context.language.strings
        let status = try store.statusSnapshot(today: config.calendar.localDate(of: clock.now))
        let sessions = try store.openSessions(timeouts: timeouts, now: clock.now)
        let page = AdminPageModel(
            status: StatusView(voyagesToday: status.voyagesToday ?? 0, openDays: status.openDays,
                               sealedThrough: status.sealedThrough?.description ?? strings.none,
                               lastSealRun: status.lastSealRun.map(time.format) ?? strings.none,
                               outage: operations.availability.currentOutage ?? strings.none),
            vessels: try store.vessels().map {
                VesselRow(name: $0.name, mmsi: $0.mmsi.rawValue, type: $0.type, operatorID: $0.operator,
                          homeBureau: config.setup.bureau($0.homeBureau)?.name ?? $0.homeBureau, admittedFrom: $0.admittedFrom.description,
                          admittedUntil: $0.admittedUntil?.description ?? "")
            },
            users: try store.users().map {
                UserRow(name: $0.name, role: $0.caller.role, scope: PageRenderer.scopeLabel($0.caller), createdAt: time.format($0.createdAt),
                        lastSignIn: time.format($0.lastSignInAt), disabled: $0.disabledAt != nil, sessions: sessions[$0.id] ?? 0)
            },
            tokens: try store.tokens().map {
                TokenRow(id: $0.id, name: $0.name ?? "", role: $0.role, scope: $0.operator ?? $0.bureau ?? "",
                         createdAt: time.format($0.createdAt), expiresAt: $0.expiresAt.map { time.format($0) } ?? strings.never,
                         lastUsedAt: time.format($0.lastUsedAt), revokedAt: time.format($0.revokedAt))
            })
        return pages.page("admin", page, section: .admin, request: request, context: context, zone: zoneName)
    }
}
