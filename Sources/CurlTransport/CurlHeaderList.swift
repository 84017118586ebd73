internal import CCurl

// MARK: - CurlHeaderList

/// Owns a `curl_slist` (request header lines) and frees it on deinit.
///
/// libcurl does not copy the list given to `CURLOPT_HTTPHEADER`, so the easy
/// handle that uses it keeps this object alive (see ``CurlEasy/set(_:list:)``).
final class CurlHeaderList {
    /// The head of the list; `nil` while empty.
    private(set) var raw: UnsafeMutablePointer<curl_slist>?

    init() {}

    deinit {
        curl_slist_free_all(raw)
    }

    /// Appends one `Name: value` line (libcurl copies the string).
    func append(_ line: String) throws(CurlCallError) {
        guard let head = curl_slist_append(raw, line) else {
            // On failure curl_slist_append leaves the existing list untouched.
            throw CurlCallError(function: "curl_slist_append", text: "out of memory")
        }
        raw = head
    }
}
