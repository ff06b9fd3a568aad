import Crypto
import Foundation
import Hummingbird
import Synchronization

/// `GET /static/<file>`: the shared stylesheet and icons from the assets, read at start and again on `SIGHUP`
/// (with the templates), each with an ETag. Browsers ask again on every page (`no-cache`) and mostly get a `304`:
/// an hour's `max-age` kept the old stylesheet for an hour after an upgrade or a `SIGHUP`.
package final class StaticFiles: Sendable {
    package struct File: Sendable {
        package var bytes: ByteBuffer
        package var contentType: String
        package var eTag: String
    }

    private let assets: AssetStore
    private let files: Mutex<[String: File]>

    package init(assets: AssetStore) {
        self.assets = assets
        self.files = Mutex(Self.load(assets))
    }

    package func reload() {
        let fresh = Self.load(assets)
        files.withLock { $0 = fresh }
    }

    private static func load(_ assets: AssetStore) -> [String: File] {
        var files: [String: File] = [:]
        for path in assets.paths(under: "static/", endingIn: "") {
            guard let data = assets.contents(path) else { continue }
            let digest = SHA256.hash(data: data).prefix(8).map { String(format: "%02x", $0) }.joined()
            files[String(path.dropFirst("static/".count))] = File(
                bytes: ByteBuffer(bytes: data),
                contentType: AssetStore.contentType(of: path),
                eTag: "\"\(digest)\""
            )
        }
        return files
    }

    package var endpoints: [Endpoint<AppRequestContext>] {
        [
            .page(.get, "static/{file}", "the shared stylesheet and icon", allowing: "anyone", use: answer)
        ]
    }

    package func answer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("file"), let file = self.files.withLock({ $0[name] }) else {
            throw Problem(.notFound, title: "Not found", detail: "There is no such file.")
        }
        if request.headers[.ifNoneMatch] == file.eTag {
            return Response(status: .notModified, headers: [.eTag: file.eTag])
        }
        return Response(
            status: .ok,
            headers: [.contentType: file.contentType, .eTag: file.eTag, .cacheControl: "no-cache"],
            body: .init(byteBuffer: file.bytes)
        )
    }
}

/// `GET /brand.css` of a tenant: its colours as CSS custom properties (the pages allow no inline style).
package struct BrandStylesheet {
    package var endpoints: [Endpoint<TenantRequestContext>] {
        [
            .page(.get, "brand.css", "the tenant's colours", allowing: "anyone", use: stylesheet)
        ]
    }

    package func stylesheet(_: Request, _ context: TenantRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=60"],
            body: .init(byteBuffer: context.tenant.brandCSS)
        )
    }
}
