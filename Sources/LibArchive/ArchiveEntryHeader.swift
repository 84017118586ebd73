internal import CArchive

// MARK: - Entry type

/// What kind of filesystem object an archive entry describes.
public enum ArchiveEntryType: Sendable, Hashable {
    case regular
    case directory
    case symlink
    /// A tar hard link: the entry refers to an earlier entry by path (`linkTarget`).
    case hardlink
    case characterDevice
    case blockDevice
    case fifo
    case socket
    /// A file-type value libarchive reported that none of the above covers.
    case unknown(UInt32)

    // The AE_IF* macros are casts, which Swift does not import; their values are fixed by POSIX tar.
    static let typeMask: UInt32 = 0o170000

    /// The `AE_IF*` file-type bits for this type (hard links are regular files with a link target).
    var fileTypeBits: UInt32 {
        switch self {
        case .regular, .hardlink: 0o100000
        case .directory: 0o040000
        case .symlink: 0o120000
        case .characterDevice: 0o020000
        case .blockDevice: 0o060000
        case .fifo: 0o010000
        case .socket: 0o140000
        case .unknown(let bits): bits & Self.typeMask
        }
    }

    init(fileTypeBits bits: UInt32) {
        switch bits & Self.typeMask {
        case 0o100000: self = .regular
        case 0o040000: self = .directory
        case 0o120000: self = .symlink
        case 0o020000: self = .characterDevice
        case 0o060000: self = .blockDevice
        case 0o010000: self = .fifo
        case 0o140000: self = .socket
        default: self = .unknown(bits & Self.typeMask)
        }
    }
}

// MARK: - Header read from an archive

/// The metadata of one entry as read from an archive, copied out of libarchive so it is a plain value.
///
/// Paths are kept as raw bytes because archives are untrusted: callers decide how to treat
/// non-UTF-8 names instead of having them silently repaired.
public struct ArchiveEntryHeader: Sendable, Equatable {
    /// The entry's path exactly as stored (pax `path`, GNU long name or ustar name/prefix).
    public var pathBytes: [UInt8]
    public var type: ArchiveEntryType
    /// Permission bits (`mode & 0o7777`), including setuid/setgid/sticky.
    public var permissions: UInt32
    /// The size the header declares, or `nil` when the header carried none. Never trust it alone.
    public var size: Int64?
    /// Symlink target, or for `.hardlink` the archive path of the linked entry.
    public var linkTargetBytes: [UInt8]?
    public var modificationTime: Int64
    public var userID: Int64
    public var groupID: Int64
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32
    /// Whether the entry is a sparse file (old GNU `S`, or GNU sparse records in pax): libarchive
    /// rebuilds it with holes, npm's tar reader does not.
    public var isSparse = false

    /// `pathBytes` as a String, or `nil` if they are not valid UTF-8.
    public var path: String? { String(validating: pathBytes, as: UTF8.self) }
    /// `linkTargetBytes` as a String, or `nil` if absent or not valid UTF-8.
    public var linkTarget: String? { linkTargetBytes.flatMap { String(validating: $0, as: UTF8.self) } }

    /// Copies every field out of a libarchive entry.
    init(entry: OpaquePointer) {
        pathBytes = Self.bytes(archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry)) ?? []
        let hardlink = Self.bytes(archive_entry_hardlink(entry) ?? archive_entry_hardlink_utf8(entry))
        let filetype = UInt32(archive_entry_filetype(entry))
        if let hardlink {
            type = .hardlink
            linkTargetBytes = hardlink
        } else {
            type = ArchiveEntryType(fileTypeBits: filetype)
            linkTargetBytes = type == .symlink
                ? Self.bytes(archive_entry_symlink(entry) ?? archive_entry_symlink_utf8(entry)) ?? [] : nil
        }
        permissions = UInt32(archive_entry_perm(entry)) & 0o7777
        size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
        modificationTime = Int64(archive_entry_mtime(entry))
        userID = archive_entry_uid(entry)
        groupID = archive_entry_gid(entry)
        deviceMajor = UInt32(truncatingIfNeeded: archive_entry_rdevmajor(entry))
        deviceMinor = UInt32(truncatingIfNeeded: archive_entry_rdevminor(entry))
        isSparse = archive_entry_sparse_count(entry) > 0
    }

    private static func bytes(_ cString: UnsafePointer<CChar>?) -> [UInt8]? {
        guard let cString else { return nil }
        var length = 0
        while cString[length] != 0 { length += 1 }
        return UnsafeRawBufferPointer(start: cString, count: length).map { $0 }
    }
}
