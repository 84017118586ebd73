import FixtureTesting
import Foundation
import Testing

/// An OpenSSL configuration that leaves no digests (a FIPS default property without the FIPS
/// provider) stops verify-install at start-up with the reason, instead of a trap halfway through.
@Suite struct OpenSSLConfigurationTests {
    static let fipsOnly = """
        openssl_conf = openssl_init
        [openssl_init]
        alg_section = evp_properties
        [evp_properties]
        default_properties = fips=yes

        """

    @Test func aConfigurationWithoutDigestsIsAUsageErrorNamingTheCause() async throws {
        try await withScratch("openssl-conf") { folder in
            let configuration = folder.appendingPathComponent("openssl.cnf")
            try Data(Self.fipsOnly.utf8).write(to: configuration)
            let tool = try Products.executable("verify-install")
            let environment = ["OPENSSL_CONF": configuration.path, "HOME": folder.path]
            let install = try await ProcessRunner.run(tool, ["install", "left-pad", "--registry", "http://127.0.0.1:9/",
                                                             "--prefix", folder.appendingPathComponent("app").path, "--json"],
                                                      environment: environment)
            #expect(install.status == 2)
            #expect(install.stderr.contains("OpenSSL cannot compute SHA1 in this configuration"), "\(install.stderr)")
            #expect(install.stdout.contains(#""ok" : false"#), "\(install.stdout)")
            let bundle = try await ProcessRunner.run(tool, ["verify-bundle", "--bundle", configuration.path, configuration.path],
                                                     environment: environment)
            #expect(bundle.status == 2 && bundle.stderr.contains("OPENSSL_CONF"), "\(bundle.status) \(bundle.stderr)")
            let help = try await ProcessRunner.run(tool, ["install", "--help"], environment: environment)
            #expect(help.status == 0)
        }
    }
}
