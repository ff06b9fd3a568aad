import ServiceLifecycle
import UnixSignals

/// Keeps the registry in step with `tenants.d/`: reloads as soon as a file changes (inotify, when `watch`),
/// at once on `SIGHUP`, and re-reads the whole folder every `interval` as a safety net.
package struct TenantReloadService: Service {
    package let reloader: TenantReloader
    package let folders: [String]
    package let watch: Bool
    package let interval: Duration
    /// Runs on each full scan too: housekeeping that needs no timer of its own (closing idle databases).
    package let onTick: @Sendable () -> Void
    /// Runs on each `SIGHUP` before the reload (re-reading the page templates).
    package let onHangUp: @Sendable () -> Void

    package func run() async throws {
        let (changes, notify) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let watcher = watch ? FolderWatcher(folders: folders) { notify.yield() } : nil
        defer { watcher?.stop() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    onHangUp()
                    await reloader.reload()
                }
            }
            group.addTask {
                for await _ in changes {
                    // An editor's save is several events; let them settle into one reload.
                    try? await Task.sleep(for: .milliseconds(50))
                    await reloader.reload()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    await reloader.reload()
                    onTick()
                }
            }
            try? await gracefulShutdown()
            notify.finish()
            group.cancelAll()
        }
    }
}
