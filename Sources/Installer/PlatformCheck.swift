import SafeJSON
import NpmModel

/// npm's `os`/`cpu`/`libc` fields (npm-install-checks `checkPlatform`): optional packages built for
/// other platforms are skipped; `ci` refuses a required one (`EBADPLATFORM`).
enum PlatformCheck {
    #if os(Linux)
    static let os = "linux"
    #else
    static let os = "darwin"
    #endif
    #if arch(x86_64)
    static let cpu = "x64"
    #else
    static let cpu = "arm64"
    #endif
    /// The libc family npm reports on Linux; libc lists never match elsewhere.
    #if os(Linux) && canImport(Musl)
    static let libc: String? = "musl"
    #elseif os(Linux)
    static let libc: String? = "glibc"
    #else
    static let libc: String? = nil
    #endif

    /// `EBADPLATFORM` for the first required package of a resolved tree that cannot run here, as
    /// npm's `checkPlatform` refuses it. A package npm counts as optional only through its parent
    /// (the resolver skips those reached by an optional edge) is named in a warning.
    static func refusal(_ planned: [PlannedPackage], warn: (String) -> Void) -> InstallError? {
        for package in planned {
            guard let reason = mismatch(package.lockEntry) else { continue }
            guard package.optional else {
                return InstallError(.usage, "EBADPLATFORM: \(package.target.subject) at \(package.location) is required, and its \(reason)")
            }
            warn("\(package.target.subject) at \(package.location) is optional but cannot run here (its \(reason)); npm would leave it and what needs it out, verify-install installs it")
        }
        return nil
    }

    /// Why a registry manifest cannot run here, or nil when it can.
    static func mismatch(_ manifest: Manifest) -> String? {
        let (os, cpu, libc) = fields(manifest)
        return mismatch(os: os, cpu: cpu, libc: libc)
    }

    /// A manifest's `os`, `cpu` and `libc`, read as the lockfile reads them.
    static func fields(_ manifest: Manifest) -> (os: [String]?, cpu: [String]?, libc: [String]?) {
        (manifest.os, manifest.cpu, manifest.libc)
    }

    /// Why a lockfile entry cannot run here, or nil when it can.
    static func mismatch(_ entry: Lockfile.Entry) -> String? {
        mismatch(os: entry.os, cpu: entry.cpu, libc: entry.libc)
    }

    static func mismatch(os osList: [String]?, cpu cpuList: [String]?, libc libcList: [String]?) -> String? {
        if let osList, !allows(osList, os) { return "os \(osList) does not include \(os)" }
        if let cpuList, !allows(cpuList, cpu) { return "cpu \(cpuList) does not include \(cpu)" }
        if let libcList, !(libc.map { allows(libcList, $0) } ?? false) {
            return "libc \(libcList) does not include \(libc ?? "this platform's (libc lists match only on Linux)")"
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
