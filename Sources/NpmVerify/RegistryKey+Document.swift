public import FoundationEssentials
import SigstoreModels
import CodedError

extension RegistryKey {
    /// Parses either keys format, chosen by the first entry's spelling: the TUF target
    /// (`keyId`, `keyUsage`, `publicKey.validFor`) or the registry's `/-/npm/v1/keys` (`keyid`, `key`, `expires`).
    public static func parseKeysDocument(_ data: Data) throws -> [RegistryKey] {
        let first: JSONField?
        do { first = try JSONField.parse(data).required("keys").array().first } catch let error as SigstoreModelError {
            throw NpmVerifyError(.malformedKeys, "registry keys: \(error)")
        }
        if let first, (try? first.optional("keyId")) != nil {
            return try parseTUFKeys(data)
        }
        return try parseRegistryKeys(data)
    }
}
