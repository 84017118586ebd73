public import FoundationEssentials
import SafeJSON
import CodedError
import DurableFile

/// A consumer's provenance policy (`verify-policy.json`): which packages must have provenance
/// and who may have built them. None of npm's tools enforce one; `verify-install` does.
///
/// Format (every key optional; an unknown key is an error, so a typo cannot weaken a policy):
///
/// ```json
/// {
///   "requireProvenance": true,
///   "issuer": "https://token.actions.githubusercontent.com",
///   "repository": "https://github.com/mochi-lang/mochi",
///   "workflow": ".github/workflows/mochi-publish-npm.yml",
///   "builder": "https://github.com/mochi-lang/mochi/.github/workflows/*@refs/tags/v*",
///   "ref": "refs/tags/v*",
///   "commit": "*",
///   "runnerEnvironment": "github-hosted",
///   "trigger": "push",
///   "packages": { "@mochi/*": { "repository": "https://github.com/mochi-lang/mochi" }, "left-pad": { "requireProvenance": false } }
/// }
/// ```
///
/// Every string value is a glob where `*` matches any run of characters (a value without `*`
/// must match exactly; in `builder`, not across an `@` the pattern writes). The fields are checked against the verified provenance certificate
/// (`ProvenanceIdentity`): `repository` the source repository URI, `workflow` the workflow path
/// in that repository, `builder` the build-signer URI, `ref`, `commit`, `runnerEnvironment`,
/// `trigger`, `issuer`, and `repositoryId` / `repositoryOwnerId`, the numeric ids GitHub gives a
/// repository and its owner (Fulcio extensions .15 and .17): a repository deleted and re-created
/// under the same name gets a new id, so pinning the id catches it. Keys of `packages` are globs over package names; the entry for a package
/// is the exact name if present, else the longest matching pattern, and its keys override the
/// top-level ones. A package whose rules pin any field must have provenance (a mirror that strips
/// `dist.attestations` must not pass), unless its rules say `"requireProvenance": false`;
/// `requireProvenance: true` requires provenance without pinning anything.
public struct ProvenancePolicy: Sendable, Equatable {
    /// One set of requirements (the top level, or one `packages` entry).
    public struct Rules: Sendable, Equatable {
        public var requireProvenance: Bool?
        public var pins: [Field: GlobPattern] = [:]

        public init(requireProvenance: Bool? = nil, pins: [Field: GlobPattern] = [:]) {
            self.requireProvenance = requireProvenance
            self.pins = pins
        }

        /// `other`'s values where it has them, else these. An entry that pins fields of its own
        /// and says nothing about provenance requires it, whatever the top level says.
        func overridden(by other: Rules) -> Rules {
            Rules(requireProvenance: other.requireProvenance ?? (other.pins.isEmpty ? requireProvenance : nil),
                  pins: pins.merging(other.pins) { _, new in new })
        }

        /// Pins make provenance required (a mirror that strips attestations would sidestep them),
        /// unless these rules explicitly say `"requireProvenance": false`.
        public var requiresProvenance: Bool { requireProvenance ?? !pins.isEmpty }
    }

    /// A pinnable provenance field, by its JSON key.
    public enum Field: String, Sendable, CaseIterable, Comparable {
        case issuer, repository, repositoryId, repositoryOwnerId, workflow, builder, ref, commit, runnerEnvironment, trigger

        public static func < (a: Field, b: Field) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

        /// Words for messages: "provenance repository is X, policy requires Y".
        var label: String {
            switch self {
            case .runnerEnvironment: "runner environment"
            case .repositoryId: "repository id"
            case .repositoryOwnerId: "repository owner id"
            default: rawValue
            }
        }

        public func value(in identity: ProvenanceIdentity) -> String? {
            switch self {
            case .issuer: identity.issuer
            case .repository: identity.repository
            case .repositoryId: identity.repositoryID
            case .repositoryOwnerId: identity.repositoryOwnerID
            case .workflow: identity.workflow
            case .builder: identity.builder
            case .ref: identity.ref
            case .commit: identity.commit
            case .runnerEnvironment: identity.runnerEnvironment
            case .trigger: identity.trigger
            }
        }
    }

    public var defaults: Rules
    /// `"requireSignatures": true` (top level only): signatures must verify under keys from trust (pinned or a TUF target).
    public var requireSignatures = false
    /// Per-package rules, by package-name glob.
    public var packages: [GlobPattern: Rules]
    /// `"ignore"` (top level only): exceptions for named packages, each with a reason (see `PolicyException`).
    public var ignore: [PolicyException] = []
    /// Where the policy came from, for messages.
    public var source: String

    public init(defaults: Rules = Rules(), packages: [GlobPattern: Rules] = [:], source: String = "policy") {
        self.defaults = defaults
        self.packages = packages
        self.source = source
    }

    /// The rules for `name`: the top level overridden by the best matching `packages` entry.
    public func rules(for name: String) -> Rules {
        let matching = packages.filter { $0.key.matches(name) }
        let best = matching.first { $0.key.text == name }
            ?? matching.max { ($0.key.text.count, $1.key.text) < ($1.key.text.count, $0.key.text) }
        return best.map { defaults.overridden(by: $0.value) } ?? defaults
    }

    /// Whether `name` must have provenance: `requireProvenance`, or pins without an explicit `false`.
    public func requiresProvenance(_ name: String) -> Bool { rules(for: name).requiresProvenance }

    // MARK: - Reading

    /// Reads a policy file; any problem is `.malformedPolicy` naming the file and the key.
    public static func load(contentsOf url: URL) throws -> ProvenancePolicy {
        let data: Data
        do { data = try DurableFile.readNamed(url.path, limit: TrustRootResolver.maxFileBytes) } catch {
            throw NpmVerifyError(.malformedPolicy, "cannot read policy file \(url.path): \(error.reason)")
        }
        return try ProvenancePolicy(json: data, source: url.path)
    }

    public init(json data: Data, source: String = "policy") throws {
        let document: JSONValue
        // A key given twice would let the strict-looking first value be overridden unseen: refused.
        do { document = try JSONValue.parseRefusingDuplicateKeys(data, maxDepth: 8) } catch {
            throw NpmVerifyError(.malformedPolicy, "\(source): not valid JSON: \(error)")
        }
        guard let object = document.objectValue else {
            throw NpmVerifyError(.malformedPolicy, "\(source): expected a JSON object at the top level")
        }
        self.source = source
        if let flag = object["requireSignatures"] {
            guard let value = flag.boolValue else {
                throw NpmVerifyError(.malformedPolicy, "\(source): requireSignatures must be true or false")
            }
            requireSignatures = value
        }
        if let entries = object["ignore"] { ignore = try PolicyException.parse(entries, source: source) }
        defaults = try Self.rules(object.filter { $0.key != "requireSignatures" && $0.key != "ignore" }, at: "", allowPackages: true, source: source)
        packages = [:]
        if let entries = object["packages"] {
            guard let map = entries.objectValue else {
                throw NpmVerifyError(.malformedPolicy, "\(source): \"packages\" must be an object of package-name patterns")
            }
            for (pattern, value) in map {
                guard !pattern.isEmpty, let rules = value.objectValue else {
                    throw NpmVerifyError(.malformedPolicy, "\(source): packages[\"\(pattern)\"] must be an object with a non-empty name pattern")
                }
                packages[GlobPattern(pattern)] = try Self.rules(rules, at: "packages[\"\(pattern)\"].", allowPackages: false, source: source)
            }
        }
    }

    static func rules(_ object: [String: JSONValue], at path: String, allowPackages: Bool, source: String) throws -> Rules {
        var rules = Rules()
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            if key == "packages" && allowPackages { continue }
            if key == "requireProvenance" {
                guard let flag = value.boolValue else {
                    throw NpmVerifyError(.malformedPolicy, "\(source): \(path)requireProvenance must be true or false")
                }
                rules.requireProvenance = flag
                continue
            }
            guard let field = Field(rawValue: key) else {
                let known = (["requireProvenance"] + Field.allCases.map(\.rawValue) + (allowPackages ? ["packages", "requireSignatures", "ignore"] : [])).joined(separator: ", ")
                throw NpmVerifyError(.malformedPolicy, "\(source): unknown key \"\(path)\(key)\" (known keys: \(known))")
            }
            guard let text = value.stringValue, !text.isEmpty else {
                throw NpmVerifyError(.malformedPolicy, "\(source): \(path)\(key) must be a non-empty string")
            }
            rules.pins[field] = GlobPattern(text)
        }
        return rules
    }
}
