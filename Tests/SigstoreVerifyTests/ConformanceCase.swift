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

    /// Cases this verifier does not cover yet, each with the reason: listed and excluded, never silently passed.
    /// Empty: all 70 cases (Rekor v1 and v2, RFC 3161 timestamps) are covered.
    static let notCovered: [String: String] = [:]
}
