import Hummingbird

/// `GET /page.css?size=210x297`: the `@page` rule of a printout. The pages allow no inline style, and a receipt's
/// length is only known when it is printed, so each printout links the size it needs; the answer is made from two
/// numbers and nothing else the request says.
package struct PageSizeStylesheet {
    package var endpoints: [Endpoint<TenantRequestContext>] {
        [
            .page(.get, "page.css", "a printout's paper size", allowing: "anyone", use: stylesheet)
        ]
    }

    package func stylesheet(_ request: Request, _: TenantRequestContext) async throws -> Response {
        guard let (width, height) = Self.size(request.uri.queryParameters.get("size") ?? "") else {
            throw Problem(.badRequest, title: "Bad request", detail: "size must be WIDTHxHEIGHT in millimetres, each from 20 to 1000")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(string: Self.css(width: width, height: height)))
        )
    }

    static func size(_ text: String) -> (Int, Int)? {
        let sides = text.split(separator: "x")
        guard sides.count == 2, let width = Int(sides[0]), let height = Int(sides[1]), PaperSize.sizes.contains(width),
            PaperSize.sizes.contains(height)
        else { return nil }
        return (width, height)
    }

    /// No page margin, so the browser prints no header or footer of its own; the paper's padding (clinicbox.css)
    /// is the margin. On screen the paper is drawn at its printed width.
    static func css(width: Int, height: Int) -> String {
        "@page{size:\(width)mm \(height)mm;margin:0}\n.paper{width:\(width)mm}\n"
    }
}
