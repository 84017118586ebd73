import Crypto
import FixtureRegistry
import Foundation
import SafeJSON

/// Falsified registry documents for fault scenarios: packuments whose `dist` lies,
/// and a keys document whose keys expired. The registry's storage is never touched;
/// only the served copy changes.
enum FaultDocuments {
    /// A key the registry never lists, for "signed by an unknown key" (one per process).
    static let strangerKey = P256.Signing.PrivateKey()

    /// When every key of an ``FaultAction/expireKeys`` answer expired: before any fixture publish.
    static let longAgo = "2001-01-01T00:00:00.000Z"

    // MARK: - Packuments

    /// Applies `fault` to every version of a packument (full or abbreviated), or only to `version`.
    static func falsify(packument: JSONValue, name: PackageName, fault: PackumentFault, version: String?,
                        keyring: RegistryKeyring) -> JSONValue {
        guard var object = packument.objectValue, var versions = object["versions"]?.objectValue else { return packument }
        for (key, document) in versions where version == nil || version == key {
            versions[key] = falsify(versionDocument: document, name: name, version: key, fault: fault, keyring: keyring)
        }
        object["versions"] = .object(versions)
        return .object(object)
    }

    /// Applies `fault` to one version document's `dist`.
    static func falsify(versionDocument: JSONValue, name: PackageName, version: String, fault: PackumentFault,
                        keyring: RegistryKeyring) -> JSONValue {
        guard var object = versionDocument.objectValue, var dist = object["dist"]?.objectValue,
              let integrity = dist["integrity"]?.stringValue else { return versionDocument }
        let other = TarballDigest(of: Data("not the tarball of \(name)@\(version)".utf8))
        switch fault {
        case .wrongIntegrity:
            dist["integrity"] = .string(other.integrity)
            dist["shasum"] = .string(other.shasum)
            dist["signatures"] = signatures(keyring, "\(name)@\(version):\(other.integrity)")
        case .dropSignatures:
            dist["signatures"] = nil
        case .unknownKeySignature:
            let message = Data("\(name)@\(version):\(integrity)".utf8)
            let signature = (try? strangerKey.signature(for: message).derRepresentation.base64EncodedString()) ?? ""
            dist["signatures"] = [["keyid": .string(RegistryKeyring.keyID(of: strangerKey.publicKey)), "sig": .string(signature)]]
        case .signatureOverOtherBytes:
            dist["signatures"] = signatures(keyring, "\(name)@\(version):\(other.integrity)")
        }
        object["dist"] = .object(dist)
        return .object(object)
    }

    /// `[{keyid, sig}]` by the registry's current key over `message` (empty if the keyring cannot sign).
    private static func signatures(_ keyring: RegistryKeyring, _ message: String) -> JSONValue {
        guard let (keyid, signature) = try? keyring.sign(Data(message.utf8)) else { return [] }
        return [["keyid": .string(keyid), "sig": .string(signature)]]
    }

    // MARK: - Keys

    /// The keys document with every key expired at ``longAgo``.
    static func expired(keys: JSONValue) -> JSONValue {
        guard var object = keys.objectValue, let list = object["keys"]?.arrayValue else { return keys }
        object["keys"] = .array(list.map { key in
            guard var entry = key.objectValue else { return key }
            entry["expires"] = .string(longAgo)
            return .object(entry)
        })
        return .object(object)
    }
}
