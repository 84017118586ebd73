internal import CArchive

/// A description of an entry to write, deliberately unrestricted.
///
/// Any path, type, link target, size, mode and device numbers can be expressed, because the same
/// writer builds both well-formed packages and the hostile archives that test the unpacker.
public struct ArchiveEntrySpec: Sendable, Equatable {
    /// Path stored in the archive, used verbatim (`..`, leading `/`, anything).
    public var path: String
    public var type: ArchiveEntryType
    /// Permission bits (`0o7777` range).
    public var permissions: UInt32
    /// Size written into the header. Data written afterwards is truncated or zero-padded to it.
    public var size: Int64
    /// Symlink target, or for `.hardlink` the path of the entry being linked to.
    public var linkTarget: String?
    /// Seconds since the Unix epoch.
    public var modificationTime: Int64
    public var userID: Int64
    public var groupID: Int64
    /// `nil` leaves the name field empty (what reproducible packers want).
    public var userName: String?
    public var groupName: String?
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32

    /// Creates a spec; every field but the path has a neutral default.
    public init(path: String, type: ArchiveEntryType = .regular, permissions: UInt32 = 0o644,
                size: Int64 = 0, linkTarget: String? = nil, modificationTime: Int64 = 0,
                userID: Int64 = 0, groupID: Int64 = 0, userName: String? = nil, groupName: String? = nil,
                deviceMajor: UInt32 = 0, deviceMinor: UInt32 = 0) {
        self.path = path
        self.type = type
        self.permissions = permissions
        self.size = size
        self.linkTarget = linkTarget
        self.modificationTime = modificationTime
        self.userID = userID
        self.groupID = groupID
        self.userName = userName
        self.groupName = groupName
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
    }

    // MARK: - Transfer into libarchive

    /// Fills a cleared libarchive entry from this spec. Strings with NUL bytes are refused because
    /// C strings would silently truncate them.
    func apply(to entry: OpaquePointer) throws(ArchiveError) {
        for (name, value) in [("path", path), ("link target", linkTarget), ("user name", userName),
                              ("group name", groupName)] {
            if let value, value.utf8.contains(0) {
                throw ArchiveError(operation: "archive_write_header", status: .rejected,
                                   message: "\(name) of entry '\(path)' contains a NUL byte")
            }
        }
        if !ArchiveLocale.isUTF8Available {
            // Without a UTF-8 locale libarchive would crash or mangle non-ASCII names.
            for value in [path, linkTarget ?? "", userName ?? "", groupName ?? ""] where !value.utf8.allSatisfy({ $0 < 0x80 }) {
                throw ArchiveError(operation: "archive_write_header", status: .rejected,
                                   message: "non-ASCII name '\(value)' needs a UTF-8 locale, and none is installed")
            }
        }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_filetype(entry, type.fileTypeBits)
        archive_entry_set_perm(entry, mode_t(permissions & 0o7777))
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, time_t(modificationTime), 0)
        archive_entry_set_uid(entry, userID)
        archive_entry_set_gid(entry, groupID)
        if let userName { archive_entry_set_uname_utf8(entry, userName) }
        if let groupName { archive_entry_set_gname_utf8(entry, groupName) }
        switch type {
        case .symlink: archive_entry_set_symlink_utf8(entry, linkTarget ?? "")
        case .hardlink: archive_entry_set_hardlink_utf8(entry, linkTarget ?? "")
        case .characterDevice, .blockDevice:
            archive_entry_set_rdevmajor(entry, dev_t(deviceMajor))
            archive_entry_set_rdevminor(entry, dev_t(deviceMinor))
        default: break
        }
    }
}
