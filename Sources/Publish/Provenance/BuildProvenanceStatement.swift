import Crypto
public import Foundation
import Hex
public import CodedError

/// The statement `actions/attest-build-provenance@v2` signs for files (`subject-path`):
/// every file a subject named by its base name with a sha256 digest, and the SLSA v1
/// predicate @actions/attest builds from the job's ID-token claims (`buildSLSAProvenancePredicate`).
public enum BuildProvenanceStatement {
    public static let buildType = "https://actions.github.io/buildtypes/workflow/v1"

    /// One attested file.
    public struct Subject: Sendable, Equatable {
        public let name: String
        public let sha256Hex: String
    }

    /// Subjects for every regular file under `directory` (recursively, sorted by path), as the
    /// `dist/**` glob selects them; duplicates by name and digest are dropped like the action does.
    public static func subjects(under directory: URL) throws(PublishError) -> [Subject] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw PublishError(.io, "cannot list \(directory.path) for build provenance subjects")
        }
        var files: [URL] = []
        for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(file)
        }
        var subjects: [Subject] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw PublishError(.io, "cannot read \(file.path) for its build provenance digest")
            }
            let subject = Subject(name: file.lastPathComponent, sha256Hex: Hex.encode(SHA256.hash(data: data)))
            if !subjects.contains(subject) { subjects.append(subject) }
        }
        guard !subjects.isEmpty else { throw PublishError(.io, "no files under \(directory.path) to attest") }
        return subjects
    }

    /// The statement; `claims` are the string claims of the job's ID token.
    public static func make(subjects: [Subject], claims: [String: String], serverURL: String) throws(PublishError) -> OrderedJSON {
        let needed = ["workflow_ref", "repository", "event_name", "repository_id", "repository_owner_id",
                      "runner_environment", "ref", "sha", "job_workflow_ref", "run_id", "run_attempt"]
        let missing = needed.filter { claims[$0] == nil }
        guard missing.isEmpty else {
            throw PublishError(.idToken, "expected the ID token to carry \(missing.joined(separator: ", ")) for build provenance")
        }
        let claim = { (name: String) in claims[name]! }
        var relative = Substring(claim("workflow_ref"))
        if let prefix = relative.range(of: claim("repository") + "/") { relative.removeSubrange(prefix) }  // JS replace: first only
        var parts = relative.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        let path = parts.removeFirst(), ref = parts.joined(separator: "@")
        let repositoryURL = "\(serverURL)/\(claim("repository"))"
        return .object([
            ("_type", .string(ProvenanceStatement.statementType)),
            ("subject", .array(subjects.map { .object([("name", .string($0.name)), ("digest", .object([("sha256", .string($0.sha256Hex))]))]) })),
            ("predicateType", .string(ProvenanceStatement.predicateType)),
            ("predicate", .object([
                ("buildDefinition", .object([
                    ("buildType", .string(buildType)),
                    ("externalParameters", .object([("workflow", .object([
                        ("ref", .string(ref)), ("repository", .string(repositoryURL)), ("path", .string(path)),
                    ]))])),
                    ("internalParameters", .object([("github", .object([
                        ("event_name", .string(claim("event_name"))), ("repository_id", .string(claim("repository_id"))),
                        ("repository_owner_id", .string(claim("repository_owner_id"))),
                        ("runner_environment", .string(claim("runner_environment"))),
                    ]))])),
                    ("resolvedDependencies", .array([.object([
                        ("uri", .string("git+\(repositoryURL)@\(claim("ref"))")),
                        ("digest", .object([("gitCommit", .string(claim("sha")))])),
                    ])])),
                ])),
                ("runDetails", .object([
                    ("builder", .object([("id", .string("\(serverURL)/\(claim("job_workflow_ref"))"))])),
                    ("metadata", .object([("invocationId", .string(
                        "\(repositoryURL)/actions/runs/\(claim("run_id"))/attempts/\(claim("run_attempt"))"))])),
                ])),
            ])),
        ])
    }
}
