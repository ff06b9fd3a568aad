import Hummingbird

/// A plain, readable HTML error page; never a stack trace.
package struct ErrorPage {
    package var status: HTTPResponse.Status
    package var title: String
    package var detail: String
    package var requestID: String?

    package var html: String {
        let reference = requestID.map { "<p class=\"muted\">Reference: \(HTML.escape($0))</p>" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(status.code) \(HTML.escape(title)) · ClinicBox</title>
            <link rel="stylesheet" href="/static/clinicbox.css"><link rel="icon" href="/static/favicon.svg"></head>
            <body><main><h1>\(HTML.escape(title))</h1><p>\(HTML.escape(detail))</p>\(reference)</main></body></html>
            """
    }
}

/// HTML escaping for text placed in element content or quoted attributes.
package enum HTML {
    package static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
