import FoundationEssentials
import NpmModel
import SafeJSON

/// The root package.json's `overrides`, in the form most projects use them (npm docs,
/// "overrides"): `"name": "spec"`, `"name": {".": "spec"}`, and `"$name"` for the spec the project
/// itself gives that dependency. Every dependency of that name below the project then resolves
/// with the override's spec, as arborist's override set does for a plain-name rule.
///
/// Forms this does not apply yet are refused, never ignored: a key with a version selector
/// (`"name@1.x"`) and rules nested under a package (`"name": {"child": "spec"}`). Ignoring them
/// would install a tree other than the one the project asked for, typically a version the
/// override was written to keep out.
struct Overrides {
    /// Override spec by package name.
    private(set) var specs: [String: String] = [:]

    init() {}

    init(_ project: ProjectManifest) throws {
        guard let value = project.json["overrides"], value != .null else { return }
        guard let rules = value.objectValue else {
            throw Self.refused(project, "overrides must be an object, found \(value.briefDescription)")
        }
        for key in rules.keys.sorted() {
            try add(key, rules[key]!, project)
        }
    }

    /// The spec a dependency below the project resolves with.
    func spec(for name: String, declared: String) -> String { specs[name] ?? declared }

    /// `requests` with every override applied.
    func apply(_ requests: [DependencyRequest]) -> [DependencyRequest] {
        specs.isEmpty ? requests : requests.map { DependencyRequest(name: $0.name, spec: spec(for: $0.name, declared: $0.spec), kind: $0.kind) }
    }

    private mutating func add(_ key: String, _ rule: JSONValue, _ project: ProjectManifest) throws {
        guard !key.dropFirst().contains("@") else {
            throw Self.refused(project, "the override \"\(key)\" selects versions; verify-install applies overrides keyed by a plain package name only")
        }
        guard (try? PackageName(key)) != nil else { throw Self.refused(project, "\"\(key)\" in overrides is not a package name") }
        var value: String
        switch rule {
        case .string(let text): value = text
        case .object(let nested) where nested.keys.allSatisfy({ $0.utf8.elementsEqual(".".utf8) }):
            guard let dot = nested["."] else { return }  // {} overrides nothing
            guard let text = dot.stringValue else {
                throw Self.refused(project, "the override for \"\(key)\" gives \".\" \(dot.briefDescription), not a spec")
            }
            value = text
        case .object:
            throw Self.refused(project, "the override for \"\(key)\" (\(rule.briefDescription)) nests rules under a package; verify-install applies overrides of the form \"name\": \"spec\" or \"name\": {\".\": \"spec\"} only")
        default:
            throw Self.refused(project, "the override for \"\(key)\" is \(rule.briefDescription), neither a spec nor {\".\": spec}")
        }
        // arborist reads "" as "*", and a "*" override leaves the spec as declared.
        guard !value.isEmpty, value != "*" else { return }
        let isReference = value.hasBytePrefix("$")
        if isReference {
            let reference = String(value.dropFirst())
            guard let target = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]
                .lazy.compactMap({ project.map($0)[reference] }).first else {
                throw Self.refused(project, "Unable to resolve reference \(value) (override for \"\(key)\"): the project does not depend on \(reference)")
            }
            value = target
        }
        // npm: "You may not set an override for a package that you directly depend on unless both
        // the dependency and the override itself share the exact same spec" (EOVERRIDE).
        let direct = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].compactMap { project.map($0)[key] }
        if !isReference, let spec = direct.first(where: { !$0.utf8.elementsEqual(value.utf8) }) {
            throw InstallError(.usage, "EOVERRIDE: \(project.file.path): the override for \(key)@\(value) conflicts with the direct dependency \(key)@\(spec)")
        }
        specs[key] = value
    }

    private static func refused(_ project: ProjectManifest, _ reason: String) -> InstallError {
        InstallError(.usage, "\(project.file.path): \(reason); nothing was changed")
    }
}
