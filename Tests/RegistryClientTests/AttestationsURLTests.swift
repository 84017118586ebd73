import RegistryClient
import Testing

/// Where the audit asks for attestations: the registry, with the advertised URL's path, as pacote does.
@Suite struct AttestationsURLTests {
    @Test func theAdvertisedPathGoesToTheRegistry() {
        #expect(RegistryClient.attestationsURL(registry: "http://127.0.0.1:4873/", advertised: "https://elsewhere.example/-/npm/v1/attestations/a@1.0.0")
            == "http://127.0.0.1:4873/-/npm/v1/attestations/a@1.0.0")
    }

    /// Found by review: a path that does not start with `/` became user info after the registry's
    /// `host:port`, and the request went to the host the packument chose.
    @Test(arguments: ["http:@127.0.0.1:34001/-/npm/v1/attestations/a@1.0.0", "http:.evil.example/x", "not a url"])
    func anAdvertisedURLWhosePathIsNotAbsoluteIsRefused(_ advertised: String) {
        #expect(RegistryClient.attestationsURL(registry: "http://127.0.0.1:34002/", advertised: advertised) == nil, "\(advertised)")
    }
}
