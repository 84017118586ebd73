import FoundationEssentials
public import OpenSSLCrypto
import SigstoreModels
import CodedError

/// Verifies the leaf's embedded precertificate SCTs against the trusted CT logs (PROTOCOLS §5.4–5.5).
public struct SCTCheck: Sendable {
    /// Minimum number of verified SCTs (sigstore-js default 1).
    public let threshold: Int

    public init(threshold: Int = 1) { self.threshold = threshold }

    /// `path` is the verified chain; the SCT issuer is `path[1]`.
    public func verify(path: [Certificate], trusted: TrustedMaterial) throws {
        guard path.count >= 2 else { throw VerificationError(.certificateTransparency, "expected an issuer for the SCT issuer key hash") }
        let leaf = path[0], issuer = path[1]
        guard let value = leaf.extensionValue(oid: OID.embeddedSCTList) else {
            throw VerificationError(.certificateTransparency, "expected an embedded SCT list extension in the signing certificate, found none")
        }
        let scts: [SignedCertificateTimestamp]
        do { scts = try SignedCertificateTimestamp.parseList(extensionValue: value) } catch {
            throw VerificationError(.certificateTransparency, "malformed SCT list: \(error)")
        }
        var verified = 0
        for sct in scts {
            let logs = TrustedMaterial.logs(trusted.ctlogs, id: sct.logID, at: sct.date)
            for log in logs where (try? sct.verify(certificate: leaf, issuer: issuer, logKey: log.key)) == true {
                verified += 1
                break
            }
        }
        guard verified >= threshold else {
            throw VerificationError(.certificateTransparency, "expected \(threshold) SCT(s) verified by a trusted CT log, found \(verified) of \(scts.count)")
        }
    }
}
