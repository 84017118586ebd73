internal import CCurl
import FoundationEssentials

// MARK: - Easy-handle options

extension Transfer {
    /// Applies the request and the client configuration to the easy handle.
    func configure(_ configuration: TransportConfiguration) throws(CurlCallError) {
        let request = job.request
        try easy.set(CURLOPT_URL, request.url)
        // Only web protocols, also when following redirects (no file://, no ftp://), and never
        // from https down to http.
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, Self.redirectProtocols(for: request.url))
        // Required with threads: no SIGALRM-based DNS time-outs.
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_FOLLOWLOCATION, request.followsRedirects ? 1 : 0)
        // A caller's choice replaces libcurl's reading of the environment entirely: "" turns the
        // proxy off, and no `no_proxy` list of libcurl's own undoes a proxy chosen (found by review).
        if let proxy = request.proxy {
            try easy.set(CURLOPT_PROXY, proxy)
            try easy.set(CURLOPT_NOPROXY, "")
        }
        try easy.set(CURLOPT_MAXREDIRS, Self.redirectLimit(configuration.maxRedirects))
        // "" = every encoding this libcurl can decode; the callbacks see decoded bytes. A request
        // that takes none sends no Accept-Encoding (and refuses an encoded response: `Transfer`).
        if request.acceptsEncodings { try easy.set(CURLOPT_ACCEPT_ENCODING, "") }
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent)
        try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        // libcurl reads 0 as "no time-out": a limit that has run out must still end the transfer.
        try easy.set(CURLOPT_TIMEOUT_MS, job.timeout.map { max($0.curlMilliseconds, 1) } ?? 0)
        if let lowSpeed = configuration.lowSpeedTimeout {
            try easy.set(CURLOPT_LOW_SPEED_LIMIT, max(lowSpeed.bytesPerSecond, 1))
            try easy.set(CURLOPT_LOW_SPEED_TIME, max(Int(lowSpeed.window.seconds.rounded(.up)), 1))
        }
        try configureMethodAndBody(request)
        try configureHeaders(request)
        try configureCallbacks()
    }

    /// Most redirects ever followed, whatever the configuration asks (libcurl's -1 would be unlimited).
    static let maxRedirectsCap = 20

    static func redirectLimit(_ configured: Int) -> Int { min(max(configured, 0), maxRedirectsCap) }

    /// `CURLOPT_REDIR_PROTOCOLS_STR`: `https` only when the request is https (no downgrade), else `http,https`.
    static func redirectProtocols(for url: String) -> String {
        // `CharacterSet.whitespaces` (U+0009, the space separators, U+200B), as Foundation trimmed.
        let isSpace = { (c: Unicode.Scalar) in
            [0x09, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000].contains(c.value) || (0x2000...0x200B).contains(c.value)
        }
        let scalars = url.unicodeScalars.drop(while: isSpace)
        // Bytes, not Characters: `https:\u{301}//…` is not an https URL to a Character-wise test.
        return String(scalars).lowercased().utf8.starts(with: "https:".utf8) ? "https" : "http,https"
    }

    private func configureMethodAndBody(_ request: HTTPRequest) throws(CurlCallError) {
        let method = request.method.uppercased()
        if method == "HEAD" {
            try easy.set(CURLOPT_NOBODY, 1)
            return
        }
        if request.body == nil && method != "POST" {
            try easy.set(CURLOPT_HTTPGET, 1)
            if method != "GET" { try easy.set(CURLOPT_CUSTOMREQUEST, request.method) }
            return
        }
        // A body: sent as "post fields" which libcurl copies, so the Data need not outlive this call.
        let body = request.body ?? Data()
        try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
        if body.isEmpty {
            try easy.set(CURLOPT_COPYPOSTFIELDS, "")
        } else {
            var failure: CurlCallError?
            body.withUnsafeBytes { bytes in
                do throws(CurlCallError) {
                    try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                } catch { failure = error }
            }
            if let failure { throw failure }
        }
        if method != "POST" { try easy.set(CURLOPT_CUSTOMREQUEST, request.method) }
    }

    private func configureHeaders(_ request: HTTPRequest) throws(CurlCallError) {
        let list = CurlHeaderList()
        var sawExpect = false
        for (name, value) in request.headers {
            sawExpect = sawExpect || name.lowercased() == "expect"
            // "Name:" with nothing after it tells libcurl to drop that header.
            try list.append(value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip before large bodies.
        if !sawExpect { try list.append("Expect:") }
        try easy.set(CURLOPT_HTTPHEADER, list: list)
    }

    private func configureCallbacks() throws(CurlCallError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_WRITEDATA, pointer: context)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: { data, size, count, context in
            let length = size * count
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            // Returning anything but `length` makes libcurl abort with CURLE_WRITE_ERROR.
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        })
        try easy.set(CURLOPT_HEADERDATA, pointer: context)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: { data, size, count, context in
            let length = size * count
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
            return length
        })
    }
}

extension Transfer {
    /// `http://` or `https://` (any case), printable ASCII throughout and no backslash (which WHATWG
    /// URL readers, npm's among them, take for a delimiter and libcurl does not).
    static func isAbsoluteWebURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        return (lower.hasPrefix("http://") || lower.hasPrefix("https://"))
            && url.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }
    }
}
