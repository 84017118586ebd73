internal import CCurl
internal import CCurlShims

// MARK: - CurlMulti

/// Owns the `CURLM *` multi handle: the set of running transfers and, for the
/// client's whole life, libcurl's connection cache (which is what makes
/// keep-alive connections get reused across requests).
///
/// Confined to the transfer thread, except through ``waker``.
final class CurlMulti {
    /// The `CURLM *`.
    private let raw: UnsafeMutableRawPointer

    init() throws(CurlCallError) {
        guard let handle = curl_multi_init() else {
            throw CurlCallError(function: "curl_multi_init", text: "returned NULL")
        }
        raw = handle
    }

    deinit {
        // Every easy handle has been removed by then (the loop's shutdown does it),
        // so the only possible failure is a bad handle: a bug, not a runtime condition.
        let code = curl_multi_cleanup(raw)
        assert(code == CURLM_OK, "curl_multi_cleanup failed: \(code.rawValue)")
    }

    /// A handle for `curl_multi_wakeup` from other threads.
    var waker: MultiWaker { MultiWaker(raw: raw) }

    /// Sets a `long` multi option.
    func set(_ option: CURLMoption, _ value: Int) throws(CurlCallError) {
        try check(ccurl_multi_setopt_long(raw, option, value), "curl_multi_setopt(\(option.rawValue))")
    }

    /// Starts driving `easy`.
    func add(_ easy: CurlEasy) throws(CurlCallError) {
        try check(curl_multi_add_handle(raw, easy.raw), "curl_multi_add_handle")
    }

    /// Stops driving `easy` (finished or aborted); its connection returns to the cache if reusable.
    func remove(_ easy: CurlEasy) throws(CurlCallError) {
        try check(curl_multi_remove_handle(raw, easy.raw), "curl_multi_remove_handle")
    }

    /// Does whatever I/O is ready without blocking; returns the number of running transfers.
    @discardableResult
    func perform() throws(CurlCallError) -> Int {
        var running: Int32 = 0
        try check(curl_multi_perform(raw, &running), "curl_multi_perform")
        return Int(running)
    }

    /// Blocks until I/O is ready, libcurl's next timer is due, ``MultiWaker/wake()``
    /// is called, or `timeoutMilliseconds` passes.
    func poll(timeoutMilliseconds: Int32) throws(CurlCallError) {
        try check(curl_multi_poll(raw, nil, 0, timeoutMilliseconds, nil), "curl_multi_poll")
    }

    /// The next finished transfer: its easy handle and result, or `nil`.
    func nextCompleted() -> (easy: UnsafeMutableRawPointer, result: CURLcode)? {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(raw, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            return (easy, message.pointee.data.result)
        }
        return nil
    }

    private func check(_ code: CURLMcode, _ function: String) throws(CurlCallError) {
        guard code == CURLM_OK else { throw CurlCallError(function: function, code: code) }
    }
}

// MARK: - MultiWaker

/// Interrupts a blocking ``CurlMulti/poll(timeoutMilliseconds:)`` from any thread.
///
/// `@unchecked Sendable` because it carries the raw `CURLM *`. That is sound
/// because (1) `curl_multi_wakeup` is documented as callable from any thread,
/// it is the only thing done with the pointer; and (2) the only copy lives
/// inside ``LoopShared``'s mutex, is only used while holding it, and the
/// transfer thread removes it under that mutex before the multi handle is
/// cleaned up, so no wake can reach a freed handle.
struct MultiWaker: @unchecked Sendable {
    fileprivate let raw: UnsafeMutableRawPointer

    /// Makes the current or next poll return at once.
    func wake() {
        // CURLM_OK or CURLM_WAKEUP_FAILURE; a failed wake-up only delays work
        // until the poll's own time-out, so it is not an error for the caller.
        _ = curl_multi_wakeup(raw)
    }
}
