@testable import Installer
import Testing

/// `OptionalSet` against npm 10.8.2's arborist (`optional-set.js`, `gather-dep-set.js` with
/// `edge => !edge.optional`), on resolved edges.
@Suite struct OptionalSetRuleTests {
    static func set(_ path: String, _ edges: [(String, String, Bool)]) -> Set<String>? {
        var steps = 0
        return OptionalSet(resolved: edges.map { (from: $0.0, to: $0.1, optional: $0.2) }).set(of: path, steps: &steps)
    }

    @Test func whatOnlyTheSkippedPackageNeedsGoesWithIt() {
        // p is optional for the project; p needs h; the project and p both need s.
        let edges = [("", "p", true), ("p", "h", false), ("p", "s", false), ("", "s", false)]
        #expect(Self.set("p", edges) == ["p", "h"])
    }

    @Test func aPackageTheProjectNeedsIsNotOptional() {
        #expect(Self.set("d", [("", "p", false), ("p", "d", false)]) == nil)
    }

    /// arborist ignores optional edges both ways: what the set needs optionally is not gathered,
    /// and an optional need from outside does not keep a dependency.
    @Test func optionalEdgesCountNeitherWay() {
        let optionalOut = [("", "p", true), ("p", "q", true)]
        #expect(Self.set("p", optionalOut) == ["p"])
        let optionalIn = [("", "p", true), ("p", "d", false), ("", "o", false), ("o", "d", true)]
        #expect(Self.set("p", optionalIn) == ["p", "d"])
    }

    @Test func aChainSomethingOutsideNeedsStaysWhateverItsLength() {
        var edges = [("", "p", true), ("p", "c0", false), ("", "x", false), ("x", "c0", false)]
        edges += (0..<5_000).map { ("c\($0)", "c\($0 + 1)", false) }
        #expect(Self.set("p", edges) == ["p"])
        // Without the outside need, the whole chain goes with p.
        #expect(Self.set("p", Array(edges.filter { $0.0 != "x" && $0.1 != "x" })).map(\.count) == 5_002)
    }

    /// Found by review: K skipped packages that share a required chain each walked it (K × D).
    @Test func skippedPackagesSharingARequiredChainDoNotWalkIt() {
        var edges = (0..<2_000).flatMap { [("", "p\($0)", true), ("p\($0)", "d0", false)] } + [("", "d0", false)]
        edges += (0..<2_000).map { ("d\($0)", "d\($0 + 1)", false) }
        let optionalSet = OptionalSet(resolved: edges.map { (from: $0.0, to: $0.1, optional: $0.2) })
        var steps = 0
        for index in 0..<2_000 { #expect(optionalSet.set(of: "p\(index)", steps: &steps) == ["p\(index)"]) }
        #expect(steps < 100_000, "\(steps) steps")
    }
}
