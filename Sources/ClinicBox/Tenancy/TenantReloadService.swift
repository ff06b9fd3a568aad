import ServiceLifecycle
import UnixSignals

/// Keeps the registry in step with `tenants.d/`: polls every `interval`, and reloads at once on `SIGHUP`.
struct TenantReloadService: Service {
    let reloader: TenantReloader
    let interval: Duration
    /// Runs on each tick too: housekeeping that needs no timer of its own (closing idle databases).
    let onTick: @Sendable () -> Void

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
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
            // Both loops run until the service group shuts down.
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
