import LibArchive

extension UnpackSession {
    // MARK: - Data and limits

    /// Reads the current entry's data, enforcing limits on bytes actually produced.
    func stream(_ reader: ArchiveReader, entry: String,
                        into sink: (UnsafeRawBufferPointer) throws(TarballError) -> Void) throws(TarballError) -> Int64 {
        var entryBytes: Int64 = 0
        while true {
            let count = try archiveStep(entry: entry, after: nil) { () throws(ArchiveError) in try reader.readData(into: buffer) }
            if count == 0 { return entryBytes }
            entryBytes += Int64(count)
            totalBytes += Int64(count)
            if entryBytes > limits.maxEntryBytes {
                throw TarballError(.entryTooLarge, entry: entry,
                                   "expected at most \(limits.maxEntryBytes) bytes per entry, found at least \(entryBytes)")
            }
            if totalBytes > limits.maxTotalBytes {
                throw TarballError(.tooLarge, entry: entry,
                                   "expected at most \(limits.maxTotalBytes) bytes in total, found at least \(totalBytes)")
            }
            try limits.checkStream(consumed: reader.decompressedBytesConsumed, entry: entry)
            try sink(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Consumes (and counts) the data of an entry that is not written.
    func drain(_ reader: ArchiveReader, entry: String) throws(TarballError) {
        _ = try stream(reader, entry: entry) { (_: UnsafeRawBufferPointer) throws(TarballError) in }
    }

    /// Runs one reader call, turning libarchive failures into `corruptArchive`.
    @discardableResult
    func archiveStep<R>(entry: String?, after previous: String?,
                                _ body: () throws(ArchiveError) -> R) throws(TarballError) -> R {
        do {
            return try body()
        } catch {
            if let exceeded = reader?.exceededLimit { throw TarballError(.tooLarge, entry: entry ?? previous, exceeded) }
            let place = entry == nil ? previous.map { " after entry '\($0)'" } ?? "" : ""
            throw TarballError(.corruptArchive, entry: entry,
                               "expected a well-formed gzipped tar archive\(place), found: \(error.message)")
        }
    }
}
