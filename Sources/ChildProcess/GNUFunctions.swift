#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// glibc functions declared only under `_GNU_SOURCE`, which Swift's Glibc module does not define:
/// looked up once with `dlsym` (glibc ≥ 2.29 for `addchdir_np`, ≥ 2.34 for `addclosefrom_np`).
enum GNUFunctions {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    nonisolated(unsafe) static let pipe2: Pipe2? = lookup("pipe2")
    nonisolated(unsafe) static let addChdir: AddChdir? = lookup("posix_spawn_file_actions_addchdir_np")
    nonisolated(unsafe) static let addClosefrom: AddClosefrom? = lookup("posix_spawn_file_actions_addclosefrom_np")

    private static func lookup<Function>(_ name: String) -> Function? {
        #if canImport(Darwin)
        let handle = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #else
        let handle: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #endif
        guard let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }
}
