import Foundation
import LibArchive
import Testing

/// The wrapper itself: arbitrary entries survive a write/read round trip; failures are typed.
@Suite struct LibArchiveTests {
    @Test func writerEmitsArbitraryEntriesThatReaderReportsFaithfully() throws {
        let writer = try ArchiveWriter(format: .pax, compression: .gzip(level: 1))
        let specs = [
            ArchiveEntrySpec(path: "/abs/../x", permissions: 0o4755, size: 3, modificationTime: 1_700_000_000,
                             userID: 501, groupID: 20, userName: "someone", groupName: "staff"),
            ArchiveEntrySpec(path: "dir/", type: .directory, permissions: 0o700),
            ArchiveEntrySpec(path: "link", type: .symlink, permissions: 0o777, linkTarget: "../../etc"),
            ArchiveEntrySpec(path: "hard", type: .hardlink, linkTarget: "/abs/../x"),
            ArchiveEntrySpec(path: "tty", type: .characterDevice, permissions: 0o620, deviceMajor: 4, deviceMinor: 1),
            ArchiveEntrySpec(path: "disk", type: .blockDevice, permissions: 0o660, deviceMajor: 8, deviceMinor: 16),
            ArchiveEntrySpec(path: "pipe", type: .fifo, permissions: 0o600),
        ]
        try writer.writeEntry(specs[0], contents: Array("abc".utf8))
        for spec in specs.dropFirst() { try writer.writeEntry(spec) }
        let reader = try ArchiveReader(bytes: try writer.finish())

        var headers: [ArchiveEntryHeader] = []
        while let header = try reader.nextEntry() {
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = try buffer.withUnsafeMutableBytes { try reader.readData(into: $0) }
            #expect(count == Int(header.size ?? 0))
            headers.append(header)
        }
        try reader.close()

        #expect(headers.map(\.path) == specs.map(\.path))
        #expect(headers.map(\.type) == specs.map(\.type))
        #expect(headers[0].permissions == 0o4755 && headers[0].size == 3 && headers[0].modificationTime == 1_700_000_000)
        #expect(headers[0].userID == 501 && headers[0].groupID == 20)
        #expect(headers[2].linkTarget == "../../etc")
        #expect(headers[3].linkTarget == "/abs/../x")
        #expect(headers[4].deviceMajor == 4 && headers[4].deviceMinor == 1)
        #expect(headers[5].deviceMajor == 8 && headers[5].deviceMinor == 16)
    }

    @Test func readerReportsLibarchiveErrorText() throws {
        do {
            let reader = try ArchiveReader(bytes: Array("definitely not an archive".utf8))
            _ = try reader.nextEntry()
            Issue.record("garbage was accepted as an archive")
        } catch {
            #expect(error.status == .fatal)
            #expect(["archive_read_open", "archive_read_next_header2"].contains(error.operation))
            #expect(error.message.contains("Unrecognized archive format"), "\(error)")
        }
    }

    @Test func writerRefusesUseAfterFinishAndNulInNames() throws {
        let writer = try ArchiveWriter()
        #expect(throws: ArchiveError.self) { try writer.writeHeader(ArchiveEntrySpec(path: "a\u{0}b")) }
        _ = try writer.finish()
        #expect(throws: ArchiveError.self) { try writer.writeHeader(ArchiveEntrySpec(path: "late")) }
    }
}
