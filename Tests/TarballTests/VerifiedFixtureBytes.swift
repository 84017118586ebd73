import Foundation
import Integrity
import Tarball

/// The unpacker takes only `VerifiedBytes`. A test's fixture is trusted as built: its bytes are
/// verified against their own SHA-512, so every unpack test goes through the one public entry.
extension TarballUnpacker {
    func unpack(_ tgz: [UInt8], into destination: URL, executablePaths: Set<String> = []) throws(TarballError) -> UnpackSummary {
        try unpack(Data(tgz), into: destination, executablePaths: executablePaths)
    }

    func unpack(_ tgz: Data, into destination: URL, executablePaths: Set<String> = []) throws(TarballError) -> UnpackSummary {
        let verified = try! VerifiedBytes.verify(tgz, against: .of(tgz), subject: "fixture", source: "the test")
        return try unpack(verified, into: destination, executablePaths: executablePaths)
    }
}
