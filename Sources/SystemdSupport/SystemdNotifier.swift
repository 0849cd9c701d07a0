import CSystemd

/// Tells the service manager about the daemon's state through `sd_notify`. Outside systemd
/// (no `NOTIFY_SOCKET`) every call is a no-op, so the daemon never asks "am I under systemd?".
public struct SystemdNotifier: Sendable {
    public init() {}

    /// Sends newline-separated assignments such as `READY=1`; returns whether a manager received them.
    @discardableResult
    public func notify(_ assignments: [String]) -> Bool {
        sd_notify(0, assignments.joined(separator: "\n")) > 0
    }

    /// The store is open and the socket bound: the service is up.
    public func ready(status: String) { self.status(status, ready: true) }
    /// A new status line; `ready` says READY=1 again (after a reload).
    public func status(_ text: String, ready: Bool = false) {
        notify((ready ? ["READY=1"] : []) + ["STATUS=\(Self.clean(text))"])
    }
    public func reloading() { notify(["RELOADING=1", "STATUS=Reloading configuration"]) }
    public func stopping() { notify(["STOPPING=1", "STATUS=Stopping"]) }
    public func watchdog() { notify(["WATCHDOG=1"]) }

    /// The watchdog interval systemd expects pings within (`WatchdogSec=`), or nil when not enabled.
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }

    private static func clean(_ text: String) -> String {
        String(text.map { $0 == "\n" ? " " : $0 })
    }
}
