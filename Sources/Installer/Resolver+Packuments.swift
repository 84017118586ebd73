import NpmModel
import RegistryClient

extension Resolver {
    /// Fetches the packuments of `names` not fetched yet, all at once. More distinct packages than
    /// a tree may hold is refused before any is fetched (found by review: one manifest naming
    /// 100,000 dependencies made 100,000 requests before the first 404 ended the run).
    func prefetch(_ names: Set<String>) async throws {
        let missing = names.filter { packuments[$0] == nil }
        guard !missing.isEmpty else { return }
        guard packuments.count + missing.count <= Self.maxNodes else {
            throw InstallError(.registry, "the dependencies of this tree name more than \(Self.maxNodes) packages (\(packuments.count + missing.count)); refusing a pathological tree before fetching them")
        }
        prefetcher.warm(missing)
        run.progress(.resolving(count: missing.count))
        let results = await withTaskGroup(of: (String, Result<Packument, any Error>).self) { group in
            for name in missing {
                group.addTask { [client] in
                    do { return (name, .success(try await client.packument(PackageName(name)))) }
                    catch { return (name, .failure(error)) }
                }
            }
            var collected: [(String, Result<Packument, any Error>)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        for (name, result) in results { packuments[name] = result }
    }

    /// The prefetched packument of `name`, or its fetch error.
    func packument(_ name: String) throws -> Packument {
        guard let result = packuments[name] else {
            throw RegistryError(.notFound, package: name, url: nil, "internal: packument for \(name) was not prefetched")
        }
        return try result.get()
    }
}
