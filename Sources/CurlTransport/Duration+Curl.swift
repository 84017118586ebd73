// MARK: - Duration helpers

extension Duration {
    /// The duration as floating-point seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration in whole milliseconds, rounded up, at least 1 for any positive value
    /// (libcurl treats 0 as "no timeout").
    var curlMilliseconds: Int {
        let ms = (seconds * 1000).rounded(.up)
        guard ms.isFinite, ms > 0 else { return 0 }
        return ms >= Double(Int32.max) ? Int(Int32.max) : max(Int(ms), 1)
    }
}
