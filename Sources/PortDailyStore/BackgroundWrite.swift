import Foundation
import Synchronization

/// A store write on a thread of its own, started once the write before it (if any) has
/// succeeded; `wait()` returns its result or rethrows its error (the bulk import writes batches
/// this way while it reads the next ones). A write whose predecessor failed writes nothing.
final class BackgroundWrite: Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<IngestResult, any Error>?>(nil)

    init(after previous: BackgroundWrite? = nil, _ write: @escaping @Sendable () throws -> IngestResult) {
        let thread = Thread { [self] in
            let outcome = Result {
                if let previous { _ = try previous.wait() }
                return try write()
            }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        thread.start()
    }

    /// Blocks until the write has ended; may be called again (by the next write and the importer).
    func wait() throws -> IngestResult {
        finished.wait()
        finished.signal()
        return try result.withLock { $0! }.get()
    }
}
