import FoundationEssentials
import Integrity
import NpmModel
import RegistryClient

extension Installer {
    /// How many packuments `ci` asks for at once.
    static let packumentFetchWidth = 32

    /// The registry must still vouch for each locked version with the same integrity.
    /// Also records the registry's signed claim for each package, for the signature check.
    /// At most `packumentFetchWidth` documents are asked for at once, so the first failure ends the
    /// run after a bounded number of requests rather than after one request per locked name.
    func checkRegistryAgrees(_ planned: inout [PlannedPackage]) async throws {
        var names = Set(planned.map(\.target.name)).sorted()[...]
        let packuments = try await withThrowingTaskGroup(of: (String, Packument).self) { group in
            var all: [String: Packument] = [:]
            var running = 0
            while true {
                while running < Self.packumentFetchWidth, let name = names.popFirst() {
                    group.addTask { [client] in (name, try await client.packument(PackageName(name))) }
                    running += 1
                }
                guard let (name, packument) = try await group.next() else { return all }
                running -= 1
                all[name] = packument
            }
        }
        for index in planned.indices {
            let target = planned[index].target
            guard let manifest = packuments[target.name]?.versions[target.version] else {
                throw InstallError(.registry, "\(target.subject) is locked but the registry no longer has that version")
            }
            let registryIntegrity = try TarballSource.target(for: manifest).integrity
            // Checked early for a clear message; the bytes must later match both strings in full.
            guard !target.integrity.conflicts(with: registryIntegrity) else {
                throw InstallError(.verification, "\(target.subject): the registry's integrity differs from package-lock.json: lockfile has \(target.integrity.description), registry has \(registryIntegrity.description)")
            }
            // npm ci follows the entry's own dependencies; one the published version never declared
            // brings in a package nothing placed needs (found by review: an extra package took over
            // a `.bin` name, verified bytes but not the project's choice).
            let declared = Set(manifest.dependencies.keys).union(manifest.optionalDependencies.keys).union(manifest.peerDependencies.keys)
            let entry = planned[index].lockEntry
            if let extra = Set(entry.dependencies.keys).union(entry.optionalDependencies.keys).union(entry.peerDependencies.keys)
                .subtracting(declared).sorted().first {
                throw InstallError(.verification, "\(target.subject) at \(planned[index].location): package-lock.json gives it a dependency on \(extra) that the registry's manifest of that version does not declare; npm ci would install what the lockfile names, so it is refused (re-lock it)")
            }
            planned[index].claims.append(IntegrityClaim(registryIntegrity, "the registry's dist.integrity"))
            planned[index].evidence = RegistryEvidence(manifest)
            planned[index].manifest = manifest
        }
    }
}
