import NIOCore
import NIOHTTPTypes

/// How long a client may take, so slow or silent connections cannot pile up until descriptors run out.
public struct ConnectionLimits: Sendable, Equatable {
    /// From a connection's first byte (or its opening) to the end of the request head.
    public var headerTimeout: Duration = .seconds(10)
    /// Between two reads of a request body.
    public var bodyTimeout: Duration = .seconds(30)
    /// A kept-alive connection with no request in it.
    public var idleTimeout: Duration = .seconds(60)
    /// Connections open at once; beyond it, new ones wait in the listen queue until one closes.
    public var maximumConnections = 4_000

    public init() {}
}

/// Closes a connection whose client is too slow: a request head not complete within `headerTimeout` of its first
/// byte, however slowly the bytes keep coming (one byte every few seconds would otherwise hold it for ever); a body
/// with a `bodyTimeout` gap between reads; a kept-alive connection idle for `idleTimeout`. While a request is
/// being answered there is no limit here (the shutdown grace bounds that). Sits after the HTTP decoder: every
/// socket read still reaches it as `channelReadComplete`, even when it completes no request part.
package final class ConnectionTimeouts: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    /// Requests whose head has arrived and whose response has not ended.
    private var unanswered = 0
    private var readingBody = false
    /// Bytes of a next request head have arrived; its deadline runs and is not moved by more bytes.
    private var headStarted = false
    private var timer: Scheduled<Void>?

    package init(limits: ConnectionLimits) {
        self.limits = limits
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        // A new connection owes its first request head within the header timeout.
        headStarted = true
        arm(limits.headerTimeout, context)
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingBody = true
            headStarted = false
            arm(limits.bodyTimeout, context)
        case .body:
            break
        case .end:
            readingBody = false
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    package func channelReadComplete(context: ChannelHandlerContext) {
        if readingBody {
            arm(limits.bodyTimeout, context)
        } else if unanswered == 0, !headStarted {
            headStarted = true
            arm(limits.headerTimeout, context)
        }
        context.fireChannelReadComplete()
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0, !readingBody, !headStarted { arm(limits.idleTimeout, context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ timeout: Duration, _ context: ChannelHandlerContext) {
        timer?.cancel()
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) {
            context.close(promise: nil)
        }
    }
}
