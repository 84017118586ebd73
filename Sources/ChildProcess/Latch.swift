#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value set once, awaited by tasks (without blocking a thread) or by threads (blocking).
///
/// A pthread mutex and condition variable, so that no Dispatch is involved; continuations
/// are resumed after the lock is released.
final class Latch<Value: Sendable>: @unchecked Sendable {  // all state behind `mutex`
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var value: Value?
    private var waiters: [CheckedContinuation<Value, Never>] = []

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` under the lock with the value so far (nil while unset).
    func withLock<R>(_ body: (Value?) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(value)
    }

    /// Sets the value computed by `make` under the lock (once; later calls do nothing).
    func set(_ make: () -> Value) {
        pthread_mutex_lock(mutex)
        guard value == nil else {
            pthread_mutex_unlock(mutex)
            return
        }
        let newValue = make()
        value = newValue
        let resumed = waiters
        waiters = []
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        for waiter in resumed { waiter.resume(returning: newValue) }
    }

    /// The value, once set; suspends the task until then.
    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            pthread_mutex_lock(mutex)
            if let value {
                pthread_mutex_unlock(mutex)
                continuation.resume(returning: value)
            } else {
                waiters.append(continuation)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// The value, once set; blocks the calling thread until then (never call it on the cooperative pool).
    func blockingWait() -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while value == nil { pthread_cond_wait(condition, mutex) }
        return value!
    }
}

/// Starts a detached pthread running `body` (no Foundation `Thread`, no Dispatch).
public func startThread(_ body: @escaping @Sendable () -> Void) throws(ChildProcessError) {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    pthread_attr_setstacksize(&attributes, 512 * 1024)
    #if canImport(Darwin)
    var thread: pthread_t?
    #else
    var thread = pthread_t()
    #endif
    let code = pthread_create(&thread, &attributes, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, box)
    if code != 0 {
        Unmanaged<Box>.fromOpaque(box).release()
        throw ChildProcessError(operation: "pthread_create", code: code)
    }
}
