import ArgumentParser
import Foundation
import PortDailyConfig
import PortDailyCore
import PortDailyStore

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "API bearer tokens: issue, list, rotate, revoke.",
        subcommands: [Issue.self, List.self, Rotate.self, Revoke.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token. The secret is printed once, alone on the last line of stdout; only its hash is stored.")

        @OptionGroup var common: CommonOptions
        @OptionGroup var role: RoleOptions
        @Option(help: "A label for listings, e.g. who holds it.") var name: String?
        @OptionGroup var lifetime: LifetimeOption
        @Option(help: ArgumentHelp(
            "Accept the token only over TLS with a client certificate of this subject (mutual TLS, http.tls.clientCA).",
            discussion: "The subject as 'openssl x509 -noout -subject -nameopt RFC2253 -in CERT' prints it after 'subject=', e.g. CN=tug-dispatch,O=Binhai Towage,C=CN."))
        var clientSubject: String?
        @Option(help: "Its own rate limit, requests a second (default: http.rateLimits.perToken); with --burst.")
        var rate: Double?
        @Option(help: "Requests it may make at once before --rate applies (default: 4 times --rate, at least 1).")
        var burst: Int?

        func validate() throws {
            if let rate, !(0.01...10_000_000).contains(rate) { throw ValidationError("--rate: expected 0.01 to 10000000 requests a second") }
            if let burst, !(1...10_000_000).contains(burst) { throw ValidationError("--burst: expected 1 to 10000000") }
            if burst != nil, rate == nil { throw ValidationError("--burst needs --rate") }
            if let clientSubject, clientSubject.isEmpty || !clientSubject.contains("=") {
                throw ValidationError("--client-subject: expected a distinguished name such as CN=tug-dispatch,O=Binhai Towage, got '\(clientSubject)'")
            }
        }

        func run() throws {
            let (configuration, store, _) = try common.open()
            let caller = try role.caller(setup: configuration.setup)
            let now = SystemClock.now
            let expiresAt = try lifetime.expiry(configuration.tokens, issuedAt: now)
            let ownRate = rate.map { TokenRate(perSecond: $0, burst: burst ?? max(1, Int(($0 * 4).rounded(.up)))) }
            let (info, secret) = try store.issueToken(for: caller, name: name, expiresAt: expiresAt, clientSubject: clientSubject,
                                                      rate: ownRate, now: now, by: CommandLineActor.current)
            let bound = clientSubject.map { ", only with the client certificate \($0)" } ?? ""
            print("token \(info.id) issued for \(caller)\(name.map { " (\($0))" } ?? ""), \(LifetimeOption.describe(expiresAt))\(bound); the secret below is shown only once:")
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets): expiry, last use, successions.")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let (_, store, _) = try common.open()
            try Console.writeJSON(try store.tokens())
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a successor of a token (same role, scope and name); the old one keeps working for the grace period, then expires. The new secret is printed once, alone on the last line of stdout.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The token id (from tokens list).") var id: Int64
        @Option(help: "How long the old token keeps working, e.g. 7d or 12h (default: tokens.rotationGrace).") var grace: String?
        @OptionGroup var lifetime: LifetimeOption

        func run() throws {
            let (configuration, store, _) = try common.open()
            let now = SystemClock.now
            var graceMilliseconds = configuration.tokens.rotationGraceMilliseconds
            if let grace {
                guard case .milliseconds(let milliseconds)? = TokenLifetime(grace) else {
                    throw ValidationError("--grace: expected a duration such as 7d, 12h or 30m, got '\(grace)'")
                }
                graceMilliseconds = milliseconds
            }
            let expiresAt = try lifetime.expiry(configuration.tokens, issuedAt: now)
            guard let (info, secret) = try store.rotateToken(id: id, graceUntil: now.adding(milliseconds: graceMilliseconds),
                                                           expiresAt: expiresAt, now: now, by: CommandLineActor.current) else {
                Console.error("no token \(id) in force (unknown, revoked or expired)")
                throw ExitCode(1)
            }
            print("token \(info.id) issued to succeed token \(id), \(LifetimeOption.describe(expiresAt)); token \(id) works until \(now.adding(milliseconds: graceMilliseconds)) at the latest. The secret below is shown only once:")
            print(secret)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working at once.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The token id (from tokens list).") var id: Int64

        func run() throws {
            let (_, store, _) = try common.open()
            guard try store.revokeToken(id: id, now: SystemClock.now, by: CommandLineActor.current) else {
                Console.error("no active token \(id)")
                throw ExitCode(1)
            }
            print("token \(id) revoked")
        }
    }
}

/// `--expires-in`: how long a token issued now lives.
struct LifetimeOption: ParsableArguments {
    @Option(name: .customLong("expires-in"),
            help: "How long the token works, e.g. 90d or 12h, or never (default: tokens.lifetime in the configuration).")
    var expiresIn: String?

    func expiry(_ settings: TokenSettings, issuedAt now: Instant) throws -> Instant? {
        guard let expiresIn else { return now.adding(milliseconds: settings.lifetimeMilliseconds) }
        guard let lifetime = TokenLifetime(expiresIn) else {
            throw ValidationError("--expires-in: expected a duration such as 90d or 12h, or never, got '\(expiresIn)'")
        }
        return lifetime.expiry(issuedAt: now)
    }

    static func describe(_ expiry: Instant?) -> String { expiry.map { "expiring \($0)" } ?? "never expiring" }
}

/// `--role` with `--operator` or `--bureau`: who a token or a console user acts as.
struct RoleOptions: ParsableArguments {
    enum Role: String, ExpressibleByArgument, CaseIterable { case `operator`, bureau, admin }

    @Option(help: "operator, bureau or admin.") var role: Role
    @Option(name: .customLong("operator"), help: "The operator id (role operator).") var operatorID: String?
    @Option(help: "The bureau id (role bureau).") var bureau: String?

    func caller(setup: PortSetup) throws -> Caller {
        switch role {
        case .operator:
            guard let operatorID, !operatorID.isEmpty, bureau == nil else {
                throw UsageError(message: "--role operator needs --operator ID (and no --bureau)")
            }
            return .operator(operatorID)
        case .bureau:
            guard let bureau, operatorID == nil else { throw UsageError(message: "--role bureau needs --bureau ID (and no --operator)") }
            guard setup.bureau(bureau) != nil else { throw UsageError(message: "--bureau: unknown bureau '\(bureau)'") }
            return .bureau(bureau)
        case .admin:
            guard operatorID == nil, bureau == nil else { throw UsageError(message: "--role admin takes no --operator or --bureau") }
            return .admin
        }
    }
}
