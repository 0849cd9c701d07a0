import Foundation
import Synchronization

/// A store write on a thread of its own, started once the write before it (if any) has
/// succeeded; `take()` returns its result or rethrows its error (the bulk import writes batches
/// this way while it reads the next ones). A write whose predecessor failed writes nothing.
///
/// The thread lets go of the write (and so of what it captured) before it reports the result, and
/// the result is moved out to whoever takes it: a caller that keeps its own reference to a batch
/// frees the batch and the outcomes on its own thread, not on the writing one.
final class BackgroundWrite: Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// The write's result; a success with nothing left once taken.
    private let result = Mutex<Result<IngestResult?, any Error>?>(nil)
    private let work: Mutex<(@Sendable () throws -> IngestResult)?>

    init(after previous: BackgroundWrite? = nil, _ write: @escaping @Sendable () throws -> IngestResult) {
        work = Mutex(write)
        let thread = Thread { [self] in
            let outcome = Result<IngestResult?, any Error> {
                try previous?.waitForSuccess()
                return try work.withLock { $0.take() }!()
            }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        thread.start()
    }

    /// Blocks until the write has ended and rethrows its error, if any (the next write's check).
    func waitForSuccess() throws {
        waitForEnd()
        try result.withLock { if case .failure(let error) = $0! { throw error } }
    }

    /// Blocks until the write has ended; its result, moved out (to be taken once), or its error.
    func take() throws -> IngestResult {
        waitForEnd()
        return try result.withLock { stored in
            let taken = try stored!.get()
            stored = .success(nil)
            return taken!
        }
    }

    /// May be called again (by the next write and the importer): the semaphore is signalled back.
    private func waitForEnd() {
        finished.wait()
        finished.signal()
    }
}
