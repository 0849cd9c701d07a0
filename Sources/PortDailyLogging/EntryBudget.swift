import Synchronization

/// At most `limit` journal entries of one kind in any second. Past that, entries are tallied
/// instead of written, and the next entry let through carries the tally of those left out.
///
/// A busy port submits thousands of single voyages a second. An entry for each would cost more
/// than storing the voyage, and journald, past its rate limit (10,000 entries in 30 s per service
/// by default), drops every entry of the service for the rest of the interval: the store errors
/// and sealed days with the routine ones. The metrics count every submission regardless.
public final class EntryBudget<Tally: AdditiveArithmetic & Sendable>: Sendable {
    /// The entries left out since the last one written, and their tally.
    public struct Unlogged: Sendable {
        public var entries: Int
        public var tally: Tally
    }

    public enum Admission: Sendable {
        /// Write the entry; `unlogged`, when set, is what was left out since the previous one.
        case write(unlogged: Unlogged?)
        /// Leave it out: its tally is kept for the next entry written.
        case leaveOut
    }

    private struct State {
        /// When the last `limit` entries were written, oldest at `oldest`: a ring.
        var written: [ContinuousClock.Instant] = []
        var oldest = 0
        var unlogged = Unlogged(entries: 0, tally: .zero)
    }

    public let limit: Int
    private let state = Mutex(State())

    public init(perSecond limit: Int) {
        precondition(limit > 0, "an entry budget lets at least one entry a second through")
        self.limit = limit
    }

    /// Whether the entry of `tally`, due at `now`, is written: when fewer than `limit` were
    /// written in the second before it.
    public func admit(_ tally: Tally, at now: ContinuousClock.Instant = .now) -> Admission {
        state.withLock { state in
            if state.written.count < limit {
                state.written.append(now)
            } else if now - state.written[state.oldest] >= .seconds(1) {
                state.written[state.oldest] = now
                state.oldest = (state.oldest + 1) % limit
            } else {
                state.unlogged.entries += 1
                state.unlogged.tally += tally
                return .leaveOut
            }
            defer { state.unlogged = Unlogged(entries: 0, tally: .zero) }
            return .write(unlogged: state.unlogged.entries > 0 ? state.unlogged : nil)
        }
    }
}
