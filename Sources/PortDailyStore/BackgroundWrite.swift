import Foundation
import Synchronization

/// A store write started at once on a thread of its own; `wait()` returns its result or rethrows
/// its error (the bulk import writes one batch this way while it reads the next).
final class BackgroundWrite: Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<IngestResult, any Error>?>(nil)

    init(_ write: @escaping @Sendable () throws -> IngestResult) {
        let thread = Thread { [self] in
            let outcome = Result { try write() }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        thread.start()
    }

    func wait() throws -> IngestResult {
        finished.wait()
        return try result.withLock { $0! }.get()
    }
}
