import HummingbirdCore
import Logging

/// At most `ConnectionLimits.maximumConnections` open at once; new connections wait in the kernel's listen queue
/// until one closes. Says so in the log once each time the limit is reached, and again when there is room.
package struct ConnectionLimit: AvailableConnectionsDelegate {
    package let maximum: Int
    package let logger: Logger
    private var open = 0
    private var full = false

    package init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    package mutating func connectionOpened() {
        open += 1
        if open >= maximum, !full {
            full = true
            logger.warning(
                "connection limit reached: \(open) connections are open (--max-connections \(maximum)); new connections wait until one closes"
            )
        }
    }

    package mutating func connectionClosed() {
        open -= 1
        // Well below the limit again, so a limit that is hit and left a hundred times a second logs only once.
        if full, open < maximum * 9 / 10 {
            full = false
            logger.notice("connections below the limit again: \(open) open (--max-connections \(maximum))")
        }
    }

    package func isAcceptingNewConnections() -> Bool {
        open < maximum
    }
}
