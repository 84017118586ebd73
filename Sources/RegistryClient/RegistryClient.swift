public import CurlTransport
public import FoundationEssentials
import Glibc
public import Integrity
public import NpmModel
public import OpenSSLCrypto
import SafeJSON

extension Digest: StreamingDigest {}

/// Fetches packuments and tarballs from npm-compatible registries.
///
/// Packuments are requested in the abbreviated form with npm's `Accept` and fetched
/// once per run (concurrent requests for one name share a single transfer).
/// Tarballs are hashed with their expected algorithm while they stream in.
public final class RegistryClient: Sendable {
    public let configuration: RegistryConfiguration
    private let transport: any HTTPTransport
    private let packuments = SingleFlightCache<String, Packument>()
    private let fullPackuments = SingleFlightCache<String, Packument>()
    /// Largest packument accepted (npm's biggest real packuments are tens of MB).
    public static let maxPackumentBytes = 128 * 1024 * 1024
    /// Largest tarball accepted.
    public static let maxTarballBytes = 512 * 1024 * 1024
    /// Most packument bytes one run downloads in total, or holds parsed where that is more (a real
    /// 3000-package tree needs a few hundred MB): a registry that names endless large documents
    /// cannot exhaust memory.
    public static let maxPackumentBytesPerRun = 1024 * 1024 * 1024
    /// Packument bytes this run may download, charged as they arrive, and what they hold parsed.
    private let packumentBudget: ResponseBudget
    /// Packument bytes parsed at once: parsing takes several times a document's size.
    private let parseGate = ParseGate(capacity: RegistryClient.maxPackumentBytesParsedAtOnce)
    /// See ``parseGate``; a larger document is parsed alone.
    public static let maxPackumentBytesParsedAtOnce = 64 * 1024 * 1024

    /// Most tarball bytes one run downloads in total, as much as it may unpack (found by review:
    /// a registry that names many tarballs of the largest size fills the disk through the staging
    /// files and the cache, at the speed it sends).
    public static let maxTarballBytesPerRun = 16 << 30
    /// Tarball bytes this run may download, charged as they arrive.
    private let tarballBudget: ResponseBudget

    /// A client of the registries `configuration` names; `packumentBudget` and `tarballBudget`
    /// cap the packument and tarball bytes of the whole run.
    public init(configuration: RegistryConfiguration, transport: any HTTPTransport,
                packumentBudget: Int = RegistryClient.maxPackumentBytesPerRun, tarballBudget: Int = RegistryClient.maxTarballBytesPerRun) {
        self.configuration = configuration
        self.transport = transport
        self.packumentBudget = ResponseBudget(packumentBudget)
        self.tarballBudget = ResponseBudget(tarballBudget)
    }

    // MARK: - Packuments

    /// The abbreviated packument of `name`, fetched once per run. npm's `Accept` also lists
    /// `application/json`, so a registry without the abbreviated form answers with the full one.
    public func packument(_ name: PackageName) async throws -> Packument {
        try await packuments.value(for: name.value) { [self] in try await fetchPackument(name, accept: Packument.abbreviatedAccept) }
    }

    /// The full packument (with `time`), fetched once per run; needed for publish times.
    public func fullPackument(_ name: PackageName) async throws -> Packument {
        try await fullPackuments.value(for: name.value) { [self] in try await fetchPackument(name, accept: Packument.fullAccept) }
    }

    private func fetchPackument(_ name: PackageName, accept: String) async throws -> Packument {
        let url = configuration.packumentURL(for: name)
        let response = try await get(url, accept: accept, package: name.value, maxBytes: Self.maxPackumentBytes, budget: packumentBudget)
        if !response.chargedToBudget { try spend(response.body.count, on: name.value, url: url) }
        guard response.isSuccess else { throw statusError(response, package: name.value, what: "packument") }
        do {
            let packument = try await parseGate.withWeight(response.body.count) { try Packument(data: response.body, requestedName: name.value) }
            // What the parsed document holds for the run, beyond its bytes: dependency maps dominate.
            try spend(max(0, Self.retainedBytes(packument) - response.body.count), on: name.value, url: url)
            return packument
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError(.malformed, package: name.value, url: url, "registry returned an unusable packument for \(name) from \(url): \(error)")
        }
    }

    /// About what `packument` keeps in memory: 1 KiB a version and 128 bytes a kept entry of any
    /// list or map (measured: a 108 MB document of 2,921 versions and 2,000 dependencies each kept
    /// 380 MB; a minimal version entry kept about 20 times its 50 bytes; found by review: 64 bytes
    /// an entry let four packuments of 36,000 versions × 100 dependencies hold 2.2 GB under a
    /// 1 GiB budget). Every list counts (found by review: 370 empty `os` strings a version held
    /// 7.6 GB under a 1 GiB budget).
    static func retainedBytes(_ packument: Packument) -> Int {
        let documentLevel = 1024 * packument.skippedVersions.count + 64 * (packument.time.count + packument.distTags.count)
        return packument.versions.values.reduce(documentLevel) { total, manifest in
            let lists = [manifest.dependencies.count, manifest.optionalDependencies.count, manifest.peerDependencies.count,
                         manifest.devDependencies.count, manifest.engines.count, manifest.bin.count, manifest.optionalPeers.count,
                         manifest.nonStringEngines.count, manifest.bundledDependencies.count, manifest.dist.signatures.count,
                         manifest.os?.count ?? 0, manifest.cpu?.count ?? 0, manifest.libc?.count ?? 0]
            return total + 1024 + 128 * lists.reduce(0, +)
        }
    }

    /// Charges `bytes` to the run's packument budget, failing once it is spent.
    func spend(_ bytes: Int, on package: String, url: String) throws(RegistryError) {
        guard packumentBudget.take(bytes) else { throw budgetExceeded(package, url: url, packumentBudget) }
    }

    private func budgetExceeded(_ package: String, url: String, _ budget: ResponseBudget) -> RegistryError {
        let spent = budget === tarballBudget ? "the tarballs of this run exceed \(budget.allowance) bytes in total"
            : "the packuments of this run exceed \(budget.allowance) bytes in total (their bytes, or what they hold parsed where that is more)"
        return RegistryError(.budgetExceeded, package: package, url: url, "\(package): \(spent) at \(url); refusing to download more")
    }

    // MARK: - Tarballs

    /// Downloads a tarball and verifies it against `integrity` before returning it. The SHA-512
    /// of the body (the package's identity) is computed while it streams in; with `file`, the body
    /// streams into that file and never sits in memory whole.
    public func tarball(url: String, integrity: SubresourceIntegrity, subject: String, into file: URL? = nil) async throws -> VerifiedBytes {
        let response = try await get(url, accept: "*/*", package: subject, maxBytes: Self.maxTarballBytes, bodyFile: file,
                                     budget: tarballBudget, encoded: false) { Digest(.sha512) }
        if !response.chargedToBudget, !tarballBudget.take(response.body.count) { throw budgetExceeded(subject, url: url, tarballBudget) }
        guard response.isSuccess else { throw statusError(response, package: subject, what: "tarball") }
        if let file {
            return try VerifiedBytes.verify(file: file, against: integrity, sha512: response.bodyDigest, subject: subject, source: url)
        }
        return try VerifiedBytes.verify(response.body, against: integrity, sha512: response.bodyDigest,
                                        subject: subject, source: url)
    }

    // MARK: - HTTP

    /// Redirects a registry request follows.
    static let maxRedirects = 5

    /// GET `url`, following redirects here. `encoded: false` takes the body as sent, never decoded
    /// into more bytes (a tarball is compressed already).
    func get(_ url: String, accept: String, package: String, maxBytes: Int, bodyFile: URL? = nil, command: String = "install",
             budget: ResponseBudget? = nil, encoded: Bool = true,
             digest: (@Sendable () -> any StreamingDigest)? = nil) async throws -> HTTPResponse {
        var current = url
        let started = ContinuousClock.now
        let origin = Self.origin(of: url)
        var sameHostSoFar = true
        for hop in 0...Self.maxRedirects {
            var headers: [(name: String, value: String)] = [("Accept", accept), ("npm-command", command)]
            // A redirect to another host carries no credential, nor does any hop after it, as npm's
            // fetch drops Authorization then for good (found by review: a registry could make us ask
            // another registry, with that registry's token, for what it answers in its own name).
            // The first hop is `url` itself: its origin is the one just computed.
            sameHostSoFar = sameHostSoFar && origin != nil && (hop == 0 || Self.origin(of: current) == origin)
            let credential = sameHostSoFar ? configuration.credential(for: current) : nil
            switch credential {
            case .bearer(let token)?: headers.append(("Authorization", "Bearer \(token)"))
            case .basic(let credentials)?: headers.append(("Authorization", "Basic \(credentials)"))
            case .clientCertificate?:
                throw RegistryError(.network, package: package, url: current, "\(package): the configuration gives \(current) a TLS client certificate (certfile and keyfile), which verify-install does not send; npm would, and the registry may answer it otherwise")
            case nil: break
            }
            var request = HTTPRequest(url: current, headers: headers, maxResponseBytes: maxBytes)
            request.bodyFile = bodyFile
            request.budget = budget
            // One time-out for the request, its redirects included.
            request.startedAt = started
            request.acceptsEncodings = encoded
            // Redirects are followed here, choosing the credential and the proxy again for each
            // address, as npm does (found by review: libcurl kept a path-scoped token on a redirect
            // to another path of the same host, and the first address's proxy for every hop).
            request.followsRedirects = false
            request.proxy = configuration.proxies.proxy(for: current) ?? ""
            let response: HTTPResponse
            do {
                response = try await transport.send(request, digest: digest)
            } catch let error as TransportError {
                if let budget, budget.isSpent, error.code == .bodyTooLarge { throw budgetExceeded(package, url: current, budget) }
                throw RegistryError(.network, package: package, url: current, "could not fetch \(package) from \(current): \(error)")
            }
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("location") else {
                return response
            }
            guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL.absoluteString,
                  Self.redirectAllowed(from: current, to: next) else {
                throw RegistryError(.network, package: package, url: current, "could not fetch \(package) from \(current): it redirects to \(location), which is not an http(s) address this request may follow (never from https to http)")
            }
            current = next
        }
        throw RegistryError(.network, package: package, url: url, "could not fetch \(package) from \(url): more than \(Self.maxRedirects) redirects")
    }

    /// Scheme, host and port (the scheme's default when none is written), lower-cased: another
    /// port is another registry, with its own token (found by review: a redirect to the same host's
    /// other port got that port's token).
    static func origin(of url: String) -> String? {
        guard let host = URLHost.of(url)?.lowercased(), let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else { return nil }
        return "\(scheme)://\(host):\(parts.port ?? (scheme == "https" ? 443 : 80))"
    }

    /// libcurl's rule for the redirects it follows: http or https only, never from https to http.
    static func redirectAllowed(from: String, to: String) -> Bool {
        let next = to.lowercased()
        guard next.hasBytePrefix("https://") || next.hasBytePrefix("http://") else { return false }
        return !from.lowercased().hasBytePrefix("https://") || next.hasBytePrefix("https://")
    }

    func statusError(_ response: HTTPResponse, package: String, what: String) -> RegistryError {
        let detail = Self.errorDetail(response.bodyFile.flatMap(Self.head) ?? response.body)
        if response.status == 404 {
            return RegistryError(.notFound, package: package, url: response.url,
                                 "\(package): \(what) not found (404) at \(response.url)\(detail)")
        }
        return RegistryError(.httpStatus, package: package, url: response.url,
                             "\(package): \(what) request to \(response.url) failed with HTTP \(response.status) after \(response.attempts) attempt(s)\(detail)")
    }

    /// The first 64 KiB of a body that streamed to a file (enough for an error document).
    static func head(_ file: URL) -> Data? {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 64 * 1024)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { if count < 0 { return nil }; break }
            filled += count
        }
        return Data(bytes[..<filled])
    }

    /// npm registries put a human reason in `{"error": ...}`.
    static func errorDetail(_ body: Data) -> String {
        guard body.count < 64 * 1024, let json = try? JSONValue.parse(body, maxDepth: 8),
              let reason = json["error"]?.stringValue ?? json["message"]?.stringValue else { return "" }
        return " - \(reason)"
    }
}
