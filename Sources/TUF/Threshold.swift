/// The key ids and threshold a delegator assigns to a role.
public struct RoleKeys: Sendable, Equatable {
    public let keyids: [String]
    public let threshold: Int

    public init(keyids: [String], threshold: Int) {
        self.keyids = keyids
        self.threshold = threshold
    }

    init(_ fields: Fields) throws {
        keyids = try fields.strings("keyids", unique: true)
        threshold = try fields.int("threshold", min: 1)
    }
}

/// One entry of a metadata `signatures` list.
public struct Signature: Sendable, Equatable {
    public let keyid: String
    public let sig: String
}

/// Threshold counting (spec 5.3.4, 5.4.2, 5.5.3, 5.6.3): only keys the delegator authorised for
/// the role count, and each key counts at most once however often it signed, and under however
/// many key ids it is listed (python-tuf counts ids; one key under two ids is still one signer).
public enum SignatureThreshold {
    /// The authorised key ids with at least one valid signature over `message`, one id per key.
    public static func verifiedKeyIDs(role: RoleKeys, keys: [String: TUFKey], message: [UInt8],
                                      signatures: [Signature]) -> Set<String> {
        let authorised = Set(role.keyids)
        var verified = Set<String>()
        var signers = Set<[UInt8]>()
        for signature in signatures where authorised.contains(signature.keyid) && !verified.contains(signature.keyid) {
            guard let key = keys[signature.keyid], let identity = key.identity, !signers.contains(identity) else { continue }
            if key.verify(signatureHex: signature.sig, message: message) {
                verified.insert(signature.keyid)
                signers.insert(identity)
            }
        }
        return verified
    }

    /// Throws `thresholdNotMet` naming `roleName`/`version`/`rule` unless the threshold is reached.
    public static func require(role: RoleKeys, keys: [String: TUFKey], message: [UInt8], signatures: [Signature],
                               roleName: String, version: Int?, rule: String, signer: String) throws {
        let verified = verifiedKeyIDs(role: role, keys: keys, message: message, signatures: signatures)
        guard verified.count >= role.threshold else {
            throw TUFError(.thresholdNotMet, role: roleName, version: version, rule: rule,
                           "\(verified.count) of the required \(role.threshold) signatures from keys \(signer) authorises")
        }
    }
}
