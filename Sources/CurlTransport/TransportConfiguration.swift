// MARK: - TransportConfiguration

/// Settings of one ``CurlHTTPClient``, fixed for its lifetime.
public struct TransportConfiguration: Sendable {
    /// Most transfers running at once; further requests wait in a FIFO queue.
    public var maxConcurrentTransfers: Int
    /// Limit on establishing a connection (DNS, TCP and TLS), per attempt.
    /// Time-outs have millisecond resolution; `.zero` means "no limit".
    public var connectTimeout: Duration
    /// Limit on a whole request, from the start of its first attempt to the last body byte of its
    /// last (redirects and retries included): each retry gets what is left, and none starts
    /// without time left.
    public var transferTimeout: Duration
    /// Aborts an attempt whose throughput stays below a floor for a while
    /// (catches stalled downloads long before ``transferTimeout``): by default under 1 KiB/s for 30 s.
    /// `nil` disables it.
    public var lowSpeedTimeout: LowSpeedLimit?
    /// Retries of transient failures (5xx, connection errors, time-outs).
    public var retry: RetryPolicy
    /// Sent as `User-Agent` unless the request sets its own.
    public var userAgent: String
    /// Most redirects followed per attempt (never more than 20); more fail with ``TransportError/Code/tooManyRedirects``.
    /// A redirect from https to http, or to any other protocol, is never followed.
    public var maxRedirects: Int
    /// Idle connections kept open for reuse (libcurl's connection cache size).
    public var maxCachedConnections: Int
    /// Transfer threads, each with its own multi handle; the transfers and cached connections
    /// above are shared out between them. One thread suffices on a few cores; on many cores it
    /// becomes the bottleneck of a run that keeps every core verifying.
    public var transferThreads: Int

    /// Creates a configuration; every parameter has a sensible default.
    public init(
        maxConcurrentTransfers: Int = 16,
        connectTimeout: Duration = .seconds(15),
        transferTimeout: Duration = .seconds(120),
        lowSpeedTimeout: LowSpeedLimit? = .stalled,
        retry: RetryPolicy = .default,
        userAgent: String = TransportConfiguration.defaultUserAgent,
        maxRedirects: Int = 5,
        maxCachedConnections: Int = 32,
        transferThreads: Int = 1
    ) {
        self.maxConcurrentTransfers = maxConcurrentTransfers
        self.connectTimeout = connectTimeout
        self.transferTimeout = transferTimeout
        self.lowSpeedTimeout = lowSpeedTimeout
        self.retry = retry
        self.userAgent = userAgent
        self.maxRedirects = maxRedirects
        self.maxCachedConnections = maxCachedConnections
        self.transferThreads = transferThreads
    }

    /// How many transfer threads run: never more than transfers may run at once.
    var threadCount: Int { max(min(transferThreads, maxConcurrentTransfers), 1) }

    /// The share of transfer thread `index` (of ``threadCount``): the transfers and cached
    /// connections dealt out so their sums stay the configured totals (at least one each).
    func share(ofThread index: Int) -> TransportConfiguration {
        func part(_ total: Int) -> Int { max(total / threadCount + (index < total % threadCount ? 1 : 0), 1) }
        var share = self
        share.maxConcurrentTransfers = part(maxConcurrentTransfers)
        share.maxCachedConnections = part(maxCachedConnections)
        share.transferThreads = 1
        return share
    }

    /// A transfer thread per four cores, from eight cores on, and at most four. Below that one
    /// thread keeps up: at two cores it is busy for a sixth of a 1000-package run; a second one
    /// there costs a few percent (measured), as it competes with verification for the cores.
    public static func transferThreads(forCores cores: Int) -> Int {
        cores >= 8 ? min(cores / 4, 4) : 1
    }

    /// The default `User-Agent`.
    public static let defaultUserAgent = "mochi-npm-verify (libcurl)"
}

// MARK: - LowSpeedLimit

/// "Slower than `bytesPerSecond` for `window`" aborts the attempt as ``TransportError/Code/timedOut``.
public struct LowSpeedLimit: Sendable, Hashable {
    /// The throughput floor in bytes per second.
    public var bytesPerSecond: Int
    /// How long throughput may stay below the floor (whole seconds; libcurl's granularity).
    public var window: Duration

    /// Under 1 KiB/s for 30 s: no real download is that slow for that long.
    public static let stalled = LowSpeedLimit(bytesPerSecond: 1024, window: .seconds(30))

    /// Creates a limit.
    public init(bytesPerSecond: Int, window: Duration) {
        self.bytesPerSecond = bytesPerSecond
        self.window = window
    }
}
