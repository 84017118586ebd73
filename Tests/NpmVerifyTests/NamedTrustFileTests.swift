import FixtureTesting
import Foundation
import NpmVerify
import Testing
import CodedError
#if canImport(Glibc)
import Glibc
#endif

/// Files named on the command line (`--trusted-root`, `--registry-keys`, `--policy`) are read
/// bounded and never from a FIFO (found by review: they were read whole, so a FIFO hung the run).
@Suite struct NamedTrustFileTests {
    @Test func aFIFOOrAMissingFileIsRefusedAtOnceNamingTheFile() async throws {
        try await withScratch("named-trust-files") { folder in
            let fifo = folder.appendingPathComponent("trusted_root.json")
            #expect(mkfifo(fifo.path, 0o600) == 0)
            let missing = folder.appendingPathComponent("absent.json").path
            let resolver = TrustRootResolver.publicGood(cacheRoot: folder)

            let root = await #expect(throws: NpmVerifyError.self) { try await resolver.trustedRoot(fifo.path) }
            #expect(root?.message == "cannot read \(fifo.path): not a regular file", "\(String(describing: root))")
            let absent = await #expect(throws: NpmVerifyError.self) { try await resolver.trustedRoot(missing) }
            #expect(absent?.message == "cannot read \(missing): No such file or directory", "\(String(describing: absent))")

            let keys = #expect(throws: NpmVerifyError.self) { try RegistryKeyTrust.pinning(file: fifo.path) }
            #expect(keys?.message.hasSuffix("\(fifo.path): not a regular file") == true, "\(String(describing: keys))")
            let policy = #expect(throws: NpmVerifyError.self) { try ProvenancePolicy.load(contentsOf: fifo) }
            #expect(policy?.message.hasSuffix("\(fifo.path): not a regular file") == true, "\(String(describing: policy))")
        }
    }
}
