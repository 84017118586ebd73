import Testing
@testable import FixtureRegistry

@Suite("Request paths map to package names in one place")
struct RegistryRouteTests {
    @Test(arguments: ["/@mochi%2fexample", "/@mochi%2Fexample", "/@mochi/example", "/%40mochi%2fexample"])
    func scopedPackumentInEveryEncoding(path: String) throws {
        #expect(try RegistryRoute.resolve(path: path) == .packument(try PackageName("@mochi/example")))
    }

    @Test func plainPackumentAndVersionDocument() throws {
        let name = try PackageName("left-pad")
        #expect(try RegistryRoute.resolve(path: "/left-pad") == .packument(name))
        #expect(try RegistryRoute.resolve(path: "/left-pad/1.3.0") == .manifest(name, spec: "1.3.0"))
        #expect(try RegistryRoute.resolve(path: "/@mochi/example/latest") == .manifest(try PackageName("@mochi/example"), spec: "latest"))
    }

    @Test(arguments: [
        "/@mochi/example/-/example-2.0.0-beta.1.tgz",
        "/@mochi%2fexample/-/example-2.0.0-beta.1.tgz",
    ])
    func scopedTarball(path: String) throws {
        #expect(try RegistryRoute.resolve(path: path) == .tarball(try PackageName("@mochi/example"), version: "2.0.0-beta.1"))
    }

    @Test func pingAndUnknownDashRoutes() throws {
        #expect(try RegistryRoute.resolve(path: "/-/ping") == .ping)
        #expect(try RegistryRoute.resolve(path: "/-/whoami") == .whoami)
        #expect(try RegistryRoute.resolve(path: "/-/nope") == nil)
        #expect(try RegistryRoute.resolve(path: "/") == nil)
        #expect(try RegistryRoute.resolve(path: "/a/b/c/d/e") == nil)
    }

    @Test func prefixIsRequiredAndStripped() throws {
        let prefix = try RegistryRoute.normalize(prefix: "npm")
        #expect(prefix == "/npm/")
        #expect(try RegistryRoute.resolve(path: "/npm/-/ping", prefix: prefix) == .ping)
        #expect(try RegistryRoute.resolve(path: "/npm/@mochi%2fexample", prefix: prefix) == .packument(try PackageName("@mochi/example")))
        #expect(try RegistryRoute.resolve(path: "/-/ping", prefix: prefix) == nil)
        #expect(try RegistryRoute.normalize(prefix: "/") == "/")
        #expect(throws: RegistryError.self) { try RegistryRoute.normalize(prefix: "/../etc") }
    }

    @Test(arguments: ["/..", "/.hidden", "/_private", "/foo%2fbar", "/@scope", "/@mochi/..", "/node_modules", "/UPPER%20case"])
    func hostileOrInvalidNamesAreRefused(path: String) {
        #expect(throws: RegistryError.self) { try RegistryRoute.resolve(path: path) }
    }

    @Test(arguments: ["/x%00y", "/%zz", "/a//b"])
    func undecodableOrEmptySegmentsAreNotFound(path: String) throws {
        #expect(try RegistryRoute.resolve(path: path) == nil)
    }

    @Test func tarballFileMustBelongToThePackage() {
        #expect(throws: RegistryError.self) { try RegistryRoute.resolve(path: "/@mochi/example/-/runtime-1.0.0.tgz") }
        #expect(throws: RegistryError.self) { try RegistryRoute.resolve(path: "/left-pad/-/left-pad-..%2f..%2fetc.tgz") }
        #expect(throws: RegistryError.self) { try RegistryRoute.resolve(path: "/left-pad/-/left-pad-1.0.0.zip") }
    }

    @Test(arguments: ["1.0.0", "2.0.0-beta.1", "1.0.0+build.7", "0.0.0-A-z"])
    func semverTarballVersionsResolve(version: String) throws {
        #expect(try RegistryRoute.resolve(path: "/left-pad/-/left-pad-\(version).tgz") == .tarball(try PackageName("left-pad"), version: version))
    }

    /// A version names a file: only ASCII semver characters, an ASCII digit first, no `..`.
    @Test(arguments: ["v1.0.0", "\u{0661}.0.0", "1.0.0\u{0301}", "1..0", "1.0.0/x", "1.0.0 ", "-1.0.0", String(repeating: "1", count: RegistryLimits.maxVersionLength + 1)])
    func nonSemverVersionsAreRefused(version: String) {
        #expect(throws: RegistryError.self) { try PackageName.validate(version: version) }
    }

    @Test func nameComponentsAreAsciiOnly() {
        #expect(throws: RegistryError.self) { try PackageName("caf\u{00E9}") }
        #expect(throws: RegistryError.self) { try PackageName("@sc\u{0301}ope/x") }
        #expect(throws: Never.self) { try PackageName("@s/a.b_c-d~e") }
    }

    @Test func tooLongNameIsRefused() {
        let long = String(repeating: "a", count: RegistryLimits.maxPackageNameLength + 1)
        #expect(throws: RegistryError.self) { try PackageName(long) }
    }

    @Test func nameForms() throws {
        let scoped = try PackageName("@mochi/example")
        #expect(scoped.escaped == "@mochi%2fexample")
        #expect(scoped.tarballPath(version: "1.0.0") == "@mochi/example/-/example-1.0.0.tgz")
        #expect(scoped.version(fromTarballFileName: "example-1.0.0.tgz") == "1.0.0")
        #expect(try PackageName("left-pad").tarballPath(version: "1.3.0") == "left-pad/-/left-pad-1.3.0.tgz")
    }
}
