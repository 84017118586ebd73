import FixtureTesting
import Foundation
import LockfileFormats
import Testing

/// Which lockfile a project folder is verified by: npm's shrinkwrap before its package-lock, and
/// never one of two package managers' (found by review: a good package-lock.json beside a hostile
/// yarn.lock passed, having verified only the first).
@Suite struct LockfileDiscoveryTests {
    func folder(with files: [String], _ body: (URL) throws -> Void) async throws {
        try await withScratch("lockfile-discovery") { folder in
            for file in files { try Data("{}".utf8).write(to: folder.appendingPathComponent(file)) }
            try body(folder)
        }
    }

    @Test func npmReadsItsShrinkwrapBeforeItsPackageLock() async throws {
        try await folder(with: ["package-lock.json", "npm-shrinkwrap.json"]) { folder in
            let found = try LockfileReader.find(in: folder)
            #expect(found?.lastPathComponent == "npm-shrinkwrap.json")
        }
        try await folder(with: []) { folder in
            let found = try LockfileReader.find(in: folder)
            #expect(found == nil)
        }
    }

    @Test func lockfilesOfTwoPackageManagersAreRefused() async throws {
        for pair in [["package-lock.json", "yarn.lock"], ["pnpm-lock.yaml", "bun.lock"], ["yarn.lock", "bun.lockb"]] {
            try await folder(with: pair) { folder in
                let error = #expect(throws: LockfileError.self, "\(pair)") { try LockfileReader.find(in: folder) }
                #expect("\(error.map { "\($0)" } ?? "")".contains("more than one package manager"))
            }
        }
    }
}
