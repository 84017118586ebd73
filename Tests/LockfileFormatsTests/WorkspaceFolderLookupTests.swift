@testable import LockfileFormats
import Testing

/// Which workspace folder of a package-lock.json holds an entry's path.
@Suite struct WorkspaceFolderLookupTests {
    @Test func theLongestFolderThePathLiesBelowIsFound() {
        let folders: Set<String> = ["packages/a", "packages/a/sub", "tools"]
        #expect(NpmLockParser.workspaceFolder(holding: "packages/a/node_modules/x", among: folders) == "packages/a")
        #expect(NpmLockParser.workspaceFolder(holding: "packages/a/sub/node_modules/x/node_modules/y", among: folders) == "packages/a/sub")
        #expect(NpmLockParser.workspaceFolder(holding: "node_modules/x", among: folders) == nil)
        #expect(NpmLockParser.workspaceFolder(holding: "packages/ab/node_modules/x", among: folders) == nil)
        #expect(NpmLockParser.workspaceFolder(holding: "tools/node_modules", among: folders) == nil)
        // Bytes, not canonical equivalence: e + U+0301 is not é.
        #expect(NpmLockParser.workspaceFolder(holding: "caf\u{E9}/node_modules/x", among: ["cafe\u{301}"]) == nil)
    }
}
