import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Keeps slow or greedy clients from holding the server: each connection's request must
/// arrive at a minimum pace, a client address may hold only so many connections at once, and
/// an answer marked `Connection: close` (a body refused as too large) closes the connection
/// at once instead of reading the rest of a body nobody wants.
///
/// Hummingbird's own idle timeout (see `ConnectionLimits.idleTimeout`) closes connections that
/// send nothing, stop half-way through a header, or stop sending a body; this handler adds a
/// deadline for the whole request, so a body trickled a byte at a time is closed too.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private var client: String?
    private var deadline: Scheduled<Void>?
    private var closeAfterResponse = false

    /// Trusted reverse proxies carry many visitors' connections: no cap applies to them.
    private let exempt: TrustedProxies

    init(limits: ConnectionLimits, counter: ConnectionCounter, exempt: TrustedProxies = .none) {
        self.limits = limits
        self.counter = counter
        self.exempt = exempt
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let address = context.channel.remoteAddress?.ipAddress, !exempt.contains(address) else { return }
        if counter.open(address, limit: limits.connectionsPerClient) {
            client = address
        } else {
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if let client { counter.close(client) }
        client = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let declared = head.headerFields[.contentLength].flatMap { Int($0) } ?? 0
            let allowed = limits.requestDeadline(contentLength: max(0, declared))
            deadline?.cancel()
            deadline = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: allowed) {
                context.close(promise: nil)
            }
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterResponse else { return context.write(data, promise: promise) }
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        }
    }
}

/// How long and how many: the limits `ConnectionGuard` and Hummingbird's server apply.
public struct ConnectionLimits: Sendable {
    /// Closes a connection that sends nothing (no request yet, half a header, a stalled body)
    /// for this long; also the keep-alive idle time between requests.
    public var idleTimeout: Duration = .seconds(15)
    /// Any request may take this long to arrive in full ...
    public var baseRequestTime: Duration = .seconds(30)
    /// ... plus one second for each this many bytes its `Content-Length` declares (a slow
    /// phone uploading a 25 MB document still gets about half an hour).
    public var minimumBytesPerSecond = 16 * 1024
    /// Open connections one client address may hold at once; 0 for no limit.
    public var connectionsPerClient = 64

    public init() {}

    func requestDeadline(contentLength: Int) -> TimeAmount {
        let base = Int64(baseRequestTime.components.seconds)
        let extra = Int64(min(contentLength, 1 << 40) / max(1, minimumBytesPerSecond))
        return .seconds(base + extra)
    }
}

/// Open connections per client address, shared by every connection's `ConnectionGuard`.
final class ConnectionCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts a new connection; false when the client already holds `limit` (0: no limit).
    func open(_ client: String, limit: Int) -> Bool {
        counts.withLock { counts in
            let current = counts[client, default: 0]
            guard limit == 0 || current < limit else { return false }
            counts[client] = current + 1
            return true
        }
    }

    func close(_ client: String) {
        counts.withLock { counts in
            let remaining = counts[client, default: 1] - 1
            counts[client] = remaining > 0 ? remaining : nil
        }
    }
}
