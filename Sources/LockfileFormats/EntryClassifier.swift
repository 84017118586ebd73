import SafeJSON
import NpmModel

/// Sorts specs, resolutions and versions into registry and not-verifiable sources.
enum EntryClassifier {
    /// Whether a `patchedDependencies` key (pnpm, Bun) names `package`: `name@version`, or `name`
    /// for every version.
    static func isPatched(_ package: LockedPackage, by keys: [String]) -> Bool {
        keys.contains { key in
            guard let (name, version) = splitDescriptor(key) else { return key.utf8.elementsEqual(package.name.utf8) }
            return name.utf8.elementsEqual(package.name.utf8) && (version.isEmpty || version.utf8.elementsEqual(package.version.utf8))
        }
    }

    /// Splits `name@rest` where the name may be scoped (`@s/n@rest`).
    static func splitDescriptor(_ descriptor: String) -> (name: String, rest: String)? {
        let start = descriptor.hasBytePrefix("@") ? descriptor.utf8.index(after: descriptor.startIndex) : descriptor.startIndex
        guard let at = descriptor[start...].firstIndex(of: "@") else { return nil }
        return (String(descriptor[..<at]), String(descriptor[descriptor.index(after: at)...]))
    }

    /// Refuses a Yarn block that installs from `reason`'s source (git, a file, a URL) while every
    /// descriptor it serves asks for a registry version: Yarn follows the lockfile's resolution
    /// whatever the range says, so the install would take that source's code unverified.
    static func refuseDisguisedSource(_ descriptors: [String], reason: String, file: String) throws {
        let ranges = descriptors.compactMap { descriptor in splitDescriptor(descriptor).map { ($0.name, $0.rest) } }
        guard ranges.count == descriptors.count, ranges.allSatisfy({ AliasEdges.isRegistrySpec($0.1, name: $0.0) }) else { return }
        throw LockfileError("\(file): \(descriptors.joined(separator: ", ")) ask for a registry package, but the entry is not one (\(reason)): the package manager follows the lockfile, so it would install that code unverified")
    }

    /// A valid package name, or a `LockfileError` naming the entry.
    static func validName(_ name: String, entry: String) throws -> String {
        do { return try PackageName(name).value } catch {
            throw LockfileError("entry \(entry): \(error)")
        }
    }

}
