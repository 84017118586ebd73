internal import COpenSSL
import Synchronization

/// OpenSSL library contexts lent to certificate parsing, one per parsing thread at a time.
///
/// OpenSSL 3.0 decodes a certificate's public key through a decoder chain that it builds anew on
/// every `d2i_X509`, under read locks of the library context's stores. Threads that share the
/// default context then queue on those locks: two threads parsing Fulcio leaves spend 220 µs of
/// CPU per certificate instead of 85 µs, and get no parallelism. A context of its own per thread
/// takes the contention away and changes nothing else: each one loads the same default provider,
/// with the same algorithms, so every parse and every check gives the same verdict.
///
/// A lent context is never freed: keys decoded in it keep referring to its provider for as long
/// as they live. The pool grows to the number of threads that parse at once, at most
/// `maximumCount`; a parse beyond that uses the default context.
enum DecoderContexts {
    static let maximumCount = 16
    /// A context handed between threads; only one thread uses it at a time.
    private struct Lent: @unchecked Sendable { let context: OpaquePointer }
    private struct State: ~Copyable {
        var idle: [Lent] = []
        var made = 0
    }
    private static let state = Mutex(State())

    /// Runs `body` with a library context no other thread uses meanwhile, or nil (the default
    /// context) when the pool is exhausted or a context cannot be made.
    static func withContext<T>(_ body: (OpaquePointer?) throws -> T) rethrows -> T {
        let lent = borrow()
        defer { if let lent { state.withLock { $0.idle.append(lent) } } }
        return try body(lent?.context)
    }

    private static func borrow() -> Lent? {
        let taken: Lent?? = state.withLock { state in
            if let idle = state.idle.popLast() { return .some(idle) }
            guard state.made < maximumCount else { return .some(nil) }
            state.made += 1
            return .none
        }
        if let taken { return taken }
        // Made outside the lock: loading a provider takes a while.
        guard let made = make() else {
            state.withLock { $0.made -= 1 }  // the slot stays free for a later attempt
            return nil
        }
        return made
    }

    private static func make() -> Lent? {
        guard let context = OSSL_LIB_CTX_new() else { return nil }
        guard OSSL_PROVIDER_load(context, "default") != nil else {
            OSSL_LIB_CTX_free(context)
            ERR_clear_error()  // the parse goes on in the default context; no stale error for it
            return nil
        }
        return Lent(context: context)
    }
}
