import Foundation
public import CodedError

/// The URLs npm derives from a registry URL and a package name, computed the way npm does.
public struct RegistryEndpoints: Sendable, Equatable {
    /// The registry base with a trailing slash (a path prefix such as `/npm/` is kept).
    public let base: String
    public let scheme: String
    /// Host without port.
    public let host: String
    public let port: Int?

    /// Parses an absolute `http(s)://` registry URL.
    public init(registry: String) throws(PublishError) {
        guard let components = URLComponents(string: registry), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw PublishError(.environment, "expected the registry to be an absolute http(s) URL, found '\(registry)'")
        }
        self.scheme = scheme
        self.host = host
        port = components.port
        base = registry.hasSuffix("/") ? registry : registry + "/"
    }

    /// The OIDC audience npm asks GitHub for: `npm:` + the registry's hostname (no port, no path).
    public var audience: String { "npm:" + host }

    /// scheme://host[:port] — the origin absolute paths are resolved against.
    public var origin: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)" + (port.map { ":\($0)" } ?? "")
    }

    /// npm-package-arg's `escapedName`: the first `/` becomes a lowercase `%2f` (`@scope%2fname`).
    public static func escapedName(_ name: String) -> String {
        guard let slash = name.firstIndex(of: "/") else { return name }
        return name[..<slash] + "%2f" + name[name.index(after: slash)...]
    }

    /// `POST` target of the token exchange. The path is absolute: a registry path prefix is dropped, as npm does.
    public func exchangeURL(name: String) -> String {
        origin + "/-/npm/v1/oidc/token/exchange/package/" + Self.escapedName(name)
    }

    /// `PUT` target of the publish (relative to the registry, prefix kept).
    public func packageURL(name: String) -> String { base + Self.escapedName(name) }

    /// libnpmpublish's `dist.tarball`: `new URL('<name>/-/<name>-<version>.tgz', registry)`, https rewritten to http.
    public func tarballURL(name: String, version: String) -> String {
        let url = base + "\(name)/-/\(name)-\(version).tgz"
        return url.hasPrefix("https://") ? "http://" + url.dropFirst("https://".count) : url
    }
}

/// Appends a query parameter the way `URLSearchParams.append` + `toString` would encode it
/// (application/x-www-form-urlencoded: only `*-._` and alphanumerics stay, space is `+`).
public enum QueryParameter {
    public static func append(to url: String, name: String, value: String) -> String {
        let separator = url.contains("?") ? (url.hasSuffix("?") || url.hasSuffix("&") ? "" : "&") : "?"
        return url + separator + encode(name) + "=" + encode(value)
    }

    public static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += "%" + String(format: "%02X", byte)
            }
        }
        return out
    }
}
