import FixtureTesting
import Foundation
@testable import Matrix
import Testing

/// The matrix model: every combination of the axes is either a cell or excluded by a named rule,
/// ids are unique and sorted, and shards partition the cells.
@Suite struct MatrixPlanTests {
    static let plan = try! MatrixPlan.load(repository: Repository.root)

    @Test func everyCombinationIsACellOrExcludedByARule() throws {
        let plan = Self.plan
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: Repository.registry.appendingPathComponent("scenarios").path)
            .filter { $0.hasSuffix(".json") && $0 != "expected.json" }.count
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: Repository.consumerFixtures.path)
            .filter { !$0.contains(".") }.count
        let product = (scenarios + 1) * fixtures * MatrixClient.allCases.count * BundleShape.allCases.count * KeyState.allCases.count
            * LogVersion.allCases.count
        #expect(scenarios >= 12 && fixtures >= 2)
        #expect(plan.cells.count + plan.excluded.count == product)
        let rules = Set(ExclusionRules.all.map(\.id))
        #expect(plan.excluded.allSatisfy { rules.contains($0.rule) })
        #expect(ExclusionRules.all.allSatisfy { !$0.reason.isEmpty })
        #expect(plan.cells.count >= 40, "cells: \(plan.cells.count)")
        // Every axis value is exercised by at least one cell.
        for client in MatrixClient.allCases { #expect(plan.cells.contains { $0.cell.client == client }, "\(client)") }
        for shape in BundleShape.allCases { #expect(plan.cells.contains { $0.cell.shape == shape }, "\(shape)") }
        for key in KeyState.allCases { #expect(plan.cells.contains { $0.cell.keyState == key }, "\(key)") }
        for log in LogVersion.allCases { #expect(plan.cells.contains { $0.cell.log == log }, "\(log)") }
        #expect(plan.cells.contains { $0.cell.scenario == nil } && plan.cells.contains { $0.cell.fixture == "downgrade" })
    }

    @Test func cellIDsAreUniqueSortedAndStable() throws {
        let ids = Self.plan.cells.map(\.cell.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        let again = try MatrixPlan.load(repository: Repository.root).cells.map(\.cell.id)
        #expect(again == ids)
        #expect(ids.contains("none.basic.vi-install.v0.2-intoto.rotated.rekor-v1"))
    }

    @Test func rulesExcludeWhatTheyName() {
        let ids = Set(Self.plan.cells.map(\.cell.id))
        #expect(!ids.contains("none.basic.npm-install.v0.2-intoto.current.rekor-v1"), "npm install ignores bundles")
        #expect(!ids.contains("slow-body.basic.npm-audit.v0.3-dsse.current.rekor-v1"), "the table says not run")
        #expect(!ids.contains("expired-key.basic.vi-install.v0.3-dsse.rotated.rekor-v1"), "the fault replaces the keys")
        #expect(!ids.contains { $0.contains(".policy-pass.") }, "no table row for the policy-pass fixture")
        #expect(ids.contains("none.locked.vi-install.v0.3-dsse.current.rekor-v1"), "the locked fixture has a row")
        #expect(ids.contains("missing-attestation.basic.vi-audit.v0.2-intoto.expired.rekor-v1"))
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 16, 200])
    func shardsPartitionTheMatrix(_ count: Int) throws {
        let plan = Self.plan
        var seen: [String: Int] = [:]
        var sizes: [Int] = []
        for index in 1...count {
            let share = plan.cells(in: try Shard(parsing: "\(index)/\(count)"))
            sizes.append(share.count)
            for planned in share { seen[planned.cell.id, default: 0] += 1 }
        }
        #expect(seen.count == plan.cells.count, "every cell is in some shard")
        #expect(seen.values.allSatisfy { $0 == 1 }, "no cell is in two shards")
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, "shares are balanced: \(sizes)")
        // Deterministic: the same shard twice is the same list.
        #expect(plan.cells(in: Shard(index: 1, count: count)) == plan.cells(in: Shard(index: 1, count: count)))
    }

    @Test func shardSyntaxIsCheckedStrictly() throws {
        for bad in ["0/3", "4/3", "a/b", "1", "1/0", "-1/2", "1/2/3"] {
            #expect(throws: MatrixError.self, "\(bad)") { try Shard(parsing: bad) }
        }
        #expect(try Shard(parsing: "2/5") == Shard(index: 2, count: 5))
    }

    @Test func theTableParserFailsClosed() throws {
        #expect(throws: MatrixError.self) { try ExpectedVerdict(cell: "fails `x`") }
        #expect(throws: MatrixError.self) { try ExpectedVerdict(cell: "exit 0") }
        #expect(throws: MatrixError.self) { try VerdictTable.parse("# nothing\n") }
        #expect(try ExpectedVerdict(cell: "exit 3 `a` `b c`") == .exits(status: 3, phrases: ["a", "b c"]))
        #expect(try ExpectedVerdict(cell: "not run (no tarballs)") == .notRun(reason: "no tarballs"))
    }
}
