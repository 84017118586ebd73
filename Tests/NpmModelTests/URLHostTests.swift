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
        // A delimiter followed by a combining mark is one Character but still a delimiter.
        "http://127.0.0.2:39453/\u{301}@127.0.0.1:39453/x.tgz", "https://evil.example?\u{301}@registry.npmjs.org/",
        "https://evil.example#\u{301}@registry.npmjs.org/", "https://evil.example/\u{20DD}@registry.npmjs.org/x",
    ])
    func readsTheHostAsURLComponentsDoes(url: String) {
        #expect(URLHost.of(url) == URLComponents(string: url)?.host)
    }

    /// The delimiter rule pinned on its own (URLComponents might refuse such a URL altogether).
    @Test func hostEndsAtADelimiterWhateverFollowsIt() {
        let url = "http://127.0.0.2:39453/\u{301}@127.0.0.1:39453/x.tgz"
        #expect(URLHost.of(url, parsed: URLComponents(string: "http://127.0.0.2:39453/")!) == "127.0.0.2")
    }
}
