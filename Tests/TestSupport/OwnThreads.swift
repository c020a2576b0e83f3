import Foundation
import Testing

/// A task executor on threads of its own, for tests whose verdict depends on timing.
///
/// Swift Testing runs every test of the bundle at once on the cooperative pool, which has one
/// thread per core. Most tests are synchronous — a simulation, a fuzz replay, a test waiting
/// for a `nodectl` process — and hold a pool thread for as long as they run; on a two-core
/// machine two of them starve every asynchronous test. A network test starved for seconds
/// sees its peer's handshake or idle timeout fire (on NIO's own threads, which keep time) and
/// fails with "I/O on closed channel", and Swift Testing's own bookkeeping (its actors run on
/// the pool) stalls with it. So the long synchronous suites run on ``heavy`` (``offThePool``),
/// leaving the pool to the quick tests and the test runner, and the timing-dependent suites on
/// ``shared`` (``onOwnThreads``): threads that nothing else uses.
public final class OwnThreadsExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor of the timing-dependent tests; its threads live as long as the process.
    public static let shared = OwnThreadsExecutor(threads: 4, name: "test-own-thread")
    /// The executor of the long synchronous tests (simulations, fuzz replays, tests waiting
    /// for `nodectl` processes).
    public static let heavy = OwnThreadsExecutor(threads: 3, name: "test-heavy-thread")

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    private init(threads: Int, name: String) {
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            if next > 1024, next * 2 > jobs.count {
                jobs.removeFirst(next)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs a test (or each test of a suite) on one of the ``OwnThreadsExecutor``s: its body and
/// every child task it starts. An unstructured `Task` does not inherit the preference; start
/// one with `Task(executorPreference:)`.
public struct OnExecutor: TestTrait, SuiteTrait, TestScoping {
    let executor: OwnThreadsExecutor

    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(executor) { try await function() }
    }
}

extension Trait where Self == OnExecutor {
    /// Runs the test on threads of its own, so that tests holding the cooperative pool cannot
    /// make its timeouts fire.
    public static var onOwnThreads: Self { OnExecutor(executor: .shared) }

    /// Runs a long synchronous test off the cooperative pool, on threads kept for such tests,
    /// so that it cannot starve the test runner or the asynchronous tests.
    public static var offThePool: Self { OnExecutor(executor: .heavy) }
}
