public import FoundationEssentials
public import SafeJSON
import DurableFile

/// Reads any supported lockfile: by file name, then by content (`yarn.lock` is classic or Berry).
public struct LockfileReader: Sendable {
    public let limits: LockfileLimits

    public init(limits: LockfileLimits = LockfileLimits()) {
        self.limits = limits
    }

    /// The lockfile in `folder` (npm-shrinkwrap.json before package-lock.json, as npm reads them);
    /// nil when there is none. Lockfiles of two package managers are refused: each manager
    /// installs from its own, so verifying one would pass whatever the other pins (found by review).
    public static func find(in folder: URL) throws -> URL? {
        let present = (LockfileFormat.fileNames.map(\.0) + ["bun.lockb"]).filter {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
        let managers = Set(present.map { $0.hasByteSuffix(".json") ? "npm" : $0.hasBytePrefix("bun.") ? "bun" : $0 })
        guard managers.count <= 1 else {
            throw LockfileError("\(folder.path) holds the lockfiles of more than one package manager (\(present.joined(separator: ", "))): each installs from its own, so verifying one says nothing of the others; name the one your installs use (verify-lockfile FILE), verify each, or remove the others")
        }
        return present.first.map { folder.appendingPathComponent($0) }
    }

    public func read(contentsOf url: URL) throws -> ParsedLockfile {
        // npm reads npm-shrinkwrap.json whenever it is there, and ignores package-lock.json.
        let shrinkwrap = url.deletingLastPathComponent().appendingPathComponent("npm-shrinkwrap.json")
        if url.lastPathComponent == "package-lock.json", FileManager.default.fileExists(atPath: shrinkwrap.path) {
            throw LockfileError("\(url.path): npm installs from \(shrinkwrap.path) beside it and ignores this file; verify that one")
        }
        // Bounded, and never from a FIFO or a device, which would hang the run.
        let data: Data
        do { data = try DurableFile.readNamed(url.path, limit: limits.maxBytes) } catch {
            throw LockfileError("cannot read \(url.path): \(error.reason)")
        }
        let project = try projectJSON(beside: url)
        let parsed = try read(data, fileName: url.lastPathComponent, project: project) { folder in
            Self.workspaceManifestFile(folder, beside: url).flatMap { try? projectJSON(at: $0) }
        }
        let specs = try (project.map { try DeclaredSpecs.items(in: $0, who: "package.json", line: 0) + DeclaredSpecs.overrideItems(in: $0["overrides"]) } ?? [])
            + ProjectHooks.items(beside: url, format: parsed.format, limits: limits)
            + workspaceSpecs(parsed, beside: url)
        return specs.isEmpty ? parsed : ParsedLockfile(format: parsed.format, formatVersion: parsed.formatVersion, packages: specs + parsed.packages)
    }

    /// The package.json beside the lockfile, when there is one: every package manager resolves
    /// its specs, so a git, file or URL spec there is an entry the gate cannot verify.
    func projectJSON(beside lockfile: URL) throws -> JSONValue? {
        try projectJSON(at: lockfile.deletingLastPathComponent().appendingPathComponent("package.json"))
    }

    /// A package.json, bounded; nil when there is none.
    func projectJSON(at file: URL) throws -> JSONValue? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int ?? 0
        guard size <= 16 << 20, let data = FileManager.default.contents(atPath: file.path),
              let json = try? JSONValue.parse(data, maxDepth: limits.maxDepth, maxValues: limits.maxNodes), json.objectValue != nil else {
            throw LockfileError("\(file.path) cannot be read as a package.json (at most 16 MiB of JSON); its dependency specs decide what is installed")
        }
        return json
    }

    /// The non-registry specs of each npm workspace's own package.json: npm builds a workspace's
    /// edges from that file, not from the lockfile (found by a re-attack: a `file:` spec there was
    /// installed while verify-lockfile said ok). A folder outside the project is not read.
    func workspaceSpecs(_ parsed: ParsedLockfile, beside lockfile: URL) throws -> [LockedPackage] {
        guard parsed.format == .npm else { return [] }
        let folders = parsed.packages.filter { package in
            if case .notVerifiable(let why) = package.kind {
                return why.hasBytePrefix("workspace package (") && package.key.utf8.firstRange(of: "node_modules".utf8) == nil
            }
            return false
        }.map(\.key)
        return try folders.flatMap { folder -> [LockedPackage] in
            guard let file = Self.workspaceManifestFile(folder, beside: lockfile) else {
                return [LockedPackage(key: folder, name: folder, version: "", kind: .notVerifiable("workspace folder \(folder) is outside the project: its package.json is not read"))]
            }
            guard let json = try projectJSON(at: file) else { return [] }
            return try DeclaredSpecs.items(in: json, who: "\(folder)/package.json", line: 0)
        }
    }

    /// The package.json of the workspace folder `folder` (a lockfile key), or nil for a folder
    /// outside the project. Bytes: a combining mark after `/` made `../\u{301}x` one
    /// Character-wise part, not `..`.
    static func workspaceManifestFile(_ folder: String, beside lockfile: URL) -> URL? {
        let parts = folder.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard !folder.hasBytePrefix("/"), !folder.utf8.contains(UInt8(ascii: "\\")),
              parts.allSatisfy({ !$0.isEmpty && !$0.elementsEqual(".".utf8) && !$0.elementsEqual("..".utf8) }) else { return nil }
        return lockfile.deletingLastPathComponent().appendingPathComponent(folder).appendingPathComponent("package.json")
    }

    /// Parses `data` as the lockfile `fileName` names; `project` is the package.json beside it and
    /// `workspaceManifest` reads a workspace folder's (npm builds their edges from those files).
    public func read(_ data: Data, fileName: String, project: JSONValue? = nil,
                     workspaceManifest: @escaping (String) -> JSONValue? = { _ in nil }) throws -> ParsedLockfile {
        guard data.count <= limits.maxBytes else { throw LockfileError("\(fileName) is larger than \(limits.maxBytes) bytes") }
        guard let raw = String(data: data, encoding: .utf8) else { throw LockfileError("\(fileName) is not UTF-8") }
        // "\r\n" is one Character in Swift: normalise Windows line ends so lines split (line numbers are kept).
        let text = raw.contains("\r\n") ? Self.unixLineEnds(raw) : raw
        switch fileName {
        case "package-lock.json", "npm-shrinkwrap.json": return try NpmLockParser(limits: limits, project: project, workspaceManifest: workspaceManifest).parse(data, text: text)
        case "pnpm-lock.yaml": return try PnpmLockParser(limits: limits, project: project).parse(text)
        case "bun.lock": return try BunLockParser(limits: limits, project: project, workspaceManifest: workspaceManifest).parse(text)
        case "yarn.lock":
            let berry = text.split(separator: "\n").contains { $0.hasBytePrefix("__metadata:") }
            if berry, Self.hasLegacyHeader(text) {
                throw LockfileError("yarn.lock has a __metadata section under a `# yarn lockfile v1` header: Berry reads such a file with its Yarn 1 grammar, not as YAML; refused, not guessed")
            }
            return berry ? try YarnBerryParser(limits: limits, project: project).parse(text) : try YarnClassicParser(limits: limits, project: project).parse(text)
        case "bun.lockb": throw LockfileError("bun.lockb is Bun's binary lockfile; run `bun install --save-text-lockfile` to write bun.lock")
        default:
            throw LockfileError("\(fileName): not a lockfile verify-lockfile reads (package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, bun.lock)")
        }
    }

    /// Berry's `LEGACY_REGEXP`: leading comment lines, one of them `#` then `yarn lockfile v1`
    /// (any case, any whitespace between the words).
    static func hasLegacyHeader(_ text: String) -> Bool {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasBytePrefix("#") else { return false }
            let words = line.dropFirst().split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
            if words == ["yarn", "lockfile", "v1"], line.dropFirst().first?.isWhitespace == true { return true }
        }
        return false
    }

    /// `raw` with every CR LF pair as LF (a lone CR is kept).
    static func unixLineEnds(_ raw: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var pendingCR = false
        for byte in raw.utf8 {
            if pendingCR && byte != 0x0A { bytes.append(0x0D) }
            pendingCR = byte == 0x0D
            if !pendingCR { bytes.append(byte) }
        }
        if pendingCR { bytes.append(0x0D) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
