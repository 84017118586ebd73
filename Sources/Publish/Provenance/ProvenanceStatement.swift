/// The in-toto statement with a SLSA v1 provenance predicate that npm signs when publishing
/// from GitHub Actions with `--provenance` (libnpmpublish `generateProvenance`), built with
/// the same keys in the same order so that the serialised payload matches npm's bytes.
public enum ProvenanceStatement {
    public static let payloadType = "application/vnd.in-toto+json"
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let predicateType = "https://slsa.dev/provenance/v1"
    public static let buildType = "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1"
    public static let builderIDPrefix = "https://github.com/actions/runner"

    /// npm-package-arg's `toPurl` for the default registry: `pkg:npm/%40scope/name@1.0.0`.
    public static func purl(name: String, version: String) -> String {
        let escaped = name.hasPrefix("@") ? "%40" + name.dropFirst() : Substring(name)
        return "pkg:npm/\(escaped)@\(version)"
    }

    /// The statement for one package tarball (`sha512Hex` of the tarball bytes).
    public static func make(name: String, version: String, sha512Hex: String,
                            job: GitHubActionsEnvironment) throws(PublishError) -> OrderedJSON {
        let workflow = try job.workflow()
        let repositoryURL = "\(job.serverURL)/\(job.repository)"
        return .object([
            ("_type", .string(statementType)),
            ("subject", .array([.object([
                ("name", .string(purl(name: name, version: version))),
                ("digest", .object([("sha512", .string(sha512Hex))])),
            ])])),
            ("predicateType", .string(predicateType)),
            ("predicate", .object([
                ("buildDefinition", .object([
                    ("buildType", .string(buildType)),
                    ("externalParameters", .object([("workflow", .object([
                        ("ref", .string(workflow.ref)),
                        ("repository", .string(repositoryURL)),
                        ("path", .string(workflow.path)),
                    ]))])),
                    ("internalParameters", .object([("github", .object([
                        ("event_name", .string(job.eventName)),
                        ("repository_id", .string(job.repositoryID)),
                        ("repository_owner_id", .string(job.repositoryOwnerID)),
                    ]))])),
                    ("resolvedDependencies", .array([.object([
                        ("uri", .string("git+\(repositoryURL)@\(job.ref)")),
                        ("digest", .object([("gitCommit", .string(job.sha))])),
                    ])])),
                ])),
                ("runDetails", .object([
                    ("builder", .object([("id", .string("\(builderIDPrefix)/\(job.runnerEnvironment)"))])),
                    ("metadata", .object([
                        ("invocationId", .string("\(repositoryURL)/actions/runs/\(job.runID)/attempts/\(job.runAttempt)")),
                    ])),
                ])),
            ])),
        ])
    }
}
