import HTTPTypes

/// A form that came back refused: which one, what was typed, the messages, and the answer's status. The page it
/// was on is shown again with the message beside the field and the values as typed.
package struct FormRefusal: Sendable {
    /// Which form on the page (`allergy`, `withdraw-12`), so only that one shows the message and opens.
    package var form: String
    package var values: [String: String] = [:]
    package var errors: [String: String] = [:]
    package var message: String?
    package var status: HTTPResponse.Status

    package init(form: String, values: [String: String] = [:], errors: [String: String] = [:], message: String?, status: HTTPResponse.Status) {
        self.form = form
        self.values = values
        self.errors = errors
        self.message = message
        self.status = status
    }

    /// This refusal when it is of `form`, else nil.
    package func of(_ form: String) -> FormRefusal? { self.form == form ? self : nil }
}
