internal import COpenSSL

/// An OpenSSL failure with every reason string drained from the thread's error queue.
public struct OpenSSLError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let reasons: [String]

    public var description: String {
        reasons.isEmpty ? "\(operation) failed" : "\(operation) failed: \(reasons.joined(separator: "; "))"
    }

    /// Captures and clears the queue for `operation`.
    public init(_ operation: String) {
        self.operation = operation
        self.reasons = OpenSSLError.drainReasons()
    }

    init(operation: String, reasons: [String]) {
        self.operation = operation
        self.reasons = reasons
    }

    static func drain() -> String { drainReasons().joined(separator: "; ") }

    static func drainReasons() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons
    }
}
