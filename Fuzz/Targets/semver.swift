import Foundation
import Semver

// Semver: the input is "<version>\n<range>" (no newline: the text is tried as both).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzString(start, count)
    let version: String, range: String
    if let newline = text.firstIndex(of: "\n") {
        version = String(text[..<newline])
        range = String(text[text.index(after: newline)...])
    } else {
        version = text
        range = text
    }
    for loose in [false, true] {
        if let parsed = SemanticVersion(version, loose: loose) {
            _ = parsed.description
            _ = parsed.descriptionWithBuild
            // A strict version's canonical text parses strictly, to the same version.
            if !loose {
                guard let again = SemanticVersion(parsed.description) else {
                    fatalError("canonical form \(parsed.description) of \(version.debugDescription) does not parse")
                }
                precondition(Semver.compare(parsed, again) == 0, "canonical form compares unequal")
            }
        }
        _ = Semver.valid(version, loose: loose)
        _ = Semver.clean(version, loose: loose)
        for includePrerelease in [false, true] {
            _ = Semver.satisfies(version, range, includePrerelease: includePrerelease, loose: loose)
            if let valid = Semver.validRange(range, includePrerelease: includePrerelease, loose: loose) {
                _ = Semver.validRange(valid, includePrerelease: includePrerelease, loose: loose)
            }
        }
        _ = Semver.maxSatisfying([version, "1.2.3", "2.0.0-beta.1", "0.0.1"], range, loose: loose)
        _ = Semver.minSatisfying([version, "1.2.3"], range, loose: loose)
    }
    _ = SemanticVersion(version)
    return 0
}
