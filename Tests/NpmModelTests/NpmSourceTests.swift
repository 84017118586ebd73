import NpmModel
import Testing

/// What npm reads as a remote tarball whose integrity it checks, and what it reads as something
/// else: a git repository (cloned without an integrity check) or a local folder.
@Suite struct NpmSourceTests {
    @Test(arguments: [
        "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "http://127.0.0.1:4873/@s/b/-/b-1.0.0.tgz",
        "HTTPS://Registry.Example.com/a/-/a-1.0.0.tgz?token=x#frag", "http://[::1]:8080/a/-/a-1.0.0.tgz",
        "https://codeload.github.com/a/b/tar.gz/v1", "https://github.com./a/b",
    ])
    func aRemoteTarballURLIsAccepted(_ url: String) {
        #expect(NpmSource.remoteTarballRefusal(url) == nil, "\(url)")
    }

    /// Found by review (git hosts) and by a re-attack (the spellings libcurl fetched and our check
    /// did not judge: one slash, no scheme, user info without a scheme).
    @Test(arguments: [
        "http://github.com/evil/repo/tree/v1", "https://WWW.GitHub.com/evil/repo", "https://user@gitlab.com:443/a/b",
        "https://bitbucket.org/u/r/raw/main/p.tgz", "https://gist.github.com/x", "https://git.sr.ht/~u/r",
        "http:/github.com/evil/repo", "HTTPS:/bitbucket.org/u/r/raw/main/p.tgz", "x@0x7f000001/repo", "git@github.com/evil/repo",
        "github.com/evil/repo", "github.com:80/evil/repo", "http:///x", "http://%67ithub.com/a/b", "http://ｇｉｔｈｕｂ.com/a/b",
        "http://host/a b", "http://host/\ta", "git+https://github.com/a/b.git", "file:../x", "",
        // npm reads host A, libcurl host B (found by a re-attack), and user info in general.
        #"http://127.0.0.1:34001\@127.0.0.1:33823/a/-/a-1.0.0.tgz"#, "https://user:pass@registry.example.com/a/-/a-1.0.0.tgz",
    ])
    func anythingElseIsRefusedWithAReason(_ url: String) {
        #expect(NpmSource.remoteTarballRefusal(url) != nil, "\(url)")
    }
}
