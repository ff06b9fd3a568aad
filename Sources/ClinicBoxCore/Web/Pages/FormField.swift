import Mustache

/// One labelled input of a page form (`partials/field`): the value the user typed and the message for it.
package struct FormField: TemplateValues {
    package enum Kind {
        case input(type: String)
        case textArea
        case select(options: [(value: String, label: String)])
        case checkbox
    }

    package var name: String
    package var label: String
    package var kind: Kind = .input(type: "text")
    package var value: String = ""
    package var required = false
    package var autocomplete: String?
    package var error: String?

    package static let templateNames: TemplateNames<FormField> = [
        "name": { $0.name }, "label": { $0.label }, "value": { $0.value }, "required": { $0.required },
        "autocomplete": { $0.autocomplete }, "error": { $0.error }, "checked": { $0.value == "true" },
        "type": { if case .input(let type) = $0.kind { type } else { nil } },
        "isInput": { if case .input = $0.kind { true } else { false } },
        "isTextArea": { if case .textArea = $0.kind { true } else { false } },
        "isSelect": { if case .select = $0.kind { true } else { false } },
        "isCheckbox": { if case .checkbox = $0.kind { true } else { false } },
        "options": { field in
            guard case .select(let options) = field.kind else { return nil }
            return field.shownOptions(options).map { ["value": $0.value, "label": $0.label, "selected": $0.value == field.value] as [String: Any] }
        },
    ]

    /// A field with nothing typed in it and no message renders the same every time: its key for `Pages.rows`, so
    /// an empty form on a busy page (the chart's) is rendered once. A field holding what someone typed is nil,
    /// rendered afresh and never kept.
    package var blankKey: (id: Int64, version: Int64)? {
        guard value.isEmpty, error == nil else { return nil }
        var hasher = Hasher()
        for text in [name, label, autocomplete ?? ""] { hasher.combine(text) }
        hasher.combine(required)
        switch kind {
        case .input(let type): hasher.combine(type)
        case .textArea: hasher.combine("textarea")
        case .checkbox: hasher.combine("checkbox")
        case .select(let options):
            for option in options {
                hasher.combine(option.value)
                hasher.combine(option.label)
            }
        }
        return (Int64(hasher.finalize()), 0)
    }

    /// A required choice starts on an empty "Choose…", so a form sent without looking is refused rather than
    /// taking whatever happened to be first (and `required` means something: HTML ignores it otherwise).
    private func shownOptions(_ options: [(value: String, label: String)]) -> [(value: String, label: String)] {
        guard required else { return options }
        let rest = options.first?.value == "" ? Array(options.dropFirst()) : options
        return [("", "Choose…")] + rest
    }

    package init(
        name: String,
        label: String,
        kind: Kind = .input(type: "text"),
        value: String = "",
        required: Bool = false,
        autocomplete: String? = nil,
        error: String? = nil
    ) {
        self.name = name
        self.label = label
        self.kind = kind
        self.value = value
        self.required = required
        self.autocomplete = autocomplete
        self.error = error
    }
}

extension FormField {
    /// A user's e-mail address as a required field; `autocomplete` says whether the browser may fill in the user's
    /// own (`username` when they sign themselves up, `off` when an admin types someone else's).
    package static func email(_ values: [String: String], _ errors: [String: String], autocomplete: String) -> FormField {
        FormField(
            name: "email",
            label: "Email",
            kind: .input(type: "email"),
            value: values["email"] ?? "",
            required: true,
            autocomplete: autocomplete,
            error: errors["email"]
        )
    }
}
