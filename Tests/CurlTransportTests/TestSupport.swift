import CurlTransport
import Foundation

// MARK: - FNV1aDigest

/// A tiny 64-bit FNV-1a "digest" standing in for SHA-512 (which lives in another module).
final class FNV1aDigest: StreamingDigest {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var updates = 0

    func update(_ bytes: UnsafeRawBufferPointer) {
        updates += 1
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
    }

    func finalize() -> [UInt8] { withUnsafeBytes(of: hash.bigEndian) { Array($0) } }

    /// The digest of a whole buffer at once.
    static func of<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        let digest = FNV1aDigest()
        let array = Array(bytes)
        array.withUnsafeBytes { digest.update($0) }
        return digest.finalize()
    }
}

// MARK: - Helpers

extension TransportConfiguration {
    /// Fast settings for tests: short back-off, short time-outs.
    static func test(
        attempts: Int = 3, concurrency: Int = 8, transferTimeout: Duration = .seconds(120)
    ) -> TransportConfiguration {
        TransportConfiguration(
            maxConcurrentTransfers: concurrency,
            connectTimeout: .seconds(2),
            transferTimeout: transferTimeout,
            retry: RetryPolicy(maxAttempts: attempts, initialDelay: .milliseconds(10), multiplier: 2,
                               maxDelay: .milliseconds(50)))
    }
}

/// Runs `body`, expecting it to throw a ``TransportError``; returns it (or nil if it did not throw one).
func transportError(_ body: () async throws -> Void) async -> TransportError? {
    do {
        try await body()
        return nil
    } catch let error as TransportError {
        return error
    } catch {
        return nil
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(120), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))  // polling a state, bounded by a generous timeout
    }
    return condition()
}
