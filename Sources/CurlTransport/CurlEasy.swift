internal import CCurl
internal import CCurlShims

// MARK: - CurlEasy

/// Owns one `CURL *` easy handle, its error buffer and whatever libcurl keeps
/// pointers to (header lists), and releases them in the right order on deinit.
///
/// Confined to the transfer thread. Every setter checks its `CURLcode`.
final class CurlEasy {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER` storage: libcurl writes a human-readable reason here.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Objects libcurl points into and which must outlive the handle.
    private var retained: [AnyObject] = []

    init() throws(CurlCallError) {
        guard let handle = curl_easy_init() else {
            throw CurlCallError(function: "curl_easy_init", text: "returned NULL")
        }
        raw = handle
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        // The handle goes first: it may still reference the buffer and lists.
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// The error-buffer text of the last failed transfer, or `""`.
    var errorText: String { String(cString: errorBuffer) }

    // MARK: - Options

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) throws(CurlCallError) {
        try check(ccurl_easy_setopt_long(raw, option, value), option)
    }

    /// Sets a string option; libcurl copies the string.
    func set(_ option: CURLoption, _ value: String) throws(CurlCallError) {
        try check(ccurl_easy_setopt_string(raw, option, value), option)
    }

    /// Sets a `curl_off_t` option.
    func set(_ option: CURLoption, offset value: Int64) throws(CurlCallError) {
        try check(ccurl_easy_setopt_off_t(raw, option, curl_off_t(value)), option)
    }

    /// Sets a raw pointer option (user data, buffers); the caller keeps the pointee alive.
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlCallError) {
        try check(ccurl_easy_setopt_pointer(raw, option, pointer), option)
    }

    /// Sets a `curl_slist` option and keeps the list alive as long as this handle.
    func set(_ option: CURLoption, list: CurlHeaderList) throws(CurlCallError) {
        try check(ccurl_easy_setopt_slist(raw, option, list.raw), option)
        retained.append(list)
    }

    /// Sets a write or header callback (`CURLOPT_WRITEFUNCTION`, `CURLOPT_HEADERFUNCTION`).
    func set(_ option: CURLoption, callback: curl_write_callback) throws(CurlCallError) {
        try check(ccurl_easy_setopt_write_callback(raw, option, callback), option)
    }

    // MARK: - Info

    /// Reads a `long` info field.
    func info(long info: CURLINFO) throws(CurlCallError) -> Int {
        var value = 0
        let code = ccurl_easy_getinfo_long(raw, info, &value)
        guard code == CURLE_OK else { throw CurlCallError(function: "curl_easy_getinfo(\(info.rawValue))", code: code) }
        return value
    }

    /// Reads a string info field (`nil` when libcurl has none).
    func info(string info: CURLINFO) throws(CurlCallError) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        let code = ccurl_easy_getinfo_string(raw, info, &value)
        guard code == CURLE_OK else { throw CurlCallError(function: "curl_easy_getinfo(\(info.rawValue))", code: code) }
        return value.map { String(cString: $0) }
    }

    /// Reads a `double` info field.
    func info(double info: CURLINFO) throws(CurlCallError) -> Double {
        var value = 0.0
        let code = ccurl_easy_getinfo_double(raw, info, &value)
        guard code == CURLE_OK else { throw CurlCallError(function: "curl_easy_getinfo(\(info.rawValue))", code: code) }
        return value
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(CurlCallError) {
        guard code == CURLE_OK else {
            throw CurlCallError(function: "curl_easy_setopt(\(option.rawValue))", code: code)
        }
    }
}
