import Glibc

/// Starts a detached pthread running `body` (no Foundation `Thread`: the transport links
/// FoundationEssentials only). The stack is the platform default, as `Thread`'s was.
func startDedicatedThread(_ body: @escaping @Sendable () -> Void) throws(CurlCallError) {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread: pthread_t = 0
    let code = pthread_create(&thread, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, box)
    if code != 0 {
        Unmanaged<Box>.fromOpaque(box).release()
        throw CurlCallError(function: "pthread_create", text: String(cString: strerror(code)))
    }
    pthread_detach(thread)
}

/// Blocks the calling thread for `milliseconds`.
func pauseThread(milliseconds: Int) {
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
