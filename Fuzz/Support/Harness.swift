import Foundation

// Shared by every fuzz target (compiled into each one).

/// The input as `Data`.
func fuzzData(_ start: UnsafeRawPointer, _ count: Int) -> Data {
    count == 0 ? Data() : Data(bytes: start, count: count)
}

/// The input as bytes.
func fuzzBytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
    count == 0 ? [] : Array(UnsafeRawBufferPointer(start: start, count: count))
}

/// The input as text (invalid UTF-8 repaired, as `String(decoding:)` does everywhere in the package).
func fuzzString(_ start: UnsafeRawPointer, _ count: Int) -> String {
    String(decoding: fuzzBytes(start, count), as: UTF8.self)
}

/// `../shared/vectors` (or `$FUZZ_VECTORS`), for targets that load fixed trust material once.
let fuzzVectors: URL = {
    if let path = ProcessInfo.processInfo.environment["FUZZ_VECTORS"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    // Fuzz/Support/Harness.swift -> repository root -> ../shared/vectors
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors")
}()
