import FixtureFaults
import FixtureRegistry
import Foundation
import Harness
import Publish

/// A cell's world: started with the cell's bundle shape and log, checked to hold that shape, its
/// registry key put in the cell's state; and the consumer fixtures copied into it.
extension CellRunner {
    func startWorld(for cell: MatrixCell, in folder: URL, faults: FaultPlan, log: CellLog) async throws -> FixtureWorld {
        log.note("starting the world (bundle \(cell.shape.rawValue), \(cell.log.rawValue))")
        var options = FixtureWorldOptions(directory: folder.appendingPathComponent("world"),
                                          seed: environment.repository.appendingPathComponent("Registry/packages"))
        options.seedBundleVersion = cell.shape == .v02Intoto ? .v02 : .v03
        options.seedRekorVersion = cell.log == .v2 ? .v2 : .v1
        options.faults = faults
        return try await FixtureWorld.start(options)
    }

    func applyKeyState(_ state: KeyState, to world: FixtureWorld, log: CellLog) throws {
        let keyring = world.registry.storage.keyring
        switch state {
        case .current: return
        case .rotated:
            let id = try keyring.rotate(expiring: Date().addingTimeInterval(365 * 86_400))
            log.note("key rotated: new current key \(id); the signing key expires in a year")
        case .expired:
            let id = try keyring.rotate(expiring: Date())
            log.note("key rotated: new current key \(id); the signing key expired now, after every publish")
        }
    }

    /// Proves the bundle-shape and log axes: the seeded provenance bundle of `@mochi/example@1.1.0`
    /// has the shape the cell asks for (``ProvenanceShape/matches(_:_:)``).
    func checkBundleShape(_ cell: MatrixCell, in world: FixtureWorld, log: CellLog) throws {
        let (name, version) = ("@mochi/example", "1.1.0")
        let data = try world.registry.storage.attestations(for: try PackageName(name), version: version) ?? Data()
        let found = BundleShapeProbe.provenanceShape(in: data)
        guard let found, found.matches(cell.shape, cell.log) else {
            throw MatrixError("\(name)@\(version) in a \(cell.log.rawValue) world: expected a provenance "
                              + "\(ProvenanceShape.wanted(cell.shape, cell.log)), found \(found?.description ?? "no provenance bundle")")
        }
        log.note("seeded \(name)@\(version) provenance: \(found)")
    }

    func copyFixture(_ fixture: String, to destination: URL) throws -> URL {
        try FileManager.default.copyItem(at: environment.repository.appendingPathComponent("ConsumerFixtures/\(fixture)"), to: destination)
        return destination
    }
}
