#if canImport(Glibc)
import Glibc
import Synchronization

/// Tells when files in a folder are written, renamed or removed (Linux inotify), so a reload can follow an
/// edit at once instead of waiting for the next full scan. Runs one small thread that sleeps in `poll`.
package final class FolderWatcher: Sendable {
    private let descriptor: Int32
    private let stopped = Atomic<Bool>(false)

    /// Nil when inotify is unavailable (or out of watches); callers then rely on polling alone.
    package init?(folders: [String], onChange: @escaping @Sendable () -> Void) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
        let watched = folders.filter { inotify_add_watch(descriptor, $0, mask) >= 0 }
        guard !watched.isEmpty else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        let thread = Thread { [self] in self.run(onChange) }
        thread.start()
    }

    package func stop() {
        stopped.store(true, ordering: .releasing)
    }

    private func run(_ onChange: @Sendable () -> Void) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while !stopped.load(ordering: .acquiring) {
            // Wake twice a second to notice `stop()`.
            guard poll(&pollDescriptor, 1, 500) > 0 else { continue }
            var sawEvent = false
            while read(descriptor, &buffer, buffer.count) > 0 { sawEvent = true }
            if sawEvent { onChange() }
        }
        close(descriptor)
    }
}

import Foundation
#endif
