import SafeJSON
import NpmModel
import RegistryClient

/// The platform npm checks a package's `os`, `cpu` and `libc` against: this machine, or for
/// optional packages the `--os`, `--cpu` and `--libc` settings (npm-install-checks' `environment`).
struct Platform: Sendable, Equatable {
    let os: String
    let cpu: String
    /// The libc family, or nil where libc lists never match.
    let libc: String?

    #if os(Linux)
    static let hostOS = "linux"
    #else
    static let hostOS = "darwin"
    #endif
    #if arch(x86_64)
    static let hostCPU = "x64"
    #else
    static let hostCPU = "arm64"
    #endif
    /// The libc family npm reports on Linux; libc lists never match elsewhere.
    #if os(Linux) && canImport(Musl)
    static let hostLibc: String? = "musl"
    #elseif os(Linux)
    static let hostLibc: String? = "glibc"
    #else
    static let hostLibc: String? = nil
    #endif

    /// This machine, as npm 10.8's build-ideal-tree checks every required package.
    static let host = Platform(os: hostOS, cpu: hostCPU, libc: hostLibc)

    /// What npm's reify checks an optional package against: each setting given replaces the
    /// machine's; without `libc`, a libc list matches only the machine's own on Linux.
    init(overriding scope: InstallScope) {
        os = scope.os ?? Self.hostOS
        cpu = scope.cpu ?? Self.hostCPU
        libc = scope.libc ?? (os == "linux" ? Self.hostLibc : nil)
    }

    init(os: String, cpu: String, libc: String?) {
        self.os = os
        self.cpu = cpu
        self.libc = libc
    }
}

/// npm's `os`/`cpu`/`libc` fields (npm-install-checks `checkPlatform`): optional packages built for
/// other platforms are skipped; `ci` refuses a required one (`EBADPLATFORM`).
enum PlatformCheck {
    /// `EBADPLATFORM` for the first required package of a resolved tree that cannot run on this
    /// machine, as npm 10.8's build-ideal-tree refuses it (optional ones are left out instead).
    static func refusal(_ planned: [PlannedPackage]) -> InstallError? {
        for package in planned where !package.optional {
            if let reason = mismatch(package.lockEntry) {
                return InstallError(.usage, "EBADPLATFORM: \(package.target.subject) at \(package.location) is required, and its \(reason)")
            }
        }
        return nil
    }

    /// Why a registry manifest cannot run on `platform`, or nil when it can.
    static func mismatch(_ manifest: Manifest, on platform: Platform = .host) -> String? {
        let (os, cpu, libc) = fields(manifest)
        return mismatch(os: os, cpu: cpu, libc: libc, on: platform)
    }

    /// A manifest's `os`, `cpu` and `libc`, read as the lockfile reads them.
    static func fields(_ manifest: Manifest) -> (os: [String]?, cpu: [String]?, libc: [String]?) {
        (manifest.os, manifest.cpu, manifest.libc)
    }

    /// Why a lockfile entry cannot run on `platform`, or nil when it can.
    static func mismatch(_ entry: Lockfile.Entry, on platform: Platform = .host) -> String? {
        mismatch(os: entry.os, cpu: entry.cpu, libc: entry.libc, on: platform)
    }

    static func mismatch(os osList: [String]?, cpu cpuList: [String]?, libc libcList: [String]?, on platform: Platform) -> String? {
        let here = platform == .host ? "" : " (the os, cpu and libc settings)"
        if let osList, !allows(osList, platform.os) { return "os \(osList) does not include \(platform.os)\(here)" }
        if let cpuList, !allows(cpuList, platform.cpu) { return "cpu \(cpuList) does not include \(platform.cpu)\(here)" }
        if let libcList, !(platform.libc.map { allows(libcList, $0) } ?? false) {
            return "libc \(libcList) does not include \(platform.libc ?? "this platform's (libc lists match only on Linux)")\(here)"
        }
        return nil
    }

    /// npm-install-checks `checkList`: a lone `any` allows all; `!x` excludes x; otherwise the
    /// value must be listed, or every entry must be a negation. Compared on bytes, as JavaScript does.
    static func allows(_ list: [String], _ value: String) -> Bool {
        if list.count == 1, list[0].utf8.elementsEqual("any".utf8) { return true }
        var negated = 0, listed = false
        for entry in list {
            if entry.utf8.first == UInt8(ascii: "!") {
                negated += 1
                if entry.utf8.dropFirst().elementsEqual(value.utf8) { return false }
            } else if entry.utf8.elementsEqual(value.utf8) {
                listed = true
            }
        }
        return listed || negated == list.count
    }
}
