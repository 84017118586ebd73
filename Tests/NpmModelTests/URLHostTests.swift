import Foundation
import NpmModel
import Testing

/// `URLHost.of` against `URLComponents.host`, which it stands in for without reaching ICU.
@Suite struct URLHostTests {
    @Test(arguments: [
        "https://registry.npmjs.org/", "https://REGISTRY.npmjs.org:443/x", "http://127.0.0.1:4873/", "https://registry%2Enpmjs.org/",
        "https://user:pw@Host.Example/a?b#c", "https://[::1]:80/", "https://[::1/", "not a url", "https:///x", "https://reg istry/",
        "https://h:99999/", "https://h:x/", "registry.npmjs.org", "//host/x", "file:///x", "https://h/%zz", "https://h%/",
        "https://a:b@c:d@host:1/", "HTTPS://Host/", "https://h#frag", "https://h%41/", "https://%/", "https://user@/x", "http:/x",
        "mailto:a@b", "https://h%C3%A9/", "https://h%FF/", "https://%5B::1%5D/", "https://a%40b@h/", "https://xn--nw2a.xn--j6w193g/",
        "https://Bücher.example/",
    ])
    func readsTheHostAsURLComponentsDoes(url: String) {
        #expect(URLHost.of(url) == URLComponents(string: url)?.host)
    }
}
