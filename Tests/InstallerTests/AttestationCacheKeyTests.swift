import FixtureTesting
import Foundation
@testable import Installer
import Testing

/// The key that tags cached attestation responses is only trusted where whoever can write the
/// cache cannot plant one (found by review: a key restored with the cache it tags, or put in the
/// project by an empty HOME, vouched for planted entries or shipped with `npm pack`).
@Suite struct AttestationCacheKeyTests {
    @Test func aKeyIsCreatedOnceAndReadBack() throws {
        try withScratch("cache-key") { scratch in
            let folder = scratch.appendingPathComponent("state/verify-install")
            let first = try AttestationCacheKey.load(folder: folder, apart: [scratch.appendingPathComponent("cache")])
            let second = try AttestationCacheKey.load(folder: folder, apart: [scratch.appendingPathComponent("cache")])
            #expect(first.bytes == second.bytes && first.bytes.count == 32)
            let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("cache.key").path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func aKeyInsideOrAroundTheCacheOrTheProjectIsRefused() throws {
        try withScratch("cache-key-apart") { scratch in
            let cache = scratch.appendingPathComponent("cache")
            for (folder, apart) in [(cache.appendingPathComponent("state"), cache), (scratch, cache), (cache, cache)] {
                let error = #expect(throws: AttestationCacheKey.KeyError.self) { try AttestationCacheKey.load(folder: folder, apart: [apart]) }
                #expect(error?.description.contains("lie one inside the other") == true, "\(folder.path)")
            }
            // Through a link too.
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            let alias = scratch.appendingPathComponent("alias")
            try FileManager.default.createSymbolicLink(at: alias, withDestinationURL: cache)
            #expect(throws: AttestationCacheKey.KeyError.self) { try AttestationCacheKey.load(folder: alias.appendingPathComponent("state"), apart: [cache]) }
            // `..` after a link is the kernel's to resolve (found by review: `out/l/..` put the key in
            // the project), and one left in a path that does not exist yet is refused.
            let project = scratch.appendingPathComponent("project/deep")
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            let outside = scratch.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: outside.appendingPathComponent("l"), withDestinationURL: project)
            let climbed = URL(fileURLWithPath: outside.path + "/l/../verify-install")
            #expect(throws: AttestationCacheKey.KeyError.self) { try AttestationCacheKey.load(folder: climbed, apart: [project.deletingLastPathComponent()]) }
            let unresolved = URL(fileURLWithPath: outside.path + "/missing/../state")
            #expect(throws: AttestationCacheKey.KeyError.self) { try AttestationCacheKey.load(folder: unresolved, apart: [cache]) }
        }
    }

    @Test func aFolderOthersMayWriteOrAKeyWithTwoLinksIsRefused() throws {
        try withScratch("cache-key-modes") { scratch in
            let shared = scratch.appendingPathComponent("shared")
            try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
            chmod(shared.path, 0o777)
            let open = #expect(throws: AttestationCacheKey.KeyError.self) { try AttestationCacheKey.load(folder: shared, apart: []) }
            #expect(open?.description.contains("only this user may write") == true, "\(open?.description ?? "")")

            let folder = scratch.appendingPathComponent("state")
            _ = try AttestationCacheKey.load(folder: folder, apart: [])
            try FileManager.default.linkItem(at: folder.appendingPathComponent("cache.key"), to: scratch.appendingPathComponent("copy"))
            let linked = #expect(throws: AttestationCacheKey.KeyError.self) { try AttestationCacheKey.load(folder: folder, apart: []) }
            #expect(linked?.description.contains("with one link") == true, "\(linked?.description ?? "")")
        }
    }

    @Test func anEmptyOrRelativeHomeIsUnset() throws {
        let account = UserFolders.home(environment: [:])
        #expect(account?.path.hasPrefix("/") ?? true)
        for environment in [["HOME": ""], ["HOME": "relative"], ["HOME": "", "XDG_STATE_HOME": "rel"]] {
            #expect(UserFolders.home(environment: environment) == account, "\(environment)")
            #expect(AttestationCacheKey.defaultFolder(environment: environment)?.path.hasPrefix("/") ?? true, "\(environment)")
        }
        #expect(AttestationCacheKey.defaultFolder(environment: ["XDG_STATE_HOME": "/s"])?.path == "/s/verify-install")
        // State kept in or around the cache it protects is none (the TUF high-water marks).
        #expect(AttestationCacheKey.defaultFolder(environment: ["XDG_STATE_HOME": "/c/state"], apart: [URL(fileURLWithPath: "/c")]) == nil)
        #expect(AttestationCacheKey.defaultFolder(environment: ["XDG_STATE_HOME": "/s"], apart: [URL(fileURLWithPath: "/s/verify-install/cache")]) == nil)
        #expect(AttestationCacheKey.defaultFolder(environment: ["XDG_STATE_HOME": "/s"], apart: [URL(fileURLWithPath: "/c")])?.path == "/s/verify-install")
        #expect(try ContentCache.defaultRoot(environment: ["HOME": "/h"]).path == "/h/.cache/verify-install")
    }
}
