import Foundation
import Integrity
import Tarball

// Tarball: `TarballUnpacker().unpack` of the in-memory input into a fresh scratch folder
// (under $TMPDIR), removed after each input, with the default limits. The unpacker takes only
// verified bytes, so each input is verified against its own SHA-512 first.
let scratch: URL = {
    let base = URL(fileURLWithPath: NSTemporaryDirectory())
        .appendingPathComponent("fuzz-tarball-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: base)
    try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    return base
}()
nonisolated(unsafe) var serial = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = fuzzData(start, count)
    serial += 1
    let destination = scratch.appendingPathComponent("u\(serial)/package")
    defer { try? FileManager.default.removeItem(at: destination.deletingLastPathComponent()) }
    let verified = try! VerifiedBytes.verify(data, against: .of(data), subject: "fuzz input", source: "libFuzzer")
    _ = try? TarballUnpacker().unpack(verified, into: destination, executablePaths: ["bin/cli.js", "cli.js"])
    // Nothing may land outside the destination.
    let siblings = (try? FileManager.default.contentsOfDirectory(atPath: destination.deletingLastPathComponent().path)) ?? []
    precondition(siblings.allSatisfy { $0 == "package" }, "unpack wrote outside its destination: \(siblings)")
    return 0
}
