import SigstoreModels

/// pacote's subject rule: `subject[0].name` is the purl and `subject[0].digest.sha512`
/// the hex SHA-512 of `dist.integrity` (`EATTESTATIONSUBJECT`).
public struct SubjectCheck: Sendable {
    public init() {}

    public func verify(_ statement: InTotoStatement?, package: PackageIdentity) throws {
        guard let subject = statement?.subjects.first else {
            throw NpmVerifyError(.attestationSubject, "attestation for \(package.purl) has no in-toto subject")
        }
        guard subject.name == package.purl else {
            throw NpmVerifyError(.attestationSubject, "expected subject \(package.purl), found \(subject.name)")
        }
        guard let expected = package.sha512Hex else {
            throw NpmVerifyError(.attestationSubject, "\(package.purl) has no sha512 integrity to compare with the subject")
        }
        guard subject.digest["sha512"] == expected else {
            throw NpmVerifyError(.attestationSubject, "expected subject sha512 \(expected), found \(subject.digest["sha512"] ?? "none")")
        }
    }
}
