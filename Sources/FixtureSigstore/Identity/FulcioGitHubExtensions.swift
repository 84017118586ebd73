import SwiftASN1
import X509

/// The 1.3.6.1.4.1.57264.1.* extensions Fulcio derives from a GitHub Actions ID
/// token (PROTOCOLS §5.2): .1–.6 carry the raw string bytes (deprecated), .8
/// onward a DER UTF8String; an extension is emitted only when its value is non-empty.
enum FulcioGitHubExtensions {
    /// Claims Fulcio refuses a GitHub token without (PROTOCOLS §1.6).
    static let requiredClaims = ["job_workflow_ref", "sha", "event_name", "repository", "workflow", "ref", "job_workflow_sha",
                                 "runner_environment", "repository_id", "repository_owner", "repository_owner_id",
                                 "repository_visibility", "workflow_ref", "workflow_sha", "run_id", "run_attempt"]

    /// The first required claim that is missing or not a non-empty string.
    static func missingClaim(in claims: OIDCClaims) -> String? {
        requiredClaims.first { (claims[$0] ?? "").isEmpty }
    }

    /// `(extension number, value)` pairs in the order Fulcio writes them.
    static func values(claims: OIDCClaims) -> [(number: UInt, value: String)] {
        let github = "https://github.com/"
        let claim = { (name: String) in claims[name] ?? "" }
        var values: [(UInt, String)] = [
            (1, claim("iss")), (2, claim("event_name")), (3, claim("sha")), (4, claim("workflow")),
            (5, claim("repository")), (6, claim("ref")),
            (8, claim("iss")), (9, github + claim("job_workflow_ref")), (10, claim("job_workflow_sha")),
            (11, claim("runner_environment")), (12, github + claim("repository")), (13, claim("sha")),
            (14, claim("ref")), (15, claim("repository_id")), (16, github + claim("repository_owner")),
            (17, claim("repository_owner_id")), (18, github + claim("workflow_ref")), (19, claim("workflow_sha")),
            (20, claim("event_name")),
            (21, github + claim("repository") + "/actions/runs/" + claim("run_id") + "/attempts/" + claim("run_attempt")),
            (22, claim("repository_visibility")),
        ]
        if let environment = claims["environment"] { values.append((23, environment)) }
        return values.filter { !$0.1.isEmpty }.map { (number: $0.0, value: $0.1) }
    }

    /// The certificate extensions, non-critical.
    static func extensions(claims: OIDCClaims) throws -> [Certificate.Extension] {
        try values(claims: claims).map { number, value in
            let oid = try ASN1ObjectIdentifier(elements: [1, 3, 6, 1, 4, 1, 57264, 1, number])
            let bytes: [UInt8]
            if number <= 6 {
                bytes = Array(value.utf8)
            } else {
                var serializer = DER.Serializer()
                try serializer.serialize(ASN1UTF8String(value))
                bytes = serializer.serializedBytes
            }
            return Certificate.Extension(oid: oid, critical: false, value: ArraySlice(bytes))
        }
    }
}
