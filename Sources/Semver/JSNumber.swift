// MARK: - JavaScript number semantics

/// node-semver turns version parts into JavaScript numbers (`+text`) and prints sums back into
/// range text (`${+M + 1}`). This reproduces the observable results: exact values up to
/// `Number.MAX_SAFE_INTEGER`, and for larger values the digits (or exponent notation from 1e21
/// on) that JavaScript would print, which decides whether the text still parses as a version.
enum JSNumber {
    /// `Number.MAX_SAFE_INTEGER`: node-semver rejects larger major, minor and patch numbers.
    static let maxSafeInteger: UInt64 = 9_007_199_254_740_991

    /// The value of an all-digit string when it is at most `maxSafeInteger`, else nil.
    static func safeValue(_ digits: some Collection<Unicode.Scalar>) -> UInt64? {
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= 16 else { return nil }
        var value: UInt64 = 0
        for c in significant {
            guard c.isASCIIDigit else { return nil }
            value = value * 10 + UInt64(c.value - 0x30)
        }
        return value <= maxSafeInteger ? value : nil
    }

    /// `String(+digits + 1)` for an all-digit string.
    static func incremented(_ digits: String) -> String {
        if let value = safeValue(digits.unicodeScalars) { return String(value + 1) }
        return format((Double(digits) ?? .infinity) + 1)
    }

    /// JavaScript's `Number.prototype.toString()` for a non-negative integral double: plain digits
    /// below 1e21, exponent notation (`1e+21`, `1.5e+22`) from there on.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "Infinity" }
        if value < 9_007_199_254_740_992 { return String(UInt64(value)) }
        // Swift's description uses the same shortest round-trip digits as JavaScript; only the
        // layout differs, so re-lay it out.
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1].replacingPlus()) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1)
        let integerDigits = String(mantissa[0])
        var digits = integerDigits + (mantissa.count == 2 ? String(mantissa[1]) : "")
        var pointPosition = integerDigits.count + exponent
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        while digits.count > 1, digits.hasPrefix("0") { digits.removeFirst(); pointPosition -= 1 }
        if pointPosition <= 21 {
            return digits + String(repeating: "0", count: max(0, pointPosition - digits.count))
        }
        let head = String(digits.prefix(1))
        let rest = String(digits.dropFirst())
        return head + (rest.isEmpty ? "" : "." + rest) + "e+" + String(pointPosition - 1)
    }
}

private extension Substring {
    func replacingPlus() -> Substring { first == "+" ? dropFirst() : self }
}
