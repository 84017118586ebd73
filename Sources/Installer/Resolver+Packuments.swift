import NpmModel
import RegistryClient

extension Resolver {
    /// Fetches the packuments of `names` not fetched yet, all at once. More distinct packages than
    /// a tree may hold is refused before any is fetched (found by review: one manifest naming
    /// 100,000 dependencies made 100,000 requests before the first 404 ended the run).
    ///
    /// A failure for one of `required` (the packages the node being resolved needs, not optionally)
    /// ends the wait at once: the resolver would fail on it anyway, and the run must not wait for
    /// a slow registry's other answers first (found by review: an unusable packument was reported
    /// after 90 s, the time a stalled one took to be given up). The other fetches are left to end
    /// on their own; their results are shared with any later wait for the same documents.
    func prefetch(_ names: Set<String>, required: Set<String> = []) async throws {
        let missing = names.filter { packuments[$0] == nil }
        guard !missing.isEmpty else { return }
        guard packuments.count + missing.count <= Self.maxNodes else {
            throw InstallError(.registry, "the dependencies of this tree name more than \(Self.maxNodes) packages (\(packuments.count + missing.count)); refusing a pathological tree before fetching them")
        }
        prefetcher.warm(missing)
        run.progress(.resolving(count: missing.count))
        let (results, delivery) = AsyncStream.makeStream(of: (String, Result<Packument, any Error>).self)
        defer { delivery.finish() }
        for name in missing {
            Task { [client] in
                do { delivery.yield((name, .success(try await client.packument(PackageName(name))))) }
                catch { delivery.yield((name, .failure(error))) }
            }
        }
        var remaining = missing.count
        for await (name, result) in results {
            if case .failure(let error) = result, required.contains(name) { throw error }
            packuments[name] = result
            remaining -= 1
            if remaining == 0 { return }
        }
        try Task.checkCancellation()  // the stream ends early only when this task is cancelled
    }

    /// The prefetched packument of `name`, or its fetch error.
    func packument(_ name: String) throws -> Packument {
        guard let result = packuments[name] else {
            throw RegistryError(.notFound, package: name, url: nil, "internal: packument for \(name) was not prefetched")
        }
        return try result.get()
    }
}
