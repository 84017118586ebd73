public import CodedError
import Foundation

/// The GitHub Actions job a provenance statement describes, read from the variables the
/// runner sets (the ones npm's `libnpmpublish/lib/provenance.js` reads, plus the OIDC
/// token request pair that actions/toolkit's `getIDToken` reads).
public struct GitHubActionsEnvironment: Sendable, Equatable {
    /// `GITHUB_REPOSITORY`, `owner/repo`.
    public var repository: String
    /// `GITHUB_WORKFLOW_REF`, `owner/repo/.github/workflows/file.yml@refs/tags/v1.0.0`.
    public var workflowRef: String
    /// `GITHUB_SHA`, the commit built.
    public var sha: String
    /// `GITHUB_RUN_ID`.
    public var runID: String
    /// `GITHUB_RUN_ATTEMPT`.
    public var runAttempt: String
    /// `GITHUB_EVENT_NAME`, e.g. `push`.
    public var eventName: String
    /// `GITHUB_REPOSITORY_ID` (decimal string).
    public var repositoryID: String
    /// `GITHUB_REPOSITORY_OWNER_ID` (decimal string).
    public var repositoryOwnerID: String
    /// `GITHUB_SERVER_URL`, `https://github.com`.
    public var serverURL: String
    /// `RUNNER_ENVIRONMENT`, `github-hosted` or `self-hosted`.
    public var runnerEnvironment: String
    /// `GITHUB_REF`, e.g. `refs/tags/v1.0.0`.
    public var ref: String
    /// `ACTIONS_ID_TOKEN_REQUEST_URL`, present when the job has `id-token: write`.
    public var idTokenRequestURL: String?
    /// `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, the bearer token for that URL.
    public var idTokenRequestToken: String?

    public init(repository: String, workflowRef: String, sha: String, runID: String, runAttempt: String,
                eventName: String, repositoryID: String, repositoryOwnerID: String,
                serverURL: String = "https://github.com", runnerEnvironment: String = "github-hosted", ref: String,
                idTokenRequestURL: String? = nil, idTokenRequestToken: String? = nil) {
        self.repository = repository
        self.workflowRef = workflowRef
        self.sha = sha
        self.runID = runID
        self.runAttempt = runAttempt
        self.eventName = eventName
        self.repositoryID = repositoryID
        self.repositoryOwnerID = repositoryOwnerID
        self.serverURL = serverURL
        self.runnerEnvironment = runnerEnvironment
        self.ref = ref
        self.idTokenRequestURL = idTokenRequestURL
        self.idTokenRequestToken = idTokenRequestToken
    }

    /// The variables the statement needs; every one must be set and non-empty.
    public static let requiredVariables = [
        "GITHUB_REPOSITORY", "GITHUB_WORKFLOW_REF", "GITHUB_SHA", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT",
        "GITHUB_EVENT_NAME", "GITHUB_REPOSITORY_ID", "GITHUB_REPOSITORY_OWNER_ID", "GITHUB_SERVER_URL",
        "RUNNER_ENVIRONMENT", "GITHUB_REF",
    ]

    /// Reads the job from `environment` (usually `ProcessInfo.processInfo.environment`).
    /// Fails closed, naming every missing variable, where npm would write "undefined".
    public init(environment: [String: String]) throws(PublishError) {
        let missing = Self.requiredVariables.filter { (environment[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            throw PublishError(.environment, "expected the GitHub Actions variables \(missing.joined(separator: ", ")) to be set; they are missing or empty")
        }
        func value(_ name: String) -> String { environment[name]! }
        self.init(repository: value("GITHUB_REPOSITORY"), workflowRef: value("GITHUB_WORKFLOW_REF"), sha: value("GITHUB_SHA"),
                  runID: value("GITHUB_RUN_ID"), runAttempt: value("GITHUB_RUN_ATTEMPT"), eventName: value("GITHUB_EVENT_NAME"),
                  repositoryID: value("GITHUB_REPOSITORY_ID"), repositoryOwnerID: value("GITHUB_REPOSITORY_OWNER_ID"),
                  serverURL: value("GITHUB_SERVER_URL"), runnerEnvironment: value("RUNNER_ENVIRONMENT"), ref: value("GITHUB_REF"),
                  idTokenRequestURL: environment["ACTIONS_ID_TOKEN_REQUEST_URL"].flatMap { $0.isEmpty ? nil : $0 },
                  idTokenRequestToken: environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        _ = try workflow()
    }

    /// `GITHUB_WORKFLOW_REF` split as npm splits it: the `owner/repo/` prefix removed, then
    /// `path` before the first `@` and `ref` after it.
    public func workflow() throws(PublishError) -> (path: String, ref: String) {
        var relative = Substring(workflowRef)
        if let range = relative.range(of: repository + "/") { relative.removeSubrange(range) }
        guard let at = relative.firstIndex(of: "@") else {
            throw PublishError(.environment, "expected GITHUB_WORKFLOW_REF like owner/repo/.github/workflows/file.yml@ref, found '\(workflowRef)' (no '@')")
        }
        return (String(relative[..<at]), String(relative[relative.index(after: at)...]))
    }
}
