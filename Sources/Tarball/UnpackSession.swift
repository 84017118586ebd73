import LibArchive

/// The state of one unpack run: limit counters, links seen, files written.
///
/// It validates every entry before touching the filesystem and streams data through one buffer,
/// counting bytes as they arrive, so limits hold even when headers lie.
final class UnpackSession {
    let limits: TarballLimits
    private let root: DirectoryHandle
    /// Paths as UTF-8 bytes throughout: never Unicode-equivalent matching, which tar and the file
    /// system do not do (a Kelvin sign is not a `K` there).
    private let executablePaths: Set<[UInt8]>
    let buffer: UnsafeMutableRawBufferPointer

    private var entryCount = 0
    /// Folders created as the parents of files (npm never makes a directory entry itself).
    private var createdDirectories = 0
    var totalBytes: Int64 = 0
    /// The reader of `run`, asked which limit stopped it when a read fails.
    weak var reader: ArchiveReader?
    private var files: [[UInt8]: Int64] = [:]
    private var skippedLinks: [String] = []
    private var seenNpmignores = Set<[UInt8]>()
    private var resolver = LinkResolver()
    /// The directory the previous file went into; tarballs group files by directory, so this
    /// saves re-walking from the root. Directories are never removed, so the handle stays valid.
    private var lastParent: (path: [String], handle: DirectoryHandle)?
    /// Links to re-check once every symlink in the archive is known.
    private var pendingLinkChecks: [(entry: String, directory: [String], target: String)] = []

    init(limits: TarballLimits, root: DirectoryHandle, executablePaths: Set<String>) {
        self.limits = limits
        self.root = root
        self.executablePaths = Set(executablePaths.map { PackagePath.bytes(PackagePath.normalizedComponents($0)) })
        buffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { buffer.deallocate() }

    // MARK: - Driving the reader

    /// Processes every entry, then re-checks links against the complete symlink set.
    func run(_ reader: ArchiveReader) throws(TarballError) -> UnpackSummary {
        self.reader = reader
        var previous: String?
        while let header = try archiveStep(entry: nil, after: previous, { () throws(ArchiveError) in try reader.nextEntry() }) {
            let entry = String(decoding: header.pathBytes, as: UTF8.self)
            try limits.checkStream(consumed: reader.decompressedBytesConsumed, entry: entry)
            try process(header, entry: entry, reader: reader)
            previous = entry
        }
        try archiveStep(entry: nil, after: previous) { () throws(ArchiveError) in try reader.close() }
        // Only end-of-archive blocks: npm's reader refuses it (TAR_BAD_ARCHIVE), so no empty folder is installed.
        guard previous != nil else { throw TarballError(.corruptArchive, "expected a tar archive with entries, found none") }
        for check in pendingLinkChecks {
            if let reason = resolver.escape(from: check.directory, target: check.target) {
                throw TarballError(.linkEscape, entry: check.entry,
                                   "expected link target '\(check.target)' to stay inside the package, but \(reason)")
            }
        }
        return UnpackSummary(fileCount: files.count, unpackedSize: files.values.reduce(0, +), skippedLinks: skippedLinks,
                             directoryCount: createdDirectories)
    }

    // MARK: - Entries

    private func process(_ header: ArchiveEntryHeader, entry: String, reader: ArchiveReader) throws(TarballError) {
        try countEntry(entry)
        let path = try PackagePath.validated(header.pathBytes, entry: entry, limits: limits)
        try limits.checkDeclared(size: header.size, entry: entry, after: totalBytes)
        if header.isSparse {
            // libarchive would rebuild the file with its holes; npm's tar reader writes the raw
            // sparse map and data under another name. Neither tree is the other's, so refuse.
            throw TarballError(.unsupportedEntry, entry: entry, "expected a regular file, found a sparse file, which npm's tar reader does not rebuild")
        }
        switch header.type {
        case .characterDevice, .blockDevice:
            let kind = header.type == .characterDevice ? "character" : "block"
            throw TarballError(.deviceEntry, entry: entry,
                               "expected a file, directory or link, found a \(kind) device (\(header.deviceMajor), \(header.deviceMinor))")
        case .fifo:
            throw TarballError(.fifoEntry, entry: entry, "expected a file, directory or link, found a FIFO")
        case .socket, .unknown:
            throw TarballError(.unsupportedEntry, entry: entry, "expected a file, directory or link, found \(header.type)")
        case .symlink, .hardlink:
            try processLink(header, components: PackagePath.strippedComponents(path), entry: entry)
            try drain(reader, entry: entry)
        case .directory:
            // npm (node-tar with pacote's filter) never materialises directory entries; parents of
            // files are created on demand. A symlink replaced by a directory no longer redirects.
            resolver.replace(at: PackagePath.strippedComponents(path))
            try drain(reader, entry: entry)
        case .regular:
            try processFile(header, components: PackagePath.strippedComponents(path), entry: entry, reader: reader)
        }
    }

    /// Entries and the directories created for them share one budget (no inode multiplication).
    private func countEntry(_ entry: String) throws(TarballError) {
        entryCount += 1
        guard entryCount <= limits.maxEntries else {
            throw TarballError(.tooManyEntries, entry: entry, "expected at most \(limits.maxEntries) entries and created directories")
        }
    }

    private func processLink(_ header: ArchiveEntryHeader, components: [String], entry: String) throws(TarballError) {
        let target = try PackagePath.decodedLinkTarget(header.linkTargetBytes ?? [], entry: entry, limits: limits)
        let directory: [String]
        let relative: String
        if header.type == .symlink {
            directory = Array(components.dropLast())
            relative = target
        } else {
            // Hard-link targets name archive entries, so they are stripped like entry paths.
            let parts = PackagePath.rawComponents(target)
            if let first = parts.first, PackagePath.isDotDot(first) {
                throw TarballError(.linkEscape, entry: entry,
                                   "expected hard link target '\(target)' inside the package, found one above the archive root")
            }
            directory = []
            relative = target.utf8.first == UInt8(ascii: "/") ? target : parts.dropFirst().joined(separator: "/")
        }
        if let reason = resolver.escape(from: directory, target: relative) {
            throw TarballError(.linkEscape, entry: entry,
                               "expected link target '\(target)' to stay inside the package, but \(reason)")
        }
        pendingLinkChecks.append((entry, directory, relative))
        if header.type == .symlink { resolver.recordSymlink(at: components, target: target) }
        if !components.isEmpty { skippedLinks.append(components.joined(separator: "/")) }
    }

    private func processFile(_ header: ArchiveEntryHeader, components: [String], entry: String,
                             reader: ArchiveReader) throws(TarballError) {
        guard !components.isEmpty else { return try drain(reader, entry: entry) }  // the package root itself
        var target = components
        let strippedPath = PackagePath.bytes(components)
        let isBin = executablePaths.contains(strippedPath)
        // npm publishes .gitignore as .npmignore; an explicit .npmignore seen earlier wins. pacote
        // knows them by the path in the archive, before the top folder is stripped (found by
        // review: `other/.gitignore` replaced `package/.npmignore` for npm, not for us).
        // pacote's basename of the archive path: `package/.gitignore/.` is no .gitignore to it.
        let last = (PackagePath.rawComponents(entry).last ?? "").utf8
        if last.elementsEqual(".npmignore".utf8) {
            seenNpmignores.insert(header.pathBytes)
        } else if last.elementsEqual(".gitignore".utf8) {
            target[target.count - 1] = ".npmignore"
            let raw = header.pathBytes, suffix = Array(".gitignore".utf8)
            let renamed = raw.suffix(suffix.count).elementsEqual(suffix) ? raw.dropLast(suffix.count) + Array(".npmignore".utf8) : raw
            if seenNpmignores.contains(renamed) { return try drain(reader, entry: entry) }
        }
        resolver.replace(at: target)

        let mode = Self.npmFileMode(header.permissions, isBin: isBin)
        let file = try parentDirectory(of: target, entry: entry).createFile(target[target.count - 1], mode: mode, entry: entry)
        let size = try stream(reader, entry: entry) { (chunk) throws(TarballError) in try file.write(chunk) }
        try file.finish(mode: mode)
        files[PackagePath.bytes(target)] = size
    }

    /// Opens (creating as needed) the directory that will hold `target`, never through a symlink.
    private func parentDirectory(of target: [String], entry: String) throws(TarballError) -> DirectoryHandle {
        let path = Array(target.dropLast())
        if let lastParent, lastParent.path.elementsEqual(path, by: { $0.utf8.elementsEqual($1.utf8) }) { return lastParent.handle }
        var directory = root
        for name in path {
            directory = try directory.subdirectory(name, entry: entry)
            if directory.wasCreated {
                try countEntry(entry)
                createdDirectories += 1
            }
        }
        lastParent = (path, directory)
        return directory
    }
}
