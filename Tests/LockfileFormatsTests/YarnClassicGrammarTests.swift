import Foundation
import LockfileFormats
import Testing

/// yarn.lock is read with Yarn 1's own grammar: every field means what it means to Yarn, and
/// anything Yarn would read differently from a line-by-line reader is refused, naming the line.
@Suite struct YarnClassicGrammarTests {
    static let genuine = "sha512-" + String(repeating: "A", count: 86) + "=="
    static let evil = "sha512-" + String(repeating: "B", count: 86) + "=="

    func read(_ body: String) throws -> LockedPackage {
        let text = "# yarn lockfile v1\n\n\n\"pkg@^1.0.0\", pkg@~1.0.0:\n" + body
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock")
        return try #require(lock.packages.first)
    }

    func refusal(_ body: String) -> String {
        do { _ = try read(body); return "accepted" } catch { return "\(error)" }
    }

    @Test func fieldsReadAsYarnReadsThem() throws {
        let package = try read("""
              version "1.0.0"
              resolved "https://registry.yarnpkg.com/pkg/-/pkg-1.0.0.tgz#abc"
              integrity \(Self.genuine)
              dependencies:
                other "^2.0.0"

            """)
        #expect(package.name == "pkg" && package.version == "1.0.0" && package.key == "pkg@^1.0.0, pkg@~1.0.0")
        #expect(package.integrity == Self.genuine && package.line == 4)
        // `integrity: X` is a plain pair to Yarn, and so it is here; JSON escapes are decoded as Yarn decodes them.
        #expect(try read("  version \"1.0.0\"\n  \"integr\\u0069ty\": \(Self.evil)\n").integrity == Self.evil)
    }

    @Test(arguments: [
        ("  version \"1.0.0\"\n  integrity \(genuine)\n  integrity: \(evil)\n", "given twice"),
        ("  version \"1.0.0\"\n  integrity \(genuine)\n  \"integr\\u0069ty\" \(evil)\n", "given twice"),
        ("  version \"1.0.0\"\n  integrity \(evil) resolved \"https://evil.example/x.tgz\"\n", "several fields on one line"),
        ("  version \"1.0.0\"\n  integrity sha384-EVIL sha512-GENUINE sha256-X\n", "several fields on one line"),
        ("  version \"1.0.0\"\n  integrity sha384-EVIL sha512-GENUINE\n", "unexpected token"),
        ("  version \"1.0.0\"\n  integrity, resolved \(evil)\n", "several keys"),
        ("  version \"1.0.0\"\n   integrity \(evil)\n", "odd number of spaces"),
        ("  version \"1.0.0\"\n\tintegrity \(evil)\n", "unexpected character"),
        ("  version \"1.0.0\"\n  integrity \"\\x41\"\n", "not a JSON string"),
        ("  version \"1.0.0\"\n  resolved https://evil.example/x.tgz\n", "unexpected ':'"),
    ])
    func ambiguousFieldsAreRefused(_ body: String, _ reason: String) {
        let message = refusal(body)
        #expect(message.contains(reason), "\(message)")
        #expect(message.contains("yarn.lock line"), "\(message)")
    }

    @Test func documentLevelAmbiguitiesAreRefused() {
        func refusal(_ text: String) -> String {
            do { _ = try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock"); return "accepted" } catch { return "\(error)" }
        }
        let block = "  version \"1.0.0\"\n  integrity \(Self.genuine)\n"
        #expect(refusal("a@^1:\n\(block)\na@^1:\n\(block)").contains("listed twice"))
        #expect(refusal("a@^1, b@^1:\n\(block)").contains("different packages"))
        #expect(refusal("a@^1:\n\(block)<<<<<<< HEAD\n").contains("merge-conflict"))
        #expect(refusal("a@^1:\n\(block)\n  \nb@^1:\n\(block)").contains("Yarn would stop reading here"))
        #expect(refusal("al@npm:real@^2.0.0:\n\(block)").contains("unexpected ':'"))
        #expect(refusal("a@^1 \"x\"\n").contains("expected `descriptor:`"))
        let deep = "a@^1:\n" + (1...10).map { String(repeating: "  ", count: $0) + "k\($0):\n" }.joined()
        #expect(refusal(deep).contains("nested deeper"))
    }
}
