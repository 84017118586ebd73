internal import CArchive

// MARK: - Archive handle

/// Owns one `struct archive *` (reader or writer) and frees it exactly once.
///
/// The pointer is only ever lent out inside `withUnsafeArchive`, so it cannot outlive its owner.
/// `context` keeps callback state (the byte source or sink) alive until after the archive is
/// freed: stored properties are released only once `deinit`'s body has run.
final class ArchiveHandle {
    enum Kind { case read, write }

    private let pointer: OpaquePointer
    private let kind: Kind
    /// Callback client data; must outlive `pointer`.
    var context: AnyObject?

    init(kind: Kind) throws(ArchiveError) {
        let created: OpaquePointer? = switch kind {
        case .read: archive_read_new()
        case .write: archive_write_new()
        }
        guard let created else {
            throw ArchiveError(operation: kind == .read ? "archive_read_new" : "archive_write_new",
                               status: .fatal, message: "libarchive could not allocate an archive object")
        }
        self.pointer = created
        self.kind = kind
    }

    deinit {
        // Freeing also closes; its status cannot be reported from deinit. Callers that care about
        // the close result call `archive_*_close` explicitly (ArchiveReader.close / ArchiveWriter.finish).
        switch kind {
        case .read: _ = archive_read_free(pointer)
        case .write: _ = archive_write_free(pointer)
        }
    }

    /// Lends the raw pointer to `body` for the duration of the call, under a UTF-8 `LC_CTYPE`
    /// so libarchive's name conversions behave (see `ArchiveLocale`).
    func withUnsafeArchive<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try ArchiveLocale.withUTF8 { () throws(E) -> R in try body(pointer) }
    }

    // MARK: - Status checking

    /// Builds an `ArchiveError` from the archive's current error state.
    func error(_ operation: String, code: Int) -> ArchiveError {
        withUnsafeArchive { archive in
            let text = archive_error_string(archive).map { String(cString: $0) }
            return ArchiveError(operation: operation, status: ArchiveError.Status(code: code),
                                errorNumber: archive_errno(archive),
                                message: text ?? "libarchive returned \(code) without an error message")
        }
    }

    /// Throws unless `code` is `ARCHIVE_OK`. Warnings count as failures: this wrapper is strict.
    func check(_ code: Int32, _ operation: String) throws(ArchiveError) {
        guard code != ARCHIVE_OK else { return }
        throw error(operation, code: Int(code))
    }
}

// MARK: - Entry handle

/// Owns one `struct archive_entry *` and frees it in `deinit`.
final class ArchiveEntryHandle {
    private let pointer: OpaquePointer

    init() throws(ArchiveError) {
        guard let created = archive_entry_new() else {
            throw ArchiveError(operation: "archive_entry_new", status: .fatal,
                               message: "libarchive could not allocate an entry object")
        }
        pointer = created
    }

    deinit { archive_entry_free(pointer) }

    /// Lends the raw entry pointer to `body` for the duration of the call.
    func withUnsafeEntry<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }
}
