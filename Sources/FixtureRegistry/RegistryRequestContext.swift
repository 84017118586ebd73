public import Hummingbird
public import NIOCore

/// The request context of the fixture registry: Hummingbird's core context plus
/// the connection's channel, so that a fault can drop the connection.
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came in on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}
