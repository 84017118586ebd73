import Foundation
import SafeJSON

/// One sigstore-conformance bundle-verify case from `cases.json`.
struct ConformanceCase: Sendable, CustomStringConvertible {
    let name: String
    let expectPass: Bool
    let bundle: String
    let artifact: String
    let trustedRoot: String?
    let identity: String
    let issuer: String
    let key: String?

    var description: String { name }

    static let directory = "sigstore-conformance/"

    static func all() throws -> [ConformanceCase] {
        let document = try Vectors.json(directory + "cases.json")
        return (document["cases"]?.arrayValue ?? []).map { item in
            ConformanceCase(
                name: item["name"]?.stringValue ?? "?",
                expectPass: item["expected"]?.stringValue == "pass",
                bundle: directory + (item["bundle"]?.stringValue ?? ""),
                artifact: directory + (item["artifact"]?.stringValue ?? "bundle-verify/a.txt"),
                trustedRoot: item["trustedRoot"]?.stringValue.map { directory + $0 },
                identity: item["certificateIdentity"]?.stringValue ?? "",
                issuer: item["certificateOidcIssuer"]?.stringValue ?? "",
                key: item["key"]?.stringValue.map { directory + $0 })
        }
    }

    /// Cases this slice does not verify yet, each with the reason. They are listed, never silently passed.
    static let notCovered: [String: String] = {
        var reasons: [String: String] = [:]
        let rekorV2 = "Rekor v2 (hashedrekord 0.0.2, Ed25519 checkpoints) with RFC 3161 timestamps: not implemented"
        for name in [
            "bundle-with-sct-with-extensions", "trust-root-tsa-validity-end-inclusive",
            "rekor2-checkpoint-cosigned", "rekor2-checkpoint-missing-log-signature_fail", "rekor2-checkpoint-missing-origin_fail",
            "rekor2-checkpoint-missing-root-hash_fail", "rekor2-checkpoint-missing-size_fail", "rekor2-checkpoint-multiple-cosigs",
            "rekor2-checkpoint-no-matching-signature_fail", "rekor2-checkpoint-origin-not-first", "rekor2-checkpoint-two-sigs-cosigned",
            "rekor2-checkpoint-two-sigs-from-origin", "rekor2-dsse-happy-path", "rekor2-dsse-invalid-sig_fail",
            "rekor2-dsse-mismatch-envelope_fail", "rekor2-dsse-mismatch-sig_fail", "rekor2-happy-path", "rekor2-no-inclusion-proof_fail",
            "rekor2-no-timestamp_fail", "rekor2-timestamp-outside-trust-root-tsa-validity_fail",
            "rekor2-timestamp-outside-tsa-cert-validity_fail", "rekor2-timestamp-payload-mismatch_fail",
            "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail",
            "rekor2-timestamp-with-embedded-cert", "rekor2-timestamp-with-expired-cert-chain", "rekor2-timestamp-with-incorrect-time_fail",
            "rekor2-timestamp-without-embedded-cert",
        ] { reasons[name] = rekorV2 }
        return reasons
    }()
}
