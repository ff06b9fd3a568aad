import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/metrics`: what an operator's Prometheus sees, and who may read it.
@Suite struct MetricsTests {
    @Test func metricsCountRequestsPerTenantAndRouteAndShowDatabasesBackupsLoginsAndReloads() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace, configure: { $0.metricsListener = ListenAddress(host: "127.0.0.1", port: 0) })
        let metricsApplication = try #require(server.metricsApplication)
        try await metricsApplication.test(.router) { scraper in
            try await server.application.test(.router) { client in
                let boss = try await APIClient.signIn(client, tenant: "alpha", email: "boss@example.com")
                let token = boss.token
                #expect(try await boss.post("patients", TestRecords.ada).status == .created)
                _ = try await client.execute(uri: "/t/beta/api/v1/patients/999", method: .get, headers: TestUsers.bearer(token))
                #expect(
                    try await TestUsers.signIn(client, tenant: "beta", email: "boss@example.com", password: "not the password").status
                        == .unauthorized
                )
                await server.backups.runDue()
                try workspace.write("broken", "id: broken\nname: [\n")
                await server.reloader.reload()

                let metrics = try await scraper.execute(uri: "/metrics", method: .get)
                #expect(metrics.status == .ok && metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let lines = metrics.text.split(separator: "\n").map(String.init)
                func value(_ series: String) -> Double? {
                    lines.first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
                }
                #expect(
                    value(#"clinicbox_http_requests_total{tenant="alpha",method="POST",route="/t/{tenantID}/api/v1/patients",status="201"}"#) == 1
                )
                // beta's token is alpha's, so beta answers 401: the series is per tenant, route pattern and status.
                #expect(
                    lines.contains {
                        $0.hasPrefix(#"clinicbox_http_requests_total{tenant="beta",method="GET",route="/t/{tenantID}/api/v1/patients/{id}""#)
                    }
                )
                #expect(
                    value(#"clinicbox_http_request_duration_seconds_count{tenant="alpha",method="POST",route="/t/{tenantID}/api/v1/patients"}"#) == 1
                )
                #expect(
                    lines.contains {
                        $0.hasPrefix(
                            #"clinicbox_http_request_duration_seconds_bucket{tenant="alpha",method="POST",route="/t/{tenantID}/api/v1/patients",le="#
                        )
                    }
                )
                #expect(value(#"clinicbox_failed_logins_total{tenant="beta"}"#) == 1)
                #expect(value(#"clinicbox_failed_logins_total{tenant="alpha"}"#) == nil)
                #expect((value(#"clinicbox_database_bytes{tenant="alpha"}"#) ?? 0) > 0)
                #expect(value(#"clinicbox_backup_age_seconds{tenant="alpha"}"#).map { $0 >= 0 && $0 < 60 } == true)
                #expect(value(#"clinicbox_backup_failing{tenant="alpha"}"#) == 0)
                #expect((value("clinicbox_open_databases") ?? 0) >= 1)
                #expect(value("clinicbox_tenants") == 2 && value("clinicbox_tenant_file_problems") == 1)
                #expect(value("clinicbox_tenant_reload_errors_total") == 1 && (value("clinicbox_tenant_reloads_total") ?? 0) >= 2)
                // Never a patient field, an email or a token.
                #expect(!metrics.text.contains("Lovelace") && !metrics.text.contains("example.com") && !metrics.text.contains(token))

                // A removed tenant's gauges go away with it.
                try workspace.remove("beta")
                await server.reloader.reload()
                let after = try await scraper.execute(uri: "/metrics", method: .get).text
                #expect(!after.contains(#"clinicbox_database_bytes{tenant="beta"}"#) && after.contains(#"clinicbox_database_bytes{tenant="alpha"}"#))
            }
        }
    }

    @Test func theMainListenerAnswersOnlyTheMetricsTokenEvenFromLoopback() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let secret = "scrape-secret-0123456789"
        let server = try await workspace.server { $0.metricsToken = secret }
        // A live client is on loopback, as a proxy on the box is: that alone is not enough.
        try await server.application.test(.live) { client in
            let local = try await client.execute(uri: "/metrics", method: .get)
            #expect(
                local.status == .unauthorized && local.headers[.contentType] == "application/problem+json"
                    && local.headers[.wwwAuthenticate] == "Bearer"
            )
            #expect((local.json["detail"] as? String)?.contains("scrape the metrics listener (--metrics-address, by default 127.0.0.1:9464)") == true)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.init("X-Real-IP")!: "203.0.113.9"]).status == .unauthorized)
            #expect(
                try await client.execute(uri: "/metrics", method: .get, headers: TestUsers.bearer("wrong-secret-0123456789")).status == .unauthorized
            )
            let scraped = try await client.execute(uri: "/metrics", method: .get, headers: TestUsers.bearer(secret))
            #expect(scraped.status == .ok && scraped.text.contains("clinicbox_tenants 1"))
        }
        #expect(server.metricsApplication == nil)
    }
}
