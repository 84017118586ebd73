import NpmModel

/// What `npm ci` takes from a lockfile entry alone, with no tarball or registry signature behind
/// it: arborist's load-virtual makes the entry itself the package (`pkg: sw`). Found by review,
/// each installed what `ci` reported as verified:
/// - `scripts`: npm's rebuild runs the entry's install scripts, which npm never writes there;
/// - `link`: npm symlinks the path to `resolved` read as a folder (a URL whose dot segments climb
///   back into the project linked `require('pa')` to another package);
/// - `hasShrinkwrap`: npm installs the subtree from the tarball's own npm-shrinkwrap.json, from
///   any URL it names, in place of the entries the lockfile records and `ci` verifies.
enum LockfileOnlyFields {
    /// Refuses the first entry (below the project) that carries one of them, naming it and the field.
    static func refuse(_ lockfile: Lockfile, file: String) throws {
        for (path, entry) in lockfile.packages.sorted(by: { $0.key < $1.key }) where !path.isEmpty {
            guard let why = refusal(entry) else { continue }
            let subject = "\(entry.name ?? Lockfile.packageName(atPath: path) ?? path)@\(entry.version ?? "?")"
            throw InstallError(.verification, "\(file): \(subject) at \(path.prefix(300)) \(why)")
        }
    }

    static func refusal(_ entry: Lockfile.Entry) -> String? {
        if let scripts = entry.scripts {
            return "carries scripts (\(scripts.prefix(200))), which npm ci would run though no tarball declares them; npm never writes scripts into a lockfile"
        }
        if entry.link {
            return "is a link (link: true) to \(entry.resolved.map { String($0.prefix(200)) } ?? "an unnamed folder"): npm ci would symlink it, not install a verified tarball"
        }
        // npm links the entry's bins as npm-normalize-package-bin reads them, in document order;
        // only an object of names that are already normal says the same to npm and to us (found
        // by review: a string or a list read as no bins, and colliding names linked another file).
        if entry.binNotAnObject || !NpmBins.isNormal(entry.bin) {
            return "has a bin field npm reads otherwise than it is written (a string, a list, or names npm normalises to others): npm ci links bins no tarball declares that way"
        }
        if entry.hasShrinkwrap {
            return "has its own npm-shrinkwrap.json (hasShrinkwrap): npm ci would install its subtree from that file, which this lockfile does not record and nothing here verifies"
        }
        return nil
    }
}
