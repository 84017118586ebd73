public import FoundationEssentials
import DurableFile

extension TUFUpdater {
    /// Spec 5.6.7: pre-order depth-first search of the delegation graph for `path`, starting at
    /// top-level targets, in the order delegations appear; visited roles are skipped, a terminating
    /// delegation ends the search of other branches, and at most `maxDelegations` roles are visited.
    /// Refreshes first when `refresh()` has not succeeded yet.
    public func targetInfo(for path: String) async throws -> TargetFile? {
        if !refreshed { try await refresh() }
        var stack: [(role: String, delegator: String)] = [("targets", "root")]
        var visited = Set<String>()
        while visited.count <= config.maxDelegations, let (role, delegator) = stack.popLast() {
            if visited.contains(role) { continue }
            let targets = try await loadTargets(role: role, delegator: delegator)
            if let file = targets.targets[path] {
                log("\(path) is described by \(role) v\(targets.version)")
                return file
            }
            visited.insert(role)
            guard let delegations = targets.delegations else { continue }
            var children: [(role: String, delegator: String)] = []
            for child in delegations.roles(for: path) {
                children.append((child.name, role))
                if child.terminating {
                    stack.removeAll()
                    break
                }
            }
            stack.append(contentsOf: children.reversed())
        }
        if !stack.isEmpty { log("gave up on \(path) after visiting \(visited.count) roles") }
        return nil
    }

    /// Where `file` is stored in the target directory: its percent-encoded path as one file name.
    public func targetFileURL(_ file: TargetFile) -> URL? {
        targetDirectory?.appendingPathComponent(TUFEncoding.component(file.path))
    }

    /// The cached copy of `file`, read once and re-hashed now; nil when missing or not matching.
    /// Use the returned bytes, never the file again: it could change after the check.
    public func cachedTarget(_ file: TargetFile) -> VerifiedTarget? {
        guard let url = targetFileURL(file), let data = try? DurableFile.read(url.path, limit: file.length),
              data.count == file.length else { return nil }
        do { try file.verify(data) } catch {
            log("cached \(file.path) is stale: \(error)")
            return nil
        }
        return VerifiedTarget(url: url, bytes: data)
    }

    /// Spec 5.7.3: downloads `file` (at most its length; `HASH.name` under consistent snapshots),
    /// checks length and every hash, then writes it atomically into the target directory.
    @discardableResult
    public func downloadTarget(_ file: TargetFile) async throws -> VerifiedTarget {
        let role = "target \(file.path)"
        guard let destination = targetFileURL(file), let targetBaseURL, let root = trustedSet?.root else {
            throw TUFError(.invalidState, role: role, rule: "5.7", "needs a refresh, a target directory and a target base URL")
        }
        var name = file.path
        if root.consistentSnapshot && config.prefixTargetsWithHash {
            let slash = name.lastIndex(of: "/")
            let directory = slash.map { String(name[...$0]) } ?? ""
            let base = slash.map { String(name[name.index(after: $0)...]) } ?? name
            name = directory + file.preferredHash + "." + base
        }
        let data: Data
        do { data = try await fetcher.fetch(targetBaseURL + TUFEncoding.path(name), maxBytes: file.length) } catch {
            throw fetchFailure(error, role: role, version: nil, rule: "5.7.3")
        }
        try file.verify(data)
        do { try DurableFile.replace(destination, with: data) } catch {
            throw TUFError(.storage, role: role, rule: "5.7.3", "\(error)")
        }
        log("downloaded \(file.path) (\(data.count) bytes)")
        return VerifiedTarget(url: destination, bytes: data)
    }
}

/// A target's bytes as they were checked against its trusted length and hashes, and where a copy
/// is stored. Callers use `bytes`: the stored file is only a cache and may change after the check.
public struct VerifiedTarget: Sendable, Equatable {
    public let url: URL
    public let bytes: Data
}
