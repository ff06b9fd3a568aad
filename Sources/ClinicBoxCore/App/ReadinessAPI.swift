import Foundation
import Hummingbird

#if canImport(Glibc)
import Glibc
#endif

/// `GET /readyz`: may this server take traffic? The tenant registry is loaded, the data folder takes a new
/// file, and the disk holding it has at least `minimumFreeBytes` free. `503` with the failing checks otherwise,
/// so a load balancer or `systemd` watchdog stops sending writes that would fail.
package struct ReadinessAPI {
    package let registry: LiveTenantRegistry
    package let dataFolder: String
    package let minimumFreeBytes: UInt64

    package struct Readiness: Encodable {
        package var status: String
        package var tenants: Int
        package var freeBytes: UInt64?
        package var problems: [String]
    }

    package var endpoints: [Endpoint<AppRequestContext>] {
        [
            Endpoint(
                .get(
                    "readyz",
                    "Ready for traffic: tenants loaded, data folder writable, enough free disk (503 with the problems otherwise)",
                    response: .json(.freeForm)
                ).open,
                use: answer
            )
        ]
    }

    private func answer(_: Request, _: AppRequestContext) async throws -> Response { readiness() }

    package func readiness() -> Response {
        var problems: [String] = []
        let registry = registry.current
        if registry.tenants.isEmpty && !registry.problems.isEmpty { problems.append("no tenant file is valid; run clinicbox check") }
        let probe = dataFolder + "/.readyz-\(UUID().uuidString)"
        if FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) {
            try? FileManager.default.removeItem(atPath: probe)
        } else {
            problems.append("the data folder \(dataFolder) does not take new files (permissions, read-only or full disk)")
        }
        let free = Self.freeBytes(dataFolder)
        if let free, free < minimumFreeBytes {
            problems.append("only \(free / 1_048_576) MiB free on the data disk; at least \(minimumFreeBytes / 1_048_576) MiB are needed")
        }
        let body = Readiness(status: problems.isEmpty ? "ready" : "not ready", tenants: registry.tenants.count, freeBytes: free, problems: problems)
        return Response.json(body, status: problems.isEmpty ? .ok : .serviceUnavailable)
    }

    /// Bytes an unprivileged process may still write on the file system holding `path`.
    package static func freeBytes(_ path: String) -> UInt64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
    }
}
