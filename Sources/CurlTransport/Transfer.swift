internal import CCurl
import FoundationEssentials
import Glibc

// MARK: - Transfer

/// One running attempt on the transfer thread: its easy handle plus the
/// response being assembled by libcurl's callbacks.
///
/// libcurl calls back with a pointer to this object (unretained); the loop's
/// table of running transfers keeps it alive until the handle is removed.
final class Transfer {
    let job: TransferJob
    let easy: CurlEasy
    private var body = Data()
    /// Where the body goes when the request streams it to a file (-1 otherwise); closed in `deinit`.
    private var bodyFile: Int32 = -1
    private var bodyCount = 0
    /// Set when writing the body file failed.
    private var fileError: Int32 = 0
    /// Header fields of the current response, lower-cased names, in arrival order.
    private var headerFields: [(name: String, value: String)] = []
    private let digest: (any StreamingDigest)?
    /// Set when the body cap was hit and the write callback aborted the transfer.
    private var exceededLimit = false
    /// The coding a response used though its request took none, which aborted the transfer.
    private var refusedCoding: String?
    private var codingChecked = false
    /// Whether the next header line begins a response (a status line).
    private var expectingStatusLine = true

    /// Creates the easy handle and applies every option; throws if any is rejected.
    init(job: TransferJob, configuration: TransportConfiguration) throws(TransportError) {
        self.job = job
        // Only an absolute http(s) URL of printable ASCII: libcurl would guess a scheme for `host/p`
        // and read `http:/host/p` (found by a re-attack).
        guard Self.isAbsoluteWebURL(job.request.url) else {
            throw TransportError(code: .invalidURL, url: job.request.url, attempts: job.attempt,
                                 message: "\(job.request.url) is not an absolute http:// or https:// URL of printable ASCII")
        }
        do {
            easy = try CurlEasy()
        } catch {
            throw error.transportError(url: job.request.url, attempts: job.attempt)
        }
        digest = job.digestFactory?()
        if let file = job.request.bodyFile {
            bodyFile = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard bodyFile >= 0 else {
                throw TransportError(code: .other, url: job.request.url, attempts: job.attempt,
                                     message: "cannot write the response body to \(file.path): \(String(cString: strerror(errno)))")
            }
        }
        do {
            try configure(configuration)
        } catch {
            throw error.transportError(url: job.request.url, attempts: job.attempt)
        }
    }

    // MARK: - Callbacks

    /// Write callback: appends a decoded body chunk; returns false to abort the transfer.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        // A request that takes no encoding takes the bytes as sent: libcurl decodes a transfer coding
        // (gzip, br...) even unasked, so one named aborts it (found by review: 330 KB on the wire
        // became a 300 MiB tarball in the cache).
        if !job.request.acceptsEncodings, !codingChecked {
            codingChecked = true
            refusedCoding = Self.coding(in: headerFields)
        }
        if refusedCoding != nil { return false }
        guard bodyCount + chunk.count <= job.request.maxResponseBytes, job.request.budget?.take(chunk.count) ?? true else {
            exceededLimit = true
            return false
        }
        bodyCount += chunk.count
        if bodyFile >= 0 {
            guard writeAll(chunk) else { return false }
        } else {
            body.append(contentsOf: chunk)
        }
        digest?.update(chunk)
        return true
    }

    deinit { if bodyFile >= 0 { close(bodyFile) } }

    private func writeAll(_ chunk: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < chunk.count {
            let written = write(bodyFile, chunk.baseAddress! + offset, chunk.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                fileError = errno
                return false
            }
            offset += written
        }
        return true
    }

    /// Header callback: one raw header line, CRLF included.
    func receiveHeaderLine(_ raw: UnsafeRawBufferPointer) {
        let bytes = raw.bindMemory(to: UInt8.self)
        if Self.trimmed(bytes[...]).isEmpty {
            expectingStatusLine = true  // the blank line ending a header block
            return
        }
        if expectingStatusLine {
            // A new response starts (the first, or after a redirect or a 1xx): forget the previous
            // one's headers. Only a status line there does: a header line `HTTP/…: x` inside a
            // block cleared them, and hid a Transfer-Encoding libcurl went on to decode (found by review).
            expectingStatusLine = false
            if bytes.starts(with: "HTTP/".utf8) { headerFields.removeAll(keepingCapacity: true); return }
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = Self.trimmed(bytes[..<colon])
        guard !name.isEmpty else { return }
        headerFields.append((String(decoding: name, as: UTF8.self).lowercased(),
                             String(decoding: Self.trimmed(bytes[(colon + 1)...]), as: UTF8.self)))
    }

    /// A content or transfer coding other than `identity` (and `chunked`) that `fields` name, or nil.
    static func coding(in fields: [(name: String, value: String)]) -> String? {
        for (name, value) in fields where name == "content-encoding" || name == "transfer-encoding" {
            let codings = value.lowercased().split(separator: ",").map { String($0.filter { $0 != " " && $0 != "\t" }) }
            if let other = codings.first(where: { !$0.isEmpty && $0 != "identity" && $0 != "chunked" }) { return "\(name): \(other)" }
        }
        return nil
    }

    /// Strips ASCII spaces, tabs and line ends (header lines arrive with their CRLF).
    private static func trimmed(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = slice.startIndex, end = slice.endIndex
        while start < end, isSpace(slice[start]) { start += 1 }
        while end > start, isSpace(slice[end - 1]) { end -= 1 }
        return slice[start..<end]
    }

    // MARK: - Completion

    /// Builds the attempt's outcome from libcurl's result code.
    func outcome(for code: CURLcode) -> AttemptResult {
        let request = job.request
        if exceededLimit {
            return .failure(TransportError(
                code: .bodyTooLarge, url: request.url, attempts: job.attempt,
                message: request.budget?.isSpent == true
                    ? "the response bodies of this run exceed their budget of \(request.budget?.allowance ?? 0) bytes; transfer aborted"
                    : "response body exceeds \(request.maxResponseBytes) bytes; transfer aborted",
                curlCode: Int(code.rawValue)))
        }
        if let refusedCoding {
            return .failure(TransportError(
                code: .other, url: request.url, attempts: job.attempt,
                message: "the response came encoded (\(refusedCoding)) though the request took no encoding: its bytes would not be the ones sent; transfer aborted",
                curlCode: Int(code.rawValue)))
        }
        if fileError != 0 {
            return .failure(TransportError(
                code: .other, url: request.url, attempts: job.attempt,
                message: "cannot write the response body to \(request.bodyFile?.path ?? "?"): \(String(cString: strerror(fileError)))",
                curlCode: Int(code.rawValue)))
        }
        guard code == CURLE_OK else {
            let text = easy.errorText
            return .failure(TransportError(
                code: TransportError.Code(curlCode: code), url: request.url, attempts: job.attempt,
                message: text.isEmpty ? String(cString: curl_easy_strerror(code)) : text,
                curlCode: Int(code.rawValue)))
        }
        do {
            let status = try easy.info(long: CURLINFO_RESPONSE_CODE)
            let effectiveURL = try easy.info(string: CURLINFO_EFFECTIVE_URL) ?? request.url
            var headers: [String: String] = [:]
            for (name, value) in headerFields {
                headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            }
            return .success(CompletedTransfer(
                url: effectiveURL, status: status, headers: headers, body: body, digest: digest?.finalize()))
        } catch {
            return .failure(error.transportError(url: request.url, attempts: job.attempt))
        }
    }
}

// MARK: - CURLcode mapping

extension TransportError.Code {
    /// The kind of failure a libcurl result code stands for.
    init(curlCode: CURLcode) {
        switch curlCode {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
             CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            self = .connectionFailed
        case CURLE_OPERATION_TIMEDOUT:
            self = .timedOut
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            self = .invalidURL
        case CURLE_TOO_MANY_REDIRECTS:
            self = .tooManyRedirects
        case CURLE_FILESIZE_EXCEEDED:
            self = .bodyTooLarge
        default:
            self = .other
        }
    }
}
