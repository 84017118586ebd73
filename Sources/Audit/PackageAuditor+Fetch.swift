import CurlTransport
import FoundationEssentials
import NpmModel
import NpmVerify
import RegistryClient
import CodedError

/// The audit's three registry reads, through the same client, key store and attestations fetch
/// as an install; only the policy differs: every failure becomes a finding with npm's code.
extension PackageAuditor {
    /// The keys of `target`'s registry (`RegistryKeyStore`: trust first, else `/-/npm/v1/keys`
    /// once per registry); nil when it publishes none.
    func registryKeys(of target: AuditTarget) async throws(FetchFailure) -> [RegistryKey]? {
        do {
            return try await keys.keys(for: try PackageName(target.name))
        } catch let error as NpmVerifyError {
            throw FetchFailure(code: "EREGISTRYKEYS", message: error.message)
        } catch {
            throw FetchFailure(code: "EREGISTRYKEYS", message: "could not read the signing keys of \(target.registry): \(error)",
                               unreachable: (error as? RegistryError)?.code == .network)
        }
    }

    /// The version's manifest from the full packument (npm forces full metadata to read `time`).
    func manifest(of target: AuditTarget) async throws(FetchFailure) -> (Manifest, Date?) {
        let packument: Packument
        do {
            packument = try await client.fullPackument(try PackageName(target.name))
        } catch let error as RegistryError {
            let code = switch error.code {
            case .notFound: "E404"
            case .network: "ENETWORK"
            case .malformed: "EJSONPARSE"
            default: "EHTTP"
            }
            throw FetchFailure(code: code, message: error.message, unreachable: error.code == .network)
        } catch {
            throw FetchFailure(code: "EREGISTRY", message: "\(target.id): \(error)")
        }
        guard let manifest = packument.versions[target.version] else {
            throw FetchFailure(code: "ETARGET", message: "No matching version found for \(target.id).")
        }
        return (manifest, RegistryDate.publishTime(packument.time[target.version]))
    }

    /// The attestations response, fetched as pacote does: the configured registry plus the
    /// path of `dist.attestations.url`. A non-success status is npm's `E<status>`.
    func attestations(of target: AuditTarget, advertised: String) async throws(FetchFailure) -> Data {
        guard let url = RegistryClient.attestationsURL(registry: target.registry, advertised: advertised) else {
            throw FetchFailure(code: "EINVALIDURL", message: "\(target.id) has an unusable dist.attestations.url: \(advertised)")
        }
        let response: HTTPResponse
        do {
            response = try await client.attestationsResponse(at: url, package: target.id, command: "audit")
        } catch {
            // Not an outage: the registry answered for the package and withholds only its evidence
            // (found by review: a 503 on the attestations alone turned a policy refusal into exit 3).
            throw FetchFailure(code: "ENETWORK", message: "could not fetch the attestations of \(target.id) from \(url): \(error)")
        }
        guard response.isSuccess else {
            throw FetchFailure(code: "E\(response.status)", message: "\(response.status) fetching the attestations of \(target.id) from \(url)")
        }
        return response.body
    }
}
