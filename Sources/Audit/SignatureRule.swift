import FoundationEssentials
import SafeJSON
import NpmModel
import NpmVerify
import CodedError

/// pacote's registry-signature loop (PROTOCOLS §3.2) over `dist.signatures`, in order, with
/// pacote's error codes and messages: unknown key `EMISSINGSIGNATUREKEY`, key expired before
/// `time[version]` `EEXPIREDSIGNATUREKEY`, signature not verifying `EINTEGRITYSIGNATURE`.
enum SignatureRule {
    /// nil when every signature verified; else the first failure.
    static func check(_ target: AuditTarget, integrity: String, signatures: [RegistrySignature],
                      keys: [RegistryKey], publishTime: Date?) -> InvalidPackage? {
        let verifier = RegistrySignatureVerifier(keys: keys)
        for signature in signatures {
            do {
                try verifier.verify(name: target.name, version: target.version, integrity: integrity,
                                    signatures: [signature], publishTime: publishTime)
            } catch let error as NpmVerifyError {
                return invalid(error.code, target: target, signature: signature, keys: verifier.keys)
            } catch {
                return InvalidPackage(code: InvalidPackage.invalidSignatureCode, message: "\(target.id): \(error)", target: target)
            }
        }
        return nil
    }

    static func invalid(_ code: NpmVerifyError.Code, target: AuditTarget, signature: RegistrySignature, keys: [RegistryKey]) -> InvalidPackage {
        let key = keys.first { $0.isNamed(signature.keyid) }
        let message: String
        switch code {
        case .missingSignatureKey:
            message = "\(target.id) has a registry signature with keyid: \(signature.keyid) but no corresponding public key can be found"
        case .expiredSignatureKey:
            let expires = key?.expires.map(javaScriptISO) ?? "?"
            message = "\(target.id) has a registry signature with keyid: \(signature.keyid) but the corresponding public key has expired \(expires)"
        default:
            message = "\(target.id) has an invalid registry signature with keyid: \(signature.keyid) and signature: \(signature.sig)"
        }
        var invalid = InvalidPackage(code: code.rawValue, message: message, target: target)
        if code == .invalidSignature {
            invalid.keyid = signature.keyid
            invalid.signature = signature.sig
        }
        return invalid
    }

    /// `Date.prototype.toISOString()`: milliseconds and `Z`.
    static func javaScriptISO(_ date: Date) -> String {
        InternetDateTime.format(date, milliseconds: true)
    }
}
