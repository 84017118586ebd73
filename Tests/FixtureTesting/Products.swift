public import Foundation

/// The built products (`verify-install`, `mochi-pkg`, `fixture-registry`, ...) of the build that made
/// the running tests: the folder `swift build --show-bin-path` names for that build. SwiftPM sets no
/// environment variable naming it for tests, so it is the folder holding the running test product
/// (`<bin>/<package>PackageTests.xctest`, the executable itself on Linux, the loaded bundle on macOS).
/// Nothing is guessed: no `.build/debug`, no other configuration, no search upwards.
public enum Products {
    /// The products folder, or why it could not be determined.
    public static var directory: URL {
        get throws { try located.get() }
    }

    /// `name` in the products folder; throws with a clear message when it is not built there.
    public static func executable(_ name: String) throws -> URL {
        let url = try directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ProductError("\(name) is not built in \(try directory.path), the products folder of these tests "
                               + "(run `swift build --build-tests` with the same configuration)")
        }
        return url
    }

    private static let located: Result<URL, ProductError> = {
        guard let product = testProduct() else {
            return .failure(ProductError("cannot find the running test product (\(CommandLine.arguments.first ?? "?")): "
                                         + "run the tests with `swift test`"))
        }
        return .success(product.deletingLastPathComponent())
    }()

    /// The running `.xctest` product: the test executable on Linux (`/proc/self/exe`), the loaded
    /// test bundle where a host process (xctest, swiftpm-testing-helper) runs it.
    private static func testProduct() -> URL? {
        #if os(Linux)
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let url = URL(fileURLWithPath: executable)
            if url.pathExtension == "xctest" { return url }
        }
        #endif
        if Bundle.main.bundleURL.pathExtension == "xctest" { return Bundle.main.bundleURL }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath(), executable.pathExtension == "xctest" {
            return executable
        }
        return Bundle.allBundles.first { $0.bundleURL.pathExtension == "xctest" }?.bundleURL
    }
}

/// A product the tests need is missing, or the products folder is unknown.
public struct ProductError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
