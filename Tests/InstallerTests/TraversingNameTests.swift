import Foundation
import Installer
import Testing

/// `@s/..` and `@s/.` resolve to `node_modules` itself or its parent: refused wherever they appear.
@Suite struct TraversingNameTests {
    @Test(arguments: ["@s/..", "@s/."])
    func lockfileEntryWithTraversingNameIsRefused(name: String) async throws {
        try await TestRegistry.with { registry in
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let lock = """
                {"name":"app","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{
                  "":{"name":"app","version":"1.0.0"},
                  "node_modules/\(name)":{"name":"\(name)","version":"1.0.0","resolved":"\(registry.url)x/-/x-1.0.0.tgz",
                    "integrity":"sha512-\(String(repeating: "A", count: 86))=="}}}
                """
            try Data(lock.utf8).write(to: project.directory.appendingPathComponent("package-lock.json"))
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 2, "\(String(describing: error))")
            #expect(error?.message.contains(name) == true)
        }
    }

    @Test func dependencyWithTraversingNameIsRefused() async throws {
        try await TestRegistry.with { registry in
            let project = try TestProject(packageJSON: #"{"name":"app","dependencies":{"@s/..":"1.0.0"}}"#)
            let error = await #expect(throws: InstallError.self) { try await project.install(registry) }
            #expect(error?.exitCode == 2, "\(String(describing: error))")
            #expect(error?.message.contains("@s/..") == true)
        }
    }
}
