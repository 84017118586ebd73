import Testing
import TUF

/// Role names are encoded like python-tuf's `quote(name, safe="")` (URLs and file names); target
/// paths keep their `/` but never a dot segment.
@Suite struct EncodingTests {
    @Test(arguments: [("?", "%3F"), ("#", "%23"), ("/delegatedrole", "%2Fdelegatedrole"),
                      ("../delegatedrole", "..%2Fdelegatedrole"), ("bin-0f", "bin-0f"), ("é~_", "%C3%A9~_")])
    func roleNames(name: String, encoded: String) {
        #expect(TUFEncoding.component(name) == encoded)
    }

    @Test func targetPaths() {
        #expect(TUFEncoding.path("a/b c/x.tgz") == "a/b%20c/x.tgz")
        #expect(TUFEncoding.path("../../etc/passwd") == "%2E%2E/%2E%2E/etc/passwd")
        #expect(TUFEncoding.path("./a?b#c") == "%2E/a%3Fb%23c")
    }

    @Test func hex() {
        #expect(TUFEncoding.hex([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(TUFEncoding.unhex("00ABff") == [0x00, 0xAB, 0xFF])
        #expect(TUFEncoding.unhex("abc") == nil && TUFEncoding.unhex("zz") == nil)
    }
}
