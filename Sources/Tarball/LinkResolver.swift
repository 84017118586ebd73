/// Decides whether link targets stay inside the package, following the archive's own symlinks.
///
/// Links are never created on disk (npm skips them), but one whose target would leave the package
/// marks a hostile archive and is refused. Resolution is lexical over the symlinks the archive
/// declared, so chains like `dir/up -> ..` plus `dir/esc -> up/..` are caught even though each
/// target looks harmless on its own.
struct LinkResolver {
    /// POSIX systems give up after about this many symlink hops (ELOOP); so do we.
    static let maxHops = 40
    /// Path components the resolution of all an archive's links may walk, in total: a few small
    /// entries must not buy hours of CPU (real packages need a handful per link).
    static let workBudget = 2_000_000

    /// Declared symlinks: package-relative path (its UTF-8 bytes: never Unicode-equivalent
    /// matching, which the file system does not do) → target as stored.
    private var symlinks: [[UInt8]: String] = [:]
    private var work = 0

    mutating func recordSymlink(at path: [String], target: String) {
        symlinks[PackagePath.bytes(path)] = target
    }

    /// Forgets a symlink that a later entry replaced.
    mutating func replace(at path: [String]) {
        symlinks[PackagePath.bytes(path)] = nil
    }

    /// Explains why `target`, interpreted relative to package directory `directory`, leaves the
    /// package root (or costs more than the archive's budget); `nil` when it stays inside.
    mutating func escape(from directory: [String], target: String) -> String? {
        if target.utf8.first == UInt8(ascii: "/") { return "it is absolute" }
        // Work list in reverse so the next component is popped from the end.
        var pending = Array((directory.map { Substring($0) } + PackagePath.rawComponents(target)).reversed())
        var resolved: [String] = []
        var hops = 0
        while let part = pending.popLast() {
            work += 1
            guard work <= Self.workBudget else { return "resolving the archive's links walks more than \(Self.workBudget) path components" }
            if part.isEmpty || PackagePath.isDot(part) { continue }
            if PackagePath.isDotDot(part) {
                guard !resolved.isEmpty else { return "it climbs above the package root" }
                resolved.removeLast()
                continue
            }
            resolved.append(String(part))
            guard let next = symlinks[PackagePath.bytes(resolved)] else { continue }
            let key = resolved.joined(separator: "/")
            hops += 1
            guard hops <= Self.maxHops else { return "it loops through more than \(Self.maxHops) symlinks" }
            if next.utf8.first == UInt8(ascii: "/") { return "it passes through symlink '\(key)' to absolute '\(next)'" }
            resolved.removeLast()
            pending.append(contentsOf: PackagePath.rawComponents(next).reversed())
        }
        return nil
    }
}
