import Foundation
import SafeJSON

/// The registry's check that a provenance bundle was made for the very tarball it is published
/// with: the bundle's in-toto statement has exactly one subject, named by the version's purl and
/// carrying the tarball's SHA-512. libnpmpublish checks the same before upload (with these
/// messages); a client that skips the check is refused here with 422, and nothing is stored.
enum ProvenanceSubjectCheck {
    /// Throws `.unprocessable` naming the package, version and expected vs found subject.
    static func check(bundle: JSONValue, name: PackageName, version: String, sha512Hex: String) throws(RegistryError) {
        let package = "\(name)@\(version)"
        func refuse(_ why: String) -> RegistryError {
            .unprocessable(package: package, reason: "Error verifying sigstore provenance bundle: \(why)")
        }
        guard let subjects = statement(of: bundle)?["subject"]?.arrayValue, !subjects.isEmpty else {
            throw refuse("No subject found in sigstore bundle payload (\(package))")
        }
        guard subjects.count == 1, let subject = subjects.first else {
            throw refuse("Found more than one subject in the sigstore bundle payload (\(package): \(subjects.count) subjects)")
        }
        let purl = PublishAttestation.purl(name, version: version)
        guard let subjectName = subject["name"]?.stringValue, subjectName == purl else {
            throw refuse("Provenance subject \(subject["name"]?.stringValue ?? "<none>") does not match the package: \(purl)")
        }
        let found = subject["digest"]?["sha512"]?.stringValue
        guard found?.lowercased() == sha512Hex else {
            throw refuse("Provenance subject digest does not match the package \(package): the subject's sha512 is "
                         + "\(found ?? "missing"), the tarball's is \(sha512Hex)")
        }
    }

    /// The in-toto statement in the bundle's DSSE payload, or nil.
    static func statement(of bundle: JSONValue) -> JSONValue? {
        guard let payload = bundle["dsseEnvelope"]?["payload"]?.stringValue, let data = Data(base64Encoded: payload) else { return nil }
        return try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth)
    }
}
