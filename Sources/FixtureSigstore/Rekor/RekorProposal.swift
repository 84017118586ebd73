import Foundation
import SafeJSON

/// A proposed entry turned into what the log stores: its kind, API version and canonical body.
struct RekorCanonicalEntry: Sendable, Equatable {
    let kind: String
    let apiVersion: String
    /// RFC 8785 JSON of the entry: the Merkle leaf and the bundle's `canonicalizedBody`.
    let body: [UInt8]
}

/// Parses a `POST /api/v1/log/entries` body and canonicalises it (`dsse` 0.0.1, `intoto` 0.0.2).
enum RekorProposal {
    static func canonicalize(_ data: Data) throws(RekorError) -> RekorCanonicalEntry {
        guard data.count <= RekorLimits.maxProposedEntryBytes else {
            throw .badRequest("proposed entry of \(data.count) bytes exceeds the \(RekorLimits.maxProposedEntryBytes)-byte limit")
        }
        let root: RekorProposalField
        do { root = RekorProposalField(try JSONValue.parse(data, maxDepth: 32), path: "") } catch {
            throw .badRequest("proposed entry: expected JSON: \(error)")
        }
        let kind = try root.required("kind").string()
        let apiVersion = try root.required("apiVersion").string()
        let spec = try root.required("spec")
        let body: JSONValue
        switch (kind, apiVersion) {
        case ("dsse", RekorDSSEProposal.apiVersion): body = try RekorDSSEProposal.canonicalBody(spec: spec)
        case ("intoto", RekorIntotoProposal.apiVersion): body = try RekorIntotoProposal.canonicalBody(spec: spec)
        default:
            throw .badRequest("proposed entry: expected kind dsse (apiVersion 0.0.1) or intoto (apiVersion 0.0.2), found \(kind) \(apiVersion)")
        }
        return RekorCanonicalEntry(kind: kind, apiVersion: apiVersion, body: RekorCanonicalJSON.bytes(body))
    }
}

/// Size limits of the fixture log, in one place.
public enum RekorLimits {
    /// Largest accepted `POST /api/v1/log/entries` body.
    public static let maxProposedEntryBytes = 16 << 20
    /// Largest accepted line of the persisted entry file (a canonical body plus its SET).
    static let maxStoredLineBytes = 32 << 20
}
