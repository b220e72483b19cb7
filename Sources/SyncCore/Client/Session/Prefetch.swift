import Dispatch
import SyncModel
import SyncStore
import SyncSupport

/// Work started on a background thread whose result is collected later, on
/// the thread that started it.
final class Prefetch<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is written once, before `done` is signalled, and
    // read only after waiting on it.
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            self.value = work()
            self.done.signal()
        }
    }

    /// Blocks until the work is finished and returns its result.
    func wait() -> Value {
        done.wait()
        done.signal()  // later waits return at once
        return value!
    }
}
