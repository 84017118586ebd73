public import Foundation
public import SafeJSON

/// One GitHub Actions job as the fixture world plays it: everything GitHub puts
/// into the job's OIDC ID token (PROTOCOLS §1.6) and what Fulcio copies into a
/// signing certificate (§5.2).
///
/// A value type so that recorded flows can pin it byte for byte; every id is a
/// decimal string, as GitHub sends them.
public struct GitHubActionsJob: Sendable, Hashable, Codable {
    /// `OWNER/NAME`.
    public var repository: String
    public var repositoryID: String
    public var repositoryOwnerID: String
    /// `public`, `private` or `internal`.
    public var repositoryVisibility: String
    /// Path of the workflow file inside the repository, e.g. `.github/workflows/publish.yml`.
    public var workflowPath: String
    /// The workflow's `name:` (claim `workflow`).
    public var workflowName: String
    /// Full ref, e.g. `refs/tags/v1.0.0` or `refs/heads/main`.
    public var ref: String
    /// 40-hex commit the job runs at (claims `sha`, `workflow_sha`, `job_workflow_sha`).
    public var sha: String
    public var runID: String
    public var runNumber: String
    public var runAttempt: String
    public var eventName: String
    /// `github-hosted` or `self-hosted`.
    public var runnerEnvironment: String
    /// The deployment environment, if the job declares one (changes `sub`).
    public var environment: String?
    public var actor: String
    public var actorID: String

    public init(repository: String, repositoryID: String = "1296269", repositoryOwnerID: String = "1342004",
                repositoryVisibility: String = "public", workflowPath: String = ".github/workflows/mochi-publish-npm.yml",
                workflowName: String = "Publish", ref: String = "refs/tags/v1.0.0",
                sha: String = "0123456789abcdef0123456789abcdef01234567", runID: String = "4242424242", runNumber: String = "7",
                runAttempt: String = "1", eventName: String = "push", runnerEnvironment: String = "github-hosted",
                environment: String? = nil, actor: String = "octocat", actorID: String = "583231") {
        self.repository = repository
        self.repositoryID = repositoryID
        self.repositoryOwnerID = repositoryOwnerID
        self.repositoryVisibility = repositoryVisibility
        self.workflowPath = workflowPath
        self.workflowName = workflowName
        self.ref = ref
        self.sha = sha
        self.runID = runID
        self.runNumber = runNumber
        self.runAttempt = runAttempt
        self.eventName = eventName
        self.runnerEnvironment = runnerEnvironment
        self.environment = environment
        self.actor = actor
        self.actorID = actorID
    }

    // MARK: - Derived values

    /// `OWNER` of `OWNER/NAME`.
    public var repositoryOwner: String { String(repository.prefix { $0 != "/" }) }

    /// `branch` or `tag`, from the ref.
    public var refType: String { ref.hasPrefix("refs/tags/") ? "tag" : "branch" }

    /// `OWNER/NAME/.github/workflows/FILE@REF` (claims `workflow_ref` and `job_workflow_ref`; not a reusable workflow).
    public var workflowRef: String { "\(repository)/\(workflowPath)@\(ref)" }

    /// GitHub's default subject: `repo:OWNER/NAME:environment:ENV` or `repo:OWNER/NAME:ref:REF`.
    public var subject: String {
        if let environment { return "repo:\(repository):environment:\(Self.escapeColon(environment))" }
        if eventName == "pull_request" { return "repo:\(repository):pull_request" }
        return "repo:\(repository):ref:\(Self.escapeColon(ref))"
    }

    /// The SAN Fulcio puts in the leaf: `https://github.com/` + `job_workflow_ref`.
    public var buildSignerURI: String { "https://github.com/\(workflowRef)" }

    /// `https://github.com/OWNER/NAME/actions/runs/ID/attempts/N` (Fulcio extension .21).
    public var runInvocationURI: String { "https://github.com/\(repository)/actions/runs/\(runID)/attempts/\(runAttempt)" }

    /// GitHub's custom claims (all strings), without the standard JWT claims.
    public var customClaims: [String: String] {
        var claims: [String: String] = [
            "actor": actor, "actor_id": actorID, "base_ref": "", "head_ref": "", "event_name": eventName,
            "job_workflow_ref": workflowRef, "job_workflow_sha": sha, "ref": ref, "ref_type": refType,
            "repository": repository, "repository_id": repositoryID, "repository_owner": repositoryOwner,
            "repository_owner_id": repositoryOwnerID, "repository_visibility": repositoryVisibility,
            "run_id": runID, "run_number": runNumber, "run_attempt": runAttempt,
            "runner_environment": runnerEnvironment, "sha": sha, "workflow": workflowName,
            "workflow_ref": workflowRef, "workflow_sha": sha,
        ]
        if let environment { claims["environment"] = environment }
        return claims
    }

    /// The full claim set of an ID token issued at `issuedAt` for `audience` (`exp` five minutes later, like GitHub).
    public func claims(issuer: String, audience: String, issuedAt: Date, jti: String, lifetime: TimeInterval = 300) -> [String: JSONValue] {
        let iat = issuedAt.timeIntervalSince1970.rounded(.down)
        var claims = customClaims.mapValues(JSONValue.string)
        claims["iss"] = .string(issuer)
        claims["aud"] = .string(audience)
        claims["sub"] = .string(subject)
        claims["jti"] = .string(jti)
        claims["iat"] = .number(iat)
        claims["nbf"] = .number(iat)
        claims["exp"] = .number(iat + lifetime.rounded(.down))
        return claims
    }

    /// The GitHub Actions environment a job step sees (PROTOCOLS §1.8), without the token request variables.
    public var environmentVariables: [String: String] {
        [
            "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": repository,
            "GITHUB_REPOSITORY_ID": repositoryID, "GITHUB_REPOSITORY_OWNER": repositoryOwner,
            "GITHUB_REPOSITORY_OWNER_ID": repositoryOwnerID, "GITHUB_WORKFLOW": workflowName,
            "GITHUB_WORKFLOW_REF": workflowRef, "GITHUB_WORKFLOW_SHA": sha, "GITHUB_REF": ref, "GITHUB_REF_TYPE": refType,
            "GITHUB_REF_NAME": ref.split(separator: "/", maxSplits: 2).last.map(String.init) ?? ref,
            "GITHUB_SHA": sha, "GITHUB_EVENT_NAME": eventName, "GITHUB_RUN_ID": runID, "GITHUB_RUN_NUMBER": runNumber,
            "GITHUB_RUN_ATTEMPT": runAttempt, "GITHUB_ACTOR": actor, "GITHUB_ACTOR_ID": actorID,
            "RUNNER_ENVIRONMENT": runnerEnvironment,
        ]
    }

    /// GitHub writes a `:` inside a subject value as `%3A`.
    static func escapeColon(_ value: String) -> String { value.replacingOccurrences(of: ":", with: "%3A") }
}
