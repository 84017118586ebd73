internal import CCurl

// MARK: - CurlGlobal

/// `curl_global_init`, run exactly once per process before any handle exists.
///
/// libcurl requires the global init before other calls and it is not itself
/// thread-safe; a Swift `static let` is initialised lazily, exactly once and
/// thread-safely, which gives us "once" without a lock of our own. The process
/// never calls `curl_global_cleanup`: handles may outlive any one client.
enum CurlGlobal {
    /// The `CURLcode` of the single `curl_global_init` call, as a raw value.
    private static let initCode: UInt32 = curl_global_init(Int(CURL_GLOBAL_ALL)).rawValue

    /// Runs the global init on first use and reports its failure every time.
    static func ensureInitialized() throws(CurlCallError) {
        let code = CURLcode(rawValue: initCode)
        guard code == CURLE_OK else { throw CurlCallError(function: "curl_global_init", code: code) }
    }
}

// MARK: - CurlCallError

/// A libcurl call that returned an error code, before it is mapped to a ``TransportError``.
struct CurlCallError: Error, CustomStringConvertible {
    /// The libcurl function (and option) that failed.
    let function: String
    /// The raw `CURLcode` or `CURLMcode`.
    let rawCode: Int
    /// libcurl's text for the code.
    let text: String

    init(function: String, code: CURLcode) {
        self.function = function
        self.rawCode = Int(code.rawValue)
        self.text = String(cString: curl_easy_strerror(code))
    }

    init(function: String, code: CURLMcode) {
        self.function = function
        self.rawCode = Int(code.rawValue)
        self.text = String(cString: curl_multi_strerror(code))
    }

    /// For failures that have no code, e.g. an allocation returning `NULL`.
    init(function: String, text: String) {
        self.function = function
        self.rawCode = -1
        self.text = text
    }

    var description: String { "\(function) failed: \(text) (\(rawCode))" }

    /// As a ``TransportError`` of kind ``TransportError/Code/other`` for `url`.
    func transportError(url: String, attempts: Int) -> TransportError {
        TransportError(code: .other, url: url, attempts: attempts, message: description,
                       curlCode: rawCode >= 0 ? rawCode : nil)
    }
}
