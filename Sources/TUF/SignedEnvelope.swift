public import FoundationEssentials
public import SafeJSON

/// The common fields of every role's `signed` object.
public struct SignedHeader: Sendable {
    public let type: String
    public let version: Int
    public let specVersion: String
    public let expires: Date

    /// True when `expires` is not after `now` (python-tuf: `now >= expires`).
    public func isExpired(at now: Date) -> Bool { now >= expires }
}

/// A parsed metadata file: the raw bytes, the `signed` object with its canonical bytes,
/// the signatures, and the common header. Parsing checks form only, never signatures.
public struct SignedEnvelope: Sendable {
    public let raw: Data
    public let signed: JSONValue
    public let canonicalSigned: [UInt8]
    public let signatures: [Signature]
    public let header: SignedHeader

    /// Parses `data` as metadata whose `_type` must be `expectedType`; errors name `role`.
    public static func parse(_ data: Data, expectedType: String, role: String) throws -> SignedEnvelope {
        let document: JSONValue
        do { document = try JSONValue.parse(data, maxDepth: 64) } catch {
            throw TUFError(.malformed, role: role, rule: Fields.rule, "not JSON: \(error)")
        }
        let top = try Fields(document, role: role, context: "metadata")
        let version = try top.fields("signed").object["version"]?.integer(in: 1...(1 << 53))
        let header = try parseHeader(Fields(document["signed"], role: role, version: version, context: "signed"))
        guard header.type == expectedType else {
            throw TUFError(.wrongType, role: role, version: header.version, rule: "5 (metadata type)",
                           "expected _type \"\(expectedType)\", found \"\(header.type)\"")
        }
        var signatures: [Signature] = []
        var seen = Set<String>()
        for item in try top.array("signatures") {
            let entry = try Fields(item, role: role, version: version, context: "signatures[]")
            let signature = Signature(keyid: try entry.string("keyid"), sig: try entry.string("sig"))
            guard seen.insert(signature.keyid).inserted else {
                throw TUFError(.duplicateSignature, role: role, version: version, rule: "4.2 (signatures)",
                               "key id \(signature.keyid) signs more than once; key ids must be unique")
            }
            signatures.append(signature)
        }
        let canonical: [UInt8]
        do { canonical = try CanonicalJSON.encode(document["signed"]!) } catch {
            throw TUFError(.malformed, role: role, version: version, rule: "4.2 (canonical JSON)", "\(error)")
        }
        return SignedEnvelope(raw: data, signed: document["signed"]!, canonicalSigned: canonical,
                              signatures: signatures, header: header)
    }

    private static func parseHeader(_ fields: Fields) throws -> SignedHeader {
        let type = try fields.string("_type")
        let version = try fields.int("version", min: 1)
        let spec = try fields.string("spec_version")
        let parts = spec.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts[0] == "1" else {
            throw TUFError(.malformed, role: fields.role, version: version, rule: "4.2 (spec_version)",
                           "unsupported spec_version \"\(spec)\" (this client implements 1.x)")
        }
        let expiresText = try fields.string("expires")
        guard let expires = ExpiryDate.parse(expiresText) else { throw fields.fail("expires", "a date like 2030-01-01T00:00:00Z") }
        return SignedHeader(type: type, version: version, specVersion: spec, expires: expires)
    }

    /// Checks that `delegator` authorises this metadata as `roleName` by threshold.
    func verify(by delegator: any Delegator, roleName: String, rule: String) throws {
        guard let role = delegator.delegatedRole(named: roleName) else {
            throw TUFError(.missingMeta, role: roleName, version: header.version, rule: rule,
                           "\(delegator.delegatorName) does not delegate to \(roleName)")
        }
        try SignatureThreshold.require(role: role, keys: delegator.delegationKeys, message: canonicalSigned,
                                       signatures: signatures, roleName: roleName, version: header.version,
                                       rule: rule, signer: "\(delegator.delegatorName)")
    }
}

/// Metadata that delegates trust: root (top-level roles) and targets (delegated roles).
public protocol Delegator: Sendable {
    var delegatorName: String { get }
    var delegationKeys: [String: TUFKey] { get }
    func delegatedRole(named name: String) -> RoleKeys?
}
