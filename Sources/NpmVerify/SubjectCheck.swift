import Integrity
public import SigstoreModels
import CodedError

/// pacote's subject rule, made strict: `subject[0].name` is the purl and `subject[0].digest.sha512`
/// the hex of the one SHA-512 in `dist.integrity` (`EATTESTATIONSUBJECT`). A statement that also
/// names the purl with another digest in a later subject is refused: it would vouch for two tarballs.
public struct SubjectCheck: Sendable {
    public init() {}

    public func verify(_ statement: InTotoStatement?, package: PackageIdentity) throws {
        guard let subject = statement?.subjects.first else {
            throw NpmVerifyError(.attestationSubject, "attestation for \(package.purl) has no in-toto subject")
        }
        guard Self.same(subject.name, package.purl) else {
            throw NpmVerifyError(.attestationSubject, "expected subject \(package.purl), found \(subject.name)")
        }
        let expected = try package.sha512().hexString
        guard Self.same(subject.digest["sha512"] ?? "", expected) else {
            throw NpmVerifyError(.attestationSubject, "\(package.name)@\(package.version): expected subject sha512 \(expected), found \(subject.digest["sha512"] ?? "none")")
        }
        for other in statement!.subjects.dropFirst() where Self.same(other.name, package.purl) && other.digest != subject.digest {
            throw NpmVerifyError(.attestationSubject, "\(package.name)@\(package.version): the statement names \(package.purl) twice with different digests")
        }
    }

    /// Byte equality: Swift's `==` also equates canonically equivalent text (U+212A KELVIN SIGN and `K`).
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}
