import CodedError
public import SafeJSON

/// One version of a package as the registry describes it (a packument's `versions[v]`).
///
/// Only install-relevant fields are kept: a packument of thousands of versions is held for the run,
/// and keeping each version's whole document took 8 times its size in memory (found by review).
public struct Manifest: Sendable, Hashable {
    public let name: String
    public let version: String
    public let dependencies: [String: String]
    public let optionalDependencies: [String: String]
    public let peerDependencies: [String: String]
    /// Names whose peer dependency is marked `optional` in `peerDependenciesMeta`.
    public let optionalPeers: Set<String>
    public let devDependencies: [String: String]
    public let bin: [String: String]
    /// `directories.bin`: a folder whose every file npm, and Bun, link as a bin when `bin` is absent.
    public let binDirectory: String?
    public let dist: Dist
    public let deprecated: String?
    /// Whether npm counts the version deprecated: `deprecated` is truthy in JavaScript (`true`
    /// counts, as does any non-empty message).
    public let isDeprecated: Bool
    /// `hasInstallScript`, or a `preinstall`, `install` or `postinstall` among its `scripts`: npm
    /// runs the metadata's scripts, not the tarball's (found by review: a command only the
    /// unsigned packument held ran under npm while our report listed no install script).
    public let hasInstallScript: Bool
    public let license: String?
    public let engines: [String: String]
    /// Engines whose value is truthy but not a string (`{"node": 20}`): npm-pick-manifest's
    /// `semver.satisfies` fails on them, so the version counts as refusing that engine.
    public let nonStringEngines: Set<String>
    /// The dependencies the tarball carries in its own `node_modules` (`bundleDependencies` and
    /// its alias `bundledDependencies`; `true` means every dependency): npm installs those bytes
    /// from this package's tarball, not from the registry.
    public let bundledDependencies: Set<String>
    /// `_hasShrinkwrap`: the tarball carries an npm-shrinkwrap.json, which npm installs its subtree from.
    public let hasShrinkwrap: Bool
    /// `os`, `cpu` and `libc` as npm-install-checks reads them (a string is a list of one).
    public let os: [String]?, cpu: [String]?, libc: [String]?

    /// Decodes a manifest, tolerating unknown fields and ill-typed optional ones.
    public init(json: JSONValue, context: String) throws {
        guard case .object = json else {
            throw NpmModelError(.malformedDocument, "\(context): version entry is not a JSON object")
        }
        guard let name = json["name"]?.stringValue, let version = json["version"]?.stringValue else {
            throw NpmModelError(.malformedDocument, "\(context): version entry lacks a string name or version")
        }
        self.name = name
        self.version = version
        dependencies = json["dependencies"]?.stringMap ?? [:]
        optionalDependencies = json["optionalDependencies"]?.stringMap ?? [:]
        peerDependencies = json["peerDependencies"]?.stringMap ?? [:]
        devDependencies = json["devDependencies"]?.stringMap ?? [:]
        optionalPeers = Manifest.optionalPeers(json["peerDependenciesMeta"])
        bin = Manifest.normalisedBin(json["bin"], packageName: name)
        binDirectory = json["directories"]?["bin"]?.stringValue
        dist = try Dist(json: json["dist"] ?? .null, context: "\(context) \(name)@\(version)")
        deprecated = json["deprecated"]?.stringValue
        isDeprecated = JSONValue.isTruthy(json["deprecated"])
        let scripts = json["scripts"]
        hasInstallScript = json["hasInstallScript"]?.boolValue == true
            || ["preinstall", "install", "postinstall"].contains { JSONValue.isTruthy(scripts?[$0]) }
        license = json["license"]?.stringValue
        engines = json["engines"]?.stringMap ?? [:]
        let declared = json["engines"]?.objectValue ?? [:]
        nonStringEngines = Set(declared.keys.filter { declared[$0]?.stringValue == nil && JSONValue.isTruthy(declared[$0]) })
        bundledDependencies = Manifest.bundled(json, dependencies: dependencies)
        hasShrinkwrap = json["_hasShrinkwrap"]?.boolValue == true
        (os, cpu, libc) = (Lockfile.Entry.platformList(json["os"]), Lockfile.Entry.platformList(json["cpu"]), Lockfile.Entry.platformList(json["libc"]))
    }

    /// `bin` as npm normalises it: a string means one bin named after the package.
    static func normalisedBin(_ value: JSONValue?, packageName: String) -> [String: String] {
        if let path = value?.stringValue {
            let base = packageName.split(separator: "/").last.map(String.init) ?? packageName
            return [base: path]
        }
        return value?.stringMap ?? [:]
    }

    /// The peers a `peerDependenciesMeta` object marks optional, tested for JavaScript truthiness
    /// as arborist tests `meta.optional` (package.json, lockfile entry and manifest alike).
    public static func optionalPeers(_ meta: JSONValue?) -> Set<String> {
        Set((meta?.objectValue ?? [:]).filter { JSONValue.isTruthy($0.value["optional"]) }.keys)
    }

    /// Package-relative paths of bins, as the unpacker wants them (no leading `./`).
    public var binPaths: Set<String> {
        Set(bin.values.map { path in
            var p = path
            while p.hasBytePrefix("./") { p = p.droppingBytePrefix("./") }
            return p
        })
    }
}

/// A version's `dist`: where the tarball is and how to check it.
public struct Dist: Sendable, Hashable {
    public let tarball: String
    public let integrity: String?
    public let shasum: String?
    public let signatures: [RegistrySignature]
    public let attestationsURL: String?
    public let provenancePredicateType: String?
    public let fileCount: Int?
    public let unpackedSize: Int?

    public init(json: JSONValue, context: String) throws {
        guard let tarball = json["tarball"]?.stringValue, !tarball.isEmpty else {
            throw NpmModelError(.malformedDocument, "\(context): dist.tarball is missing")
        }
        self.tarball = tarball
        integrity = json["integrity"]?.stringValue
        shasum = json["shasum"]?.stringValue
        signatures = (json["signatures"]?.arrayValue ?? []).compactMap { entry in
            guard let keyid = entry["keyid"]?.stringValue, let sig = entry["sig"]?.stringValue else { return nil }
            return RegistrySignature(keyid: keyid, sig: sig)
        }
        attestationsURL = json["attestations"]?["url"]?.stringValue
        provenancePredicateType = json["attestations"]?["provenance"]?["predicateType"]?.stringValue
        fileCount = try Dist.count(json, "fileCount", context: context)
        unpackedSize = try Dist.count(json, "unpackedSize", context: context)
    }

    /// An optional non-negative integer field; anything else (`-1`, `1.5`, `1e300`, `"7"`) is an error.
    static func count(_ json: JSONValue, _ field: String, context: String) throws -> Int? {
        guard let value = json[field], value != .null else { return nil }
        guard let count = value.integer(in: 0...Int.max) else {
            throw NpmModelError(.malformedDocument, "\(context): dist.\(field): expected a non-negative integer, found \(value.briefDescription)")
        }
        return count
    }
}

/// One entry of `dist.signatures`: the registry's ECDSA signature over `name@version:integrity`.
public struct RegistrySignature: Sendable, Hashable, Codable {
    public let keyid: String
    public let sig: String

    public init(keyid: String, sig: String) {
        self.keyid = keyid
        self.sig = sig
    }
}

extension Manifest {
    /// What a manifest bundles, as @npmcli/package-json normalises either spelling: `true` means
    /// every dependency, an array its names, an object its keys (found by review: an object's
    /// bundled package ran a postinstall npm counted and we did not). Both spellings are read,
    /// so the set is never smaller than npm's.
    public static func bundled(_ json: JSONValue, dependencies: [String: String]) -> Set<String> {
        var bundled = Set<String>()
        for key in ["bundleDependencies", "bundledDependencies"] {
            switch json[key] {
            case .bool(true)?: bundled.formUnion(dependencies.keys)
            case .array(let names)?: bundled.formUnion(names.compactMap(\.stringValue))
            case .object(let map)?: bundled.formUnion(map.keys)
            default: break
            }
        }
        return bundled
    }
}
