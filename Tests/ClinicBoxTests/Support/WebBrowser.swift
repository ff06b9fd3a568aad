import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// Just enough of a browser for page tests: a cookie jar, the last page's CSRF token, and forms sent the way a
/// browser sends them (URL-encoded, from the same origin).
struct WebBrowser {
    let client: any TestClientProtocol
    /// The cookie jar the session tests use.
    var jar = SessionPageTests.Browser()
    /// The `csrf_token` of the last page that had a form.
    var formToken: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// Signs in at `tenant`'s login page; the response is the redirect that follows a good password.
    @discardableResult
    mutating func signIn(tenant: String, email: String, password: String) async throws -> TestResponse {
        try await get("/t/\(tenant)/login")
        return try await post("/t/\(tenant)/login", ["email": email, "password": password])
    }

    @discardableResult
    mutating func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader)
        absorb(response)
        return response
    }

    /// Posts `fields` plus the last page's CSRF token (unless `token` overrides it).
    @discardableResult
    mutating func post(_ uri: String, _ fields: [String: String], token: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = fields
        if fields["csrf_token"] == nil, let token = token ?? formToken { fields["csrf_token"] = token }
        var all = cookieHeader
        all[.contentType] = "application/x-www-form-urlencoded"
        all.append(contentsOf: headers)
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: all, body: ByteBuffer(string: body))
        absorb(response)
        return response
    }

    /// Posts `form` as `multipart/form-data` (a file upload), with the last page's CSRF token first.
    @discardableResult
    mutating func upload(_ uri: String, _ form: MultipartForm) async throws -> TestResponse {
        var form = form
        form.prepend("csrf_token", formToken ?? "")
        var all = cookieHeader
        all[.contentType] = form.contentType
        let response = try await client.execute(uri: uri, method: .post, headers: all, body: form.buffer)
        absorb(response)
        return response
    }

    private var cookieHeader: HTTPFields { jar.header }

    private mutating func absorb(_ response: TestResponse) {
        jar.absorb(response)
        if let token = WebBrowser.hiddenToken(String(buffer: response.body)) { formToken = token }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    /// The form token a page holds in its hidden `csrf_token` field.
    static func hiddenToken(_ html: String) -> String? {
        guard let range = html.range(of: #"name="csrf_token" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
