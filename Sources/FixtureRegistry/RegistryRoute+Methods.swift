extension RegistryRoute {
    /// Whether `GET`/`HEAD` answer this route.
    var isReadable: Bool {
        switch self {
        case .ping, .packument, .manifest, .tarball, .whoami, .keys, .attestations, .distTags: true
        case .user, .distTag, .packumentRevision, .tarballRevision: false
        }
    }

    /// The `Allow` header of a 405 on this route.
    var allowedMethods: String {
        switch self {
        case .packument: "GET, HEAD, PUT"
        case .ping, .manifest, .tarball, .whoami, .keys, .attestations, .distTags: "GET, HEAD"
        case .user: "PUT"
        case .distTag: "PUT, DELETE"
        case .packumentRevision: "PUT, DELETE"
        case .tarballRevision: "DELETE"
        }
    }
}
