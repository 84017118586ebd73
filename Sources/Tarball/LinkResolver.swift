/// Decides whether link targets stay inside the package, following the archive's own symlinks.
///
/// Links are never created on disk (npm skips them), but one whose target would leave the package
/// marks a hostile archive and is refused. Resolution is lexical over the symlinks the archive
/// declared, so chains like `dir/up -> ..` plus `dir/esc -> up/..` are caught even though each
/// target looks harmless on its own.
struct LinkResolver {
    /// POSIX systems give up after about this many symlink hops (ELOOP); so do we.
    static let maxHops = 40

    /// Declared symlinks: package-relative path → target as stored.
    private var symlinks: [String: String] = [:]

    mutating func recordSymlink(at path: [String], target: String) {
        symlinks[path.joined(separator: "/")] = target
    }

    /// Forgets a symlink that a later entry replaced.
    mutating func replace(at path: [String]) {
        symlinks[path.joined(separator: "/")] = nil
    }

    /// Explains why `target`, interpreted relative to package directory `directory`, leaves the
    /// package root; `nil` when it stays inside.
    func escape(from directory: [String], target: String) -> String? {
        if target.hasPrefix("/") { return "it is absolute" }
        // Work list in reverse so the next component is popped from the end.
        var pending = Array((directory.map { Substring($0) } + PackagePath.rawComponents(target)).reversed())
        var resolved: [String] = []
        var hops = 0
        while let part = pending.popLast() {
            if part.isEmpty || PackagePath.isDot(part) { continue }
            if PackagePath.isDotDot(part) {
                guard !resolved.isEmpty else { return "it climbs above the package root" }
                resolved.removeLast()
                continue
            }
            resolved.append(String(part))
            let key = resolved.joined(separator: "/")
            guard let next = symlinks[key] else { continue }
            hops += 1
            guard hops <= Self.maxHops else { return "it loops through more than \(Self.maxHops) symlinks" }
            if next.hasPrefix("/") { return "it passes through symlink '\(key)' to absolute '\(next)'" }
            resolved.removeLast()
            pending.append(contentsOf: PackagePath.rawComponents(next).reversed())
        }
        return nil
    }
}
